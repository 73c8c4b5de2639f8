"""DERIVED arithmetic with bounds carried through: compute equivalence and the supply scenario.

A value is (low, high, bound). `N × a ÷ b` is monotone in each input, so a lower bound on N or
a stays a lower bound on the result, and a lower bound on the divisor b turns into an upper
bound. When inputs push in opposite directions the result has no bound, and we say so rather
than print a false precision.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from tracker.i18n import N_  # notes stay English constants here; the page shows them through _

DIRECTION = {"at_least": 1, "at_most": -1}


@dataclass(frozen=True)
class Quantity:
    value: float
    bound: str = "exact"          # exact, about, at_least, at_most, range
    value_high: float | None = None


@dataclass(frozen=True)
class Result:
    value: float
    value_high: float | None
    bound: str                    # exact, about, at_least, at_most, range, unbounded
    note: str


def _combine(terms: list[tuple[Quantity, int]]) -> tuple[str, str]:
    """Bound of a product of terms, each used with exponent +1 or -1."""
    signs, approx = set(), False
    for q, power in terms:
        if q.bound in DIRECTION:
            signs.add(DIRECTION[q.bound] * power)
        elif q.bound == "about":
            approx = True
    if len(signs) > 1:
        return "unbounded", N_("inputs are bounded in opposite directions, so the result has "
                               "no bound: read it as an order of magnitude")
    if signs:
        sign = signs.pop()
        bound = "at_least" if sign > 0 else "at_most"
        note = (N_("carried from the inputs' bounds; some inputs are approximate, so the bound itself "
                   "is approximate") if approx else N_("carried from the inputs' bounds"))
        return bound, note
    if approx:
        return "about", N_("some inputs are approximate")
    return "exact", N_("all inputs are exact as reported")


def ratio_product(n: Quantity, a: Quantity, b: Quantity) -> Result:
    """N × a ÷ b, e.g. N H200 in H20-equivalents by one metric (a: H200 value, b: H20 value)."""
    if b.value <= 0:
        raise ValueError("the reference value must be positive")
    if "range" in (n.bound, a.bound, b.bound):
        lo = n.value * a.value / (b.value_high or b.value)
        hi = (n.value_high or n.value) * (a.value_high or a.value) / b.value
        return Result(lo, hi, "range", N_("interval arithmetic over the ranges"))
    bound, note = _combine([(n, 1), (a, 1), (b, -1)])
    return Result(n.value * a.value / b.value, None, bound, note)


def product(n: Quantity, a: Quantity) -> Result:
    """N × a, e.g. the aggregate dense BF16 TFLOPS of N chips."""
    if "range" in (n.bound, a.bound):
        return Result(n.value * a.value, (n.value_high or n.value) * (a.value_high or a.value),
                      "range", N_("interval arithmetic over the ranges"))
    bound, note = _combine([(n, 1), (a, 1)])
    return Result(n.value * a.value, None, bound, note)


def months_to_fill(orders: float, stock: float, monthly: float, cap: float | None,
                   horizon: int = 36) -> tuple[list[int], list[float], int | None]:
    """SCENARIO, not data: cumulative supply by month (stock first, then monthly output,
    never above the cap) and the first month it meets the orders, or None."""
    months = list(range(horizon + 1))
    ceiling = math.inf if cap is None else cap
    supply = [min(stock + monthly * m, ceiling) for m in months]
    filled = next((m for m, s in zip(months, supply) if s >= orders), None)
    return months, supply, filled
