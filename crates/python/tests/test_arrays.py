"""`swu` (the balance) and `convert` over NumPy arrays: each element equals the scalar command's
result exactly, shapes broadcast, an independent published value holds, bad elements raise."""

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


def test_swu_arrays_that_do_not_broadcast_are_refused():
    with pytest.raises(breakout.BreakoutError, match="do not broadcast"):
        breakout.swu(product_wt_pct=np.ones(3) * 5, tails_wt_pct=np.ones(2) * 0.3, product_kg_u=1)


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
