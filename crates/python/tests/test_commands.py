"""Each function's `.to_dict()` equals the CLI's `--json` for the same options, and bad input
raises `BreakoutError` with the CLI's message.

The CLI is the `breakout` binary of this workspace: `$BREAKOUT_BIN`, or `target/debug/breakout`
(built by `cargo test --workspace` / `cargo build -p breakout-cli`).
"""

import json
import os
import pathlib
import subprocess

import pytest

import breakout

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = os.environ.get("BREAKOUT_BIN", str(ROOT / "target" / "debug" / "breakout"))
BALANCE_FILE = str(ROOT / "data" / "safeguards" / "example-quarterly-balance.toml")


def cli(*argv):
    """The CLI's `--json` document and exit code for `argv`."""
    assert pathlib.Path(BIN).exists(), f"no breakout binary at {BIN}: build it or set BREAKOUT_BIN"
    p = subprocess.run([BIN, *argv, "--json"], capture_output=True, text=True, check=False)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout), p.returncode


# (Python call, the same command on the command line): every bound function, and the options
# of every kind (positional, flag, repeated, comma list, enum).
CASES = [
    (lambda: breakout.run(), ["run"]),
    (
        lambda: breakout.run("jcpoa-2016", goal="wgu", count=2, setup_days_per_step=14),
        ["run", "jcpoa-2016", "--goal", "wgu", "--count", "2", "--setup-days-per-step", "14"],
    ),
    (
        lambda: breakout.run(machines=["IR-6=1740", "IR-1=5000"], samples=300, seed=7),
        ["run", "--machines", "IR-6=1740", "--machines", "IR-1=5000", "--samples", "300",
         "--seed", "7"],
    ),
    (lambda: breakout.history(), ["history"]),
    (lambda: breakout.states(), ["history"]),
    (lambda: breakout.deals(), ["deal", "list"]),
    (lambda: breakout.machines(), ["machine", "list"]),
    (lambda: breakout.machine_show("IR-6"), ["machine", "show", "IR-6"]),
    (
        lambda: breakout.deal_check("jcpoa-2015", "iran-2025-05"),
        ["deal", "check", "jcpoa-2015", "iran-2025-05"],
    ),
    (
        lambda: breakout.deal_floor("us-2025-cap-3.67", goal="wgu"),
        ["deal", "floor", "us-2025-cap-3.67", "--goal", "wgu"],
    ),
    (
        lambda: breakout.deal_compare(weaponization_months="6..18"),
        ["deal", "compare", "--weaponization-months", "6..18"],
    ),
    (lambda: breakout.deal_show("jcpoa-2015"), ["deal", "show", "jcpoa-2015"]),
    (lambda: breakout.deal_history("jcpoa-2015"), ["deal", "history", "jcpoa-2015"]),
    (
        lambda: breakout.swu(product_wt_pct=3.5, tails_wt_pct=0.3, product_kg_u=1),
        ["swu", "--product-wt-pct", "3.5", "--tails-wt-pct", "0.3", "--product-kg-u", "1"],
    ),
    (
        lambda: breakout.swu(
            "plan", product_kg_u=25, product_wt_pct=90, stock=["408.6@60", "5000@3.67"],
            tails="optimal", max_tails_wt_pct=20,
        ),
        ["swu", "plan", "--product-kg-u", "25", "--product-wt-pct", "90", "--stock", "408.6@60",
         "--stock", "5000@3.67", "--tails", "optimal", "--max-tails-wt-pct", "20"],
    ),
    (
        lambda: breakout.swu(
            "cost", product_wt_pct=4.5, usd_per_lb_u3o8=80, conversion_usd_per_kg_u=30,
            usd_per_swu=150,
        ),
        ["swu", "cost", "--product-wt-pct", "4.5", "--usd-per-lb-u3o8", "80",
         "--conversion-usd-per-kg-u", "30", "--usd-per-swu", "150"],
    ),
    (
        lambda: breakout.swu("tails", product_wt_pct=3.5, feed_kg_u=1000, product_kg_u=120),
        ["swu", "tails", "--product-wt-pct", "3.5", "--feed-kg-u", "1000", "--product-kg-u",
         "120"],
    ),
    (
        lambda: breakout.swu(
            "yield", product_wt_pct=90, feed_wt_pct=3.67, swu=1000, feed_kg_u=900,
            tails="optimal",
        ),
        ["swu", "yield", "--product-wt-pct", "90", "--feed-wt-pct", "3.67", "--swu", "1000",
         "--feed-kg-u", "900", "--tails", "optimal"],
    ),
    (
        lambda: breakout.convert(300, "kg-uf6", to="kg-u", wt_pct=3.67),
        ["convert", "300", "kg-uf6", "--wt-pct", "3.67", "--to", "kg-u"],
    ),
    (
        lambda: breakout.cascade_design(
            product_wt_pct=3.5, tails_wt_pct=0.3, machine="IR-1", machines=164
        ),
        ["cascade", "design", "--product-wt-pct", "3.5", "--tails-wt-pct", "0.3", "--machine",
         "IR-1", "--machines", "164"],
    ),
    (
        lambda: breakout.cascade_marc(
            feed_wt_pct="U234=0.0054,U235=0.711", product_wt_pct=90, tails_wt_pct=0.3, gamma=1.3
        ),
        ["cascade", "marc", "--feed-wt-pct", "U234=0.0054,U235=0.711", "--product-wt-pct", "90",
         "--tails-wt-pct", "0.3", "--gamma", "1.3"],
    ),
    (
        lambda: breakout.cascade_run(
            cascade="ir6-174", feed_wt_pct="U235=20", recycle=3, batch_kg_u=100
        ),
        ["cascade", "run", "ir6-174", "--feed-wt-pct", "U235=20", "--recycle", "3",
         "--batch-kg-u", "100"],
    ),
    (
        lambda: breakout.safeguards_balance(file=BALANCE_FILE),
        ["safeguards", "balance", BALANCE_FILE],
    ),
    (
        lambda: breakout.safeguards_detect(loss_kg=75, sigma_kg=20),
        ["safeguards", "detect", "--loss-kg", "75", "--sigma-kg", "20"],
    ),
    (
        lambda: breakout.safeguards_sequence(
            muf=[1, -2, 3, 5], sigma_inventory_kg=[2, 2, 2, 2, 2], sigma_transfer_kg=[1, 1, 1, 1],
            loss_kg=8, pattern="protracted", sequences=2000, seed=3,
        ),
        ["safeguards", "sequence", "--muf", "1,-2,3,5", "--sigma-inventory-kg", "2,2,2,2,2",
         "--sigma-transfer-kg", "1,1,1,1", "--loss-kg", "8", "--pattern", "protracted",
         "--sequences", "2000", "--seed", "3"],
    ),
    (
        lambda: breakout.safeguards_page_threshold(k=0.5, periods=12, alpha=0.05),
        ["safeguards", "page-threshold", "--k", "0.5", "--periods", "12", "--alpha", "0.05"],
    ),
    (
        lambda: breakout.safeguards_sample(
            items=200, goal_kg=75, item_kg=2, falsified_fraction=1, beta=0.1
        ),
        ["safeguards", "sample", "--items", "200", "--goal-kg", "75", "--item-kg", "2",
         "--falsified-fraction", "1", "--beta", "0.1"],
    ),
    (
        lambda: breakout.safeguards_plant(
            swu_per_yr=1e6, seed=7, sequences=2000, breakout_days=30
        ),
        ["safeguards", "plant", "--swu-per-yr", "1e6", "--seed", "7", "--sequences", "2000",
         "--breakout-days", "30"],
    ),
]


