"""Number and date formats shown to analysts: one place, so every page says it the same way.

The words themselves (stage and bound labels, bound symbols, unit prefixes and suffixes) are
reference data: the query rows carry them (stage_label, bound_symbol, unit_suffix, ...), and
tracker.vocabulary holds the whole vocabulary for pages that need it.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd


def _text(row, column: str) -> str:
    v = row.get(column) if hasattr(row, "get") else None
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def number(x: float, kind: str = "", prefix: str = "") -> str:
    """Money in bn/m after its prefix ($, CNY), shares as %, counts with thousands separators."""
    if kind == "money":
        if x >= 1e9:
            return f"{prefix}{x / 1e9:,.1f} bn"
        if x >= 1e6:
            return f"{prefix}{x / 1e6:,.1f} m"
        return f"{prefix}{x:,.0f}"
    if kind == "share":
        return f"{x:g}"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def symbol(row) -> str:
    sym = _text(row, "bound_symbol")
    return f"{sym} " if sym else ""


def value(row: pd.Series | dict) -> str:
    """'≥ 400,000 chips', '40,000–80,000 chips', '$0.4 bn', 'none reported'."""
    if row["bound"] == "none_reported":
        return "none reported"
    if pd.isna(row["value"]):
        return "reported, no number given"
    kind, prefix, suffix = _text(row, "unit_kind"), _text(row, "unit_prefix"), _text(row, "unit_suffix")
    if row["bound"] == "range":
        return f"{number(row['value'], kind, prefix)}–{number(row['value_high'], kind, prefix)}{suffix}"
    return f"{symbol(row)}{number(row['value'], kind, prefix)}{suffix}"


def day(value: object, precision: str | None = "day") -> str:
    """A date at the precision the source gives it."""
    if value is None or (not isinstance(value, (dt.date, pd.Timestamp)) and pd.isna(value)):
        return "undated"
    d = pd.Timestamp(value)
    return {"month": d.strftime("%b %Y"), "year": d.strftime("%Y"),
            "quarter": f"Q{(d.month - 1) // 3 + 1} {d.year}",
            "approx_day": "c. " + d.strftime("%Y-%m-%d")}.get(precision or "day", d.strftime("%Y-%m-%d"))


def short(row: pd.Series) -> str:
    """The label drawn on a chart: value, and 'shared' for combined figures."""
    text = value(row)
    if row.get("n_companies", 0) > 1:
        text += f" · shared: {row['companies']}"
    if row["bound"] == "none_reported":
        text += f" (as of {day(row['as_of_date'], row.get('as_of_precision'))})"
    if row.get("revised"):
        text += " · revised"
    return text


def spec_value(row: pd.Series) -> str:
    v = row["value"]
    num = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if row["bound"] == "range":
        num += f"–{row['value_high']:,g}"
    sparsity = "" if row["sparsity"] in ("n/a",) else f" ({row['sparsity'].replace('_', ' ')})"
    return f"{symbol(row)}{num} {row['unit']}{sparsity}"


def ratio(row: pd.Series | dict) -> str:
    """A ratio a source states: '≈ 6×', '6.68×'."""
    high = f"–{row['value_high']:g}" if row["bound"] == "range" else ""
    return f"{symbol(row)}{row['value']:g}{high}×"


# A bin of reports (issue 10) states its bound's claim at the end the bound makes strongest: a
# bin of lower bounds is at least its largest value, a bin of upper bounds at most its smallest.
UPPER_BOUNDS = ("at_most", "less_than")


def bin_anchor(row) -> float:
    """Where a bin's mark sits: its smallest value for upper bounds, else its largest."""
    return row["value_min"] if row["bound"] in UPPER_BOUNDS else row["value_max"]


def bin_value(row) -> str:
    """A bin in words, bound kept: '≥ 1,999,999 chips: 119,048 reports, lower bound (more than),
    from ≥ 1 chips to ≥ 1,999,999 chips' (lower or upper bounds: the strongest claim first;
    exact, approximate or ranges: lowest to highest; one report: just its value)."""
    def one(v: float) -> str:
        return value({**row, "value": v, "value_high": None,
                      "bound": "exact" if row["bound"] == "range" else row["bound"]})
    n, lo, hi = int(row["reports"]), row["value_min"], row["value_max"]
    directed = row["bound"] == "at_least" or row["bound"] in UPPER_BOUNDS
    claim = one(bin_anchor(row)) if directed or lo == hi else f"{one(lo)} to {one(hi)}"
    if n == 1:
        return claim if row["bound"] != "range" else value({**row, "value": lo, "value_high": hi})
    kind = _text(row, "bound_label") or row["bound"]
    if not directed:
        return f"{claim}: {n:,} reports, {kind}"
    spread = f"from {one(lo)} to {one(hi)}" if lo != hi else f"all {one(lo)}"
    return f"{claim}: {n:,} reports, {kind}, {spread}"


def count(n: int) -> str:
    """A count for a chart label: 950, 12k, 1.2M."""
    n = int(n)
    if n >= 1_000_000:
        return f"{n / 1e6:.1f}M".replace(".0M", "M")
    if n >= 10_000:
        return f"{n / 1e3:.0f}k"
    return f"{n:,}"
