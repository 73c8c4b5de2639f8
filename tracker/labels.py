"""Words and number formats shown to analysts: one place, so every page says it the same way."""
from __future__ import annotations

import datetime as dt

import pandas as pd

STAGES = {
    "interest": "Stated interest", "ordered": "Orders", "inventory": "Nvidia inventory",
    "cn_approved": "Chinese approvals", "us_licensed": "US licences", "us_cap": "US caps",
    "planned_shipment": "Planned shipments", "shipped": "Shipped", "delivered": "Delivered",
    "price": "Price", "revenue": "Revenue", "inventory_charge": "Inventory charge",
}
BOUND = {
    "exact": "exact as reported", "about": "approximate (about)", "at_least": "lower bound (more than)",
    "at_most": "upper bound (up to / less than)", "range": "range", "less_than": "strictly less than",
    "none_reported": "none reported (a dated fact, not a zero)",
    "not_quantified": "reported without a number",
}
SYMBOL = {"about": "≈ ", "at_least": "≥ ", "at_most": "≤ ", "less_than": "< "}
CATEGORY = {"us_policy": "US policy", "cn_policy": "China policy", "company": "Company",
            "diplomacy": "Diplomacy", "market": "Market"}
UNIT = {"chips": "chips", "modules": "modules", "firms": "firms", "percent": "%",
        "usd": "USD", "cny": "CNY", "usd_per_chip": "USD per chip", "cny_per_module": "CNY per module"}
GRADE = {"H": "H: wire, primary document or law firm", "M": "M: reputable secondary outlet",
         "L": "L: blog, aggregator or spec site"}


def stage(value: str) -> str:
    return STAGES.get(value, value)


def number(x: float, unit: str) -> str:
    """Big money in bn/m, counts with thousands separators."""
    if unit in ("usd", "cny", "usd_per_chip", "cny_per_module"):
        cur = "$" if unit.startswith("usd") else "CNY "
        if x >= 1e9:
            return f"{cur}{x / 1e9:,.1f} bn"
        if x >= 1e6:
            return f"{cur}{x / 1e6:,.1f} m"
        return f"{cur}{x:,.0f}"
    if unit == "percent":
        return f"{x:g}%"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def value(row: pd.Series | dict) -> str:
    """'≥ 400,000 chips', '40,000–80,000 chips', 'none reported'."""
    bound, unit = row["bound"], row["unit"]
    if bound == "none_reported":
        return "none reported"
    if bound == "not_quantified" or pd.isna(row["value"]):
        return "reported, no number given"
    suffix = "" if unit.startswith(("usd", "cny")) or unit == "percent" else " " + UNIT.get(unit, unit)
    if unit in ("usd_per_chip",):
        suffix = " per chip"
    elif unit == "cny_per_module":
        suffix = " per module"
    if bound == "range":
        return f"{number(row['value'], unit)}–{number(row['value_high'], unit)}{suffix}"
    return f"{SYMBOL.get(bound, '')}{number(row['value'], unit)}{suffix}"


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
    return text


def spec_value(row: pd.Series) -> str:
    v = row["value"]
    num = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    if row["bound"] == "range":
        num += f"–{row['value_high']:,g}"
    sparsity = "" if row["sparsity"] in ("n/a",) else f" ({row['sparsity'].replace('_', ' ')})"
    return f"{SYMBOL.get(row['bound'], '')}{num} {row['unit']}{sparsity}"


def ratio(row: pd.Series | dict) -> str:
    """A ratio a source states: '≈ 6×', '6.68×'."""
    high = f"–{row['value_high']:g}" if row["bound"] == "range" else ""
    return f"{SYMBOL.get(row['bound'], '')}{row['value']:g}{high}×"
