"""`swu` (the balance) and `convert` over NumPy arrays: each element equals the scalar command's
result exactly, shapes broadcast, an independent published value holds, bad elements raise.

The native loop hands out 16,384 elements per task (`crates/python/src/elementwise.rs`), so some
arrays here are longer than that: elements on both sides of a task boundary, and the first bad
element when later tasks hold bad elements too."""

import numpy as np
import pytest

import breakout


def test_swu_array_elements_equal_the_scalar_balance():
    xp = np.array([3.5, 4.5, 20.0, 60.0, 90.0])
    xt = np.array([[0.2], [0.3]])
    out = breakout.swu(product_wt_pct=xp, tails_wt_pct=xt, product_kg_u=2.5)
    assert out["separative_work_swu"].shape == (2, 5)
    for i in range(2):
        for j in range(5):
            r = breakout.swu(product_wt_pct=xp[j], tails_wt_pct=xt[i, 0], product_kg_u=2.5)
            for key in ("feed_kg_u", "product_kg_u", "tails_kg_u", "separative_work_swu"):
                assert out[key][i, j] == r.results[key], (key, i, j)


@pytest.mark.parametrize("given", ["product_kg_u", "feed_kg_u", "tails_kg_u", "swu"])
def test_swu_array_each_given_quantity(given):
    amounts = np.array([1.0, 10.0, 1000.0])
    out = breakout.swu(feed_wt_pct=3.67, product_wt_pct=60, tails_wt_pct=1, **{given: amounts})
    key = "separative_work_swu" if given == "swu" else given
    np.testing.assert_array_equal(out[key], amounts)
    scalar = breakout.swu(feed_wt_pct=3.67, product_wt_pct=60, tails_wt_pct=1, **{given: 10.0})
    assert out["feed_kg_u"][1] == scalar.results["feed_kg_u"]


def test_swu_array_matches_pyne():
    # PyNE's test_swu: 1.5 kg of 5 % from 0.72 % with 0.25 % tails takes 11.765 kg-SWU.
    out = breakout.swu(
        feed_wt_pct=0.72, product_wt_pct=np.array([5.0, 5.0]), tails_wt_pct=0.25, product_kg_u=1.5
    )
    np.testing.assert_allclose(out["separative_work_swu"], 11.765, atol=1e-3)


def test_swu_array_bad_element_names_its_index():
    with pytest.raises(breakout.BreakoutError, match="element 2: assays must be ordered tails < feed < product"):
        breakout.swu(product_wt_pct=np.array([5.0, 20.0, 0.1]), tails_wt_pct=0.3, product_kg_u=1)


KEYS = ("feed_kg_u", "product_kg_u", "tails_kg_u", "separative_work_swu")
TASK = 16_384


def test_swu_array_elements_across_task_boundaries_equal_the_scalar_balance():
    xp = np.linspace(3.0, 90.0, 3 * TASK + 5)
    out = breakout.swu(product_wt_pct=xp, tails_wt_pct=0.3, swu=1000.0)
    for i in (0, TASK - 1, TASK, 2 * TASK + 1, 3 * TASK + 4):
        r = breakout.swu(product_wt_pct=xp[i], tails_wt_pct=0.3, swu=1000.0)
        for key in KEYS:
            assert out[key][i] == r.results[key], (key, i)


