"""Number and date formats shown to analysts: one place, so every page says it the same way.
Numbers and dates follow the run's language through Babel (CLDR): "≥ 400 000 puces",
"28 janv. 2026"; English keeps ISO days ("2026-01-28"), as every export does.

The words themselves (stage and bound labels, bound symbols, unit prefixes and suffixes) are
reference data: the query rows carry them (stage_label, bound_symbol, unit_suffix, ...), and
tracker.vocabulary holds the whole vocabulary for pages that need it.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from tracker import i18n
from tracker.i18n import N_, _, ngettext


def _text(row, column: str) -> str:
    v = row.get(column) if hasattr(row, "get") else None
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def decimal(x: float, pattern: str = "#,##0.##") -> str:
    """A number in the run's language ('400,000' / '400 000', '6.68' / '6,68')."""
    return format_decimal(x, pattern, locale=i18n.locale())


def separators() -> str:
    """Plotly's layout.separators (decimal mark, then group mark) for the run's language."""
    from babel.numbers import get_decimal_symbol, get_group_symbol
    return get_decimal_symbol(i18n.locale()) + get_group_symbol(i18n.locale())


def integer(n: int) -> str:
    return decimal(int(n), "#,##0")


def number(x: float, kind: str = "", prefix: str = "") -> str:
    """Money in bn/m after its prefix ($, CNY), shares as %, counts with thousands separators."""
    if kind == "money":  # the language places the currency ("$10.0 bn", "10,0 Md $")
        if x >= 1e9:
            text = _("{prefix}{n} bn").format(prefix=prefix, n=decimal(x / 1e9, "#,##0.0"))
        elif x >= 1e6:
            text = _("{prefix}{n} m").format(prefix=prefix, n=decimal(x / 1e6, "#,##0.0"))
        else:
            text = _("{prefix}{n}").format(prefix=prefix, n=decimal(x, "#,##0"))
        return re.sub(" {2,}", " ", text).strip(" ")  # a prefix's own space ("CNY ") may double
    if kind == "share":
        return decimal(x, "0.######")
    return decimal(x, "#,##0") if float(x).is_integer() else decimal(x, "#,##0.00")


def symbol(row) -> str:
    sym = _text(row, "bound_symbol")
    return f"{sym} " if sym else ""


def value(row: pd.Series | dict) -> str:
    """'≥ 400,000 chips', '40,000–80,000 chips', '$0.4 bn', 'none reported'."""
    if row["bound"] == "none_reported":
        return _("none reported")
    if pd.isna(row["value"]):
        return _("reported, no number given")
    kind, prefix, suffix = _text(row, "unit_kind"), _text(row, "unit_prefix"), _text(row, "unit_suffix")
    if row["bound"] == "range":
        return f"{number(row['value'], kind, prefix)}–{number(row['value_high'], kind, prefix)}{suffix}"
    return f"{symbol(row)}{number(row['value'], kind, prefix)}{suffix}"


# CLDR date patterns (babel.dates), translated like any message: a language picks its own.
# Translators: a CLDR date pattern for a full day; French "d MMM y" gives "28 janv. 2026".
DAY_PATTERN = N_("yyyy-MM-dd")


def date(value: object, pattern: str) -> str:
    return format_date(pd.Timestamp(value).date(), pattern, locale=i18n.locale())


def day(value: object, precision: str | None = "day") -> str:
    """A date at the precision the source gives it."""
    if value is None or (not isinstance(value, (dt.date, pd.Timestamp)) and pd.isna(value)):
        return _("undated")
    full = date(value, _(DAY_PATTERN))
    return {"month": date(value, "MMM y"), "year": date(value, "y"), "quarter": date(value, "QQQ y"),
            "approx_day": _("c. {day}").format(day=full)}.get(precision or "day", full)


# st.date_input's own display formats (not CLDR): the language's day order, Streamlit's default else.
DATE_INPUT = {"fr": "DD/MM/YYYY"}


def date_input_format() -> str:
    return DATE_INPUT.get(i18n.lang(), "YYYY/MM/DD")


def as_of(value: object, precision: str | None = "day") -> str:
    """'as of 2026-01-28' / 'au 28 janv. 2026'; a month, quarter or year reads 'en mai 2026'
    in French, so it is its own message."""
    if precision in ("month", "quarter", "year"):
        return _("as of {period}").format(period=day(value, precision))
    return _("as of {day}").format(day=day(value, precision))


def moment(value: object) -> str:
    """A build time: '2026-12-01 06:00 UTC' / '1 déc. 2026, 06:00 UTC'."""
    t = pd.Timestamp(value)
    return _("{day} {time} UTC").format(day=day(t), time=t.strftime("%H:%M"))


def short(row: pd.Series) -> str:
    """The label drawn on a chart: value, and 'shared' for combined figures."""
    text = value(row)
    if row.get("n_companies", 0) > 1:
        text = _("{value} · shared: {companies}").format(value=text, companies=row["companies"])
    if row["bound"] == "none_reported":
        text = _("{value} (as of {day})").format(value=text, day=day(row["as_of_date"], row.get("as_of_precision")))
    if row.get("revised"):
        text = _("{value} · revised").format(value=text)
    return text


SPARSITY_WORDS = (N_("dense"), N_("sparse"), N_("not stated"), N_("n/a"))  # chip_specs.sparsity, in words


def spec_value(row: pd.Series) -> str:
    v = row["value"]
    num = decimal(v, "#,##0") if float(v).is_integer() else decimal(v, "#,##0.##")
    if row["bound"] == "range":
        num += f"–{decimal(row['value_high'], '#,##0.#####')}"
    sparsity = "" if row["sparsity"] in ("n/a",) else f" ({_(row['sparsity'].replace('_', ' '))})"
    return f"{symbol(row)}{num} {row['unit']}{sparsity}"


def ratio(row: pd.Series | dict) -> str:
    """A ratio a source states: '≈ 6×', '6.68×'."""
    high = f"–{decimal(row['value_high'], '0.#####')}" if row["bound"] == "range" else ""
    return f"{symbol(row)}{decimal(row['value'], '0.#####')}{high}×"


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
    claim = one(bin_anchor(row)) if directed or lo == hi else _("{low} to {high}").format(low=one(lo), high=one(hi))
    if n == 1:
        return claim if row["bound"] != "range" else value({**row, "value": lo, "value_high": hi})
    kind = _text(row, "bound_label") or row["bound"]
    reports = ngettext("{n} report", "{n} reports", n).format(n=integer(n))
    if not directed:
        return _("{claim}: {reports}, {bound}").format(claim=claim, reports=reports, bound=kind)
    spread = (_("from {low} to {high}").format(low=one(lo), high=one(hi)) if lo != hi
              else _("all {value}").format(value=one(lo)))
    return _("{claim}: {reports}, {bound}, {spread}").format(claim=claim, reports=reports, bound=kind, spread=spread)


def count(n: int) -> str:
    """A count for a chart label: 950, 12k, 1.2M."""
    n = int(n)
    if n >= 1_000_000:
        return _("{n}M").format(n=decimal(n / 1e6, "0.#"))
    if n >= 10_000:
        return _("{n}k").format(n=decimal(n / 1e3, "0"))
    return integer(n)