@pytest.mark.parametrize("call,argv", CASES, ids=[" ".join(a[:2]) for _, a in CASES])
def test_to_dict_equals_cli_json(call, argv):
    result = call()
    expected, code = cli(*argv)
    assert result.to_dict() == expected
    assert result.finding == (code == 1)


def test_results_are_attributes_and_tables_dataframes():
    pd = pytest.importorskip("pandas")
    r = breakout.run(samples=200, seed=1)
    assert r.first_sq_days == r.results["first_sq_days"]
    curve = r.production_curve
    assert isinstance(curve, pd.DataFrame)
    assert list(curve.columns) == ["days", "sq"]
    assert curve["sq"].tolist() == [p["sq"] for p in r.results["production_curve"]]
    assert isinstance(r.steps, pd.DataFrame) and len(r.steps) == len(r.results["steps"])
    assert list(r.percentiles.columns) == ["days", "percentile"]
    assert set(r.tables()) >= {"production_curve", "steps", "percentiles", "histogram"}
    with pytest.raises(AttributeError, match="has no result `nothing`"):
        r.nothing


# (call, the CLI's arguments for the same mistake, a fragment of the message): usage and input
# errors of both kinds (refused by the request's types, refused by the engines).
ERRORS = [
    (lambda: breakout.swu(product_wt_pct=3.5, tails_wt_pct=0.3),
     None, "give one of --product-kg-u, --feed-kg-u, --tails-kg-u, --swu"),
    (lambda: breakout.swu(product_wt_pct=0.5, tails_wt_pct=0.3, product_kg_u=1),
     ["swu", "--product-wt-pct", "0.5", "--tails-wt-pct", "0.3", "--product-kg-u", "1"],
     "assay"),
    (lambda: breakout.run("no-such-state"), ["run", "no-such-state"], "no-such-state"),
    (lambda: breakout.convert(-1, "kg-u", to="kg-uf6", wt_pct=3), None, "-1"),
    (lambda: breakout.run(samples=10**9), ["run", "--samples", "1000000000"],
     "exceeds the maximum"),
    (lambda: breakout.deal_floor("jcpoa-2015", series="monthly-ish"), None, "monthly-ish"),
]


@pytest.mark.parametrize("call,argv,fragment", ERRORS)
def test_errors_raise_breakout_error_with_the_cli_message(call, argv, fragment):
    with pytest.raises(breakout.BreakoutError) as info:
        call()
    message = str(info.value)
    assert fragment in message
    assert isinstance(info.value, ValueError)
    if argv is not None:
        p = subprocess.run([BIN, *argv], capture_output=True, text=True, check=False)
        assert p.returncode == 2
        assert message in p.stderr


def test_unknown_keyword_is_refused_naming_it():
    with pytest.raises(breakout.BreakoutError, match="unknown field `setup_days`"):
        breakout.run(setup_days=3)


def test_swu_mode_must_be_known():
    with pytest.raises(breakout.BreakoutError, match="mode = `balanse`"):
        breakout.swu("balanse", product_wt_pct=3.5, tails_wt_pct=0.3, product_kg_u=1)
