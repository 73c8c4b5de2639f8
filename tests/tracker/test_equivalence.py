"""Bound propagation through the compute-equivalence arithmetic, and the supply scenario."""
import pytest

from tracker.equivalence import Quantity as Q
from tracker.equivalence import months_to_fill, product, ratio_product


def test_exact_inputs_give_an_exact_result():
    r = ratio_product(Q(1), Q(15840), Q(2368))
    assert r.bound == "exact" and r.value == pytest.approx(6.689, abs=1e-3)


def test_at_least_in_gives_at_least_out():
    r = ratio_product(Q(400_000, "at_least"), Q(989), Q(148))
    assert r.bound == "at_least" and r.value == pytest.approx(400_000 * 989 / 148)


def test_upper_bound_on_the_divisor_is_a_lower_bound_on_the_result():
    # H20 bandwidth "up to 4.0 TB/s": dividing by at most 4.0 gives at least the ratio
    assert ratio_product(Q(1), Q(4.8), Q(4.0, "at_most")).bound == "at_least"
    assert ratio_product(Q(1), Q(4.8), Q(4.0, "at_least")).bound == "at_most"


def test_opposite_bounds_give_no_bound():
    r = ratio_product(Q(400_000, "at_least"), Q(989, "at_most"), Q(148))
    assert r.bound == "unbounded" and "opposite" in r.note


def test_approximate_inputs_are_said():
    assert ratio_product(Q(700_000, "about"), Q(989), Q(148)).bound == "about"
    r = ratio_product(Q(400_000, "at_least"), Q(320, "about"), Q(148))
    assert r.bound == "at_least" and "approximate" in r.note


def test_ranges_use_interval_arithmetic():
    r = product(Q(40_000, "range", 80_000), Q(989))
    assert (r.bound, r.value, r.value_high) == ("range", 40_000 * 989, 80_000 * 989)
    r = ratio_product(Q(10), Q(180, "range", 192), Q(96))
    assert r.value == pytest.approx(10 * 180 / 96) and r.value_high == pytest.approx(10 * 192 / 96)


def test_zero_reference_is_refused():
    with pytest.raises(ValueError):
        ratio_product(Q(1), Q(1), Q(0))


def test_scenario_fills_with_stock_then_output_and_respects_the_cap():
    months, supply, filled = months_to_fill(2_000_000, 700_000, 100_000, None, horizon=24)
    assert supply[0] == 700_000 and supply[13] == 2_000_000 and filled == 13
    _, capped, never = months_to_fill(2_000_000, 700_000, 100_000, 750_000, horizon=24)
    assert max(capped) == 750_000 and never is None
