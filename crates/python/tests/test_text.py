"""`print(result)` prints what the CLI prints: `str(result)` is the CLI's text for the same
command (both laid out by `breakout_app::render`), `result.text(width)` is the CLI's text with
`COLUMNS=width`, `result.csv()` its `--csv`.

The CLI picks its width from `COLUMNS`, else the terminal's, else 100 columns; here its stdout is
a pipe, so without `COLUMNS` it is 100, the width of `str(result)`.
"""

import os
import pathlib
import subprocess

import pytest

import breakout

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = os.environ.get("BREAKOUT_BIN", str(ROOT / "target" / "debug" / "breakout"))


def cli_stdout(argv, columns=None):
    """The CLI's stdout for `argv`, with `COLUMNS` set to `columns` or unset."""
    assert pathlib.Path(BIN).exists(), f"no breakout binary at {BIN}: build it or set BREAKOUT_BIN"
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    # Bytes, decoded without newline translation: the CSV's CRLF line ends are compared too.
    p = subprocess.run([BIN, *argv], capture_output=True, check=False, env=env)
    assert p.returncode in (0, 1), p.stderr
    return p.stdout.decode("utf-8")


def test_the_headline_of_run_is_the_clis_at_80_columns():
    # Issue 16: `import breakout; breakout.run()` prints what `breakout run` prints.
    assert breakout.run().text(width=80) == cli_stdout(["run"], columns=80)


def test_print_of_a_result_is_the_clis_default_text():
    assert str(breakout.run()) == cli_stdout([])


# (Python call, the same command on the command line, text options): commands of each kind.
CASES = [
    (lambda: breakout.run("jcpoa-2016", goal="wgu"), ["run", "jcpoa-2016", "--goal", "wgu"], {}),
    (lambda: breakout.run(), ["run", "--assumptions", "--timeline", "full"],
     {"assumptions": True, "timeline": "full"}),
    (lambda: breakout.deal_check("jcpoa-2015", "iran-2025-05"),
     ["deal", "check", "jcpoa-2015", "iran-2025-05"], {}),
    (lambda: breakout.swu(product_wt_pct=3.5, tails_wt_pct=0.3, product_kg_u=1),
     ["swu", "--product-wt-pct", "3.5", "--tails-wt-pct", "0.3", "--product-kg-u", "1"], {}),
]


@pytest.mark.parametrize("call,argv,options", CASES)
@pytest.mark.parametrize("width", [40, 80, 132])
def test_text_equals_the_clis_at_each_width(call, argv, options, width):
    assert call().text(width, **options) == cli_stdout(argv, columns=width)


@pytest.mark.parametrize("call,argv,options", CASES)
def test_csv_equals_the_clis(call, argv, options):
    assert call().csv() == cli_stdout([*argv, "--csv"])


def test_notebooks_show_the_text_and_repr_names_the_command():
    r = breakout.run()
    assert r._repr_markdown_() == f"```text\n{r.text()}```\n"
    assert repr(r).startswith("<breakout.Result run: ")
    assert "first_sq_days=" in repr(r)


@pytest.mark.parametrize(
    "options,fragment",
    [({"width": 0}, "width: 0"), ({"width": 8.5}, "width: 8.5"),
     ({"timeline": "all"}, "timeline: 'all'")],
)
def test_bad_text_options_raise_naming_them(options, fragment):
    with pytest.raises(breakout.BreakoutError, match=fragment):
        breakout.run().text(**options)