# Arrays that are not one contiguous C-ordered block of the full shape: each element equals the
# element computed from a contiguous copy.
LAYOUTS = {
    "strided": lambda a: a[::2],
    "reversed": lambda a: a[::-1],
    "fortran 2-d": lambda a: np.asfortranarray(a.reshape(40, 50)),
    "transposed": lambda a: a.reshape(40, 50).T,
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_swu_array_layouts_give_the_contiguous_answer(layout):
    xp = layout(np.linspace(3.0, 90.0, 2000))
    tails = layout(np.linspace(0.1, 0.5, 2000))
    assert not xp.flags.c_contiguous
    out = breakout.swu(product_wt_pct=xp, tails_wt_pct=tails, product_kg_u=1.0)
    want = breakout.swu(
        product_wt_pct=np.ascontiguousarray(xp),
        tails_wt_pct=np.ascontiguousarray(tails),
        product_kg_u=1.0,
    )
    for key in KEYS:
        assert out[key].shape == want[key].shape
        np.testing.assert_array_equal(out[key], want[key])


def test_swu_empty_array_gives_empty_columns():
    out = breakout.swu(product_wt_pct=np.empty((0, 3)), tails_wt_pct=0.3, product_kg_u=1.0)
    for key in KEYS:
        assert out[key].shape == (0, 3)


@pytest.mark.parametrize(
    "bad,first",
    [([TASK + 7], TASK + 7), ([3 * TASK - 1, 2 * TASK], 2 * TASK), ([3 * TASK - 1, 5], 5)],
)
def test_swu_array_names_the_first_bad_element_of_several(bad, first):
    xp = np.full(3 * TASK, 5.0)
    xp[bad] = 0.2
    with pytest.raises(breakout.BreakoutError, match=f"element {first}: assays must be ordered"):
        breakout.swu(product_wt_pct=xp, tails_wt_pct=0.3, product_kg_u=1)


def test_swu_arrays_that_do_not_broadcast_are_refused():
    with pytest.raises(breakout.BreakoutError, match="do not broadcast"):
        breakout.swu(product_wt_pct=np.ones(3) * 5, tails_wt_pct=np.ones(2) * 0.3, product_kg_u=1)


@pytest.mark.parametrize(
    "call",
    [
        lambda a, b: breakout.swu(product_wt_pct=a, tails_wt_pct=b, product_kg_u=1),
        lambda a, b: breakout.convert(a, "kg-u", to="kg-uf6", wt_pct=b),
    ],
)
def test_arrays_broadcasting_past_the_limit_are_refused_before_allocating(call):
    # (10**6, 1) against (1, 10**6) is 10**12 elements: refused from the shape, so the test
    # neither allocates 8 TB nor waits.
    a = np.full((10**6, 1), 5.0)
    b = np.full((1, 10**6), 0.3)
    with pytest.raises(breakout.BreakoutError, match="MAX_ARRAY_ELEMENTS"):
        call(a, b)
    assert breakout.MAX_ARRAY_ELEMENTS == 10**8


def test_convert_array_elements_equal_the_scalar_command():
    kg = np.array([1.0, 300.0, 12500.0])
    wt = np.array([[0.711], [3.67], [90.0]])
    out = breakout.convert(kg, "kg-uf6", to="kg-u", wt_pct=wt)
    assert out.shape == (3, 3)
    for i in range(3):
        for j in range(3):
            r = breakout.convert(kg[j], "kg-uf6", to="kg-u", wt_pct=wt[i, 0])
            assert out[i, j] == r.results["kg_u"]


def test_convert_array_bad_element_names_its_index():
    with pytest.raises(breakout.BreakoutError, match="element 1:"):
        breakout.convert(np.array([1.0, -1.0]), "kg-u", to="kg-uf6", wt_pct=3.67)


def test_convert_array_across_task_boundaries_equals_the_scalar_command():
    kg = np.linspace(1.0, 1e4, 2 * TASK + 3)
    out = breakout.convert(kg, "kg-uf6", to="kg-u", wt_pct=np.array([3.67]))
    for i in (0, TASK - 1, TASK, 2 * TASK + 2):
        assert out[i] == breakout.convert(kg[i], "kg-uf6", to="kg-u", wt_pct=3.67).results["kg_u"]


def test_convert_array_names_the_first_bad_element_of_several():
    kg = np.ones(2 * TASK)
    kg[[2 * TASK - 1, TASK + 1]] = -1.0
    with pytest.raises(breakout.BreakoutError, match=f"element {TASK + 1}:"):
        breakout.convert(kg, "kg-u", to="kg-uf6", wt_pct=3.67)
