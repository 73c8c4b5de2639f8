"""Pydantic row models, one per table: cell typing and vocabularies.

Field names are the CSV column names, so a pydantic error loc[0] is the column. Cells arrive as
str (or None for an empty cell). Dates and numbers use our own parsers, stricter than pydantic's
lax mode (which would take '20260101' or 'nan'), so the database casts can never disagree.
Cross-field rules live in each model's `checks()`, yielding (column, message).
"""
from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Iterator, Literal, Optional
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9_]+$"
RELEASED_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$"
# Human wording for pattern errors (pydantic only says "should match pattern ...").
PATTERN_MESSAGES = {
    ID_PATTERN: "malformed id (expected lower-case [a-z0-9_]+)",
    RELEASED_PATTERN: "expected YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn",
}

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUM_RE = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")
_NONFINITE = {"nan", "inf", "infinity"}


def parse_date(v: Optional[str]) -> Optional[dt.date]:
    if v is None or isinstance(v, dt.date):
        return v
    if not _DATE_RE.fullmatch(v):
        raise PydanticCustomError("date_format", "not an ISO date (expected YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise PydanticCustomError("date_impossible", "impossible date") from None


def parse_number(v: Optional[str]) -> Optional[float]:
    if v is None or isinstance(v, float):
        return v
    if v.strip().lower().lstrip("+-") in _NONFINITE:
        raise PydanticCustomError("not_finite", "NaN or infinite number")
    if not _NUM_RE.fullmatch(v):
        raise PydanticCustomError(
            "number_format", "not a number (use '.' as decimal point, no thousands separators)")
    f = float(v)
    if not math.isfinite(f):
        raise PydanticCustomError("not_finite", "NaN or infinite number")
    return f


def parse_url(v: str) -> str:
    parts = urlsplit(v) if isinstance(v, str) else None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.netloc
            or any(c.isspace() for c in v)):
        raise PydanticCustomError("url", "not an http(s) URL")
    return v


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Num = Annotated[float, Field(ge=0), BeforeValidator(parse_number)]
Url = Annotated[str, BeforeValidator(parse_url)]

Grade = Literal["H", "M", "L"]
Role = Literal["buyer", "vendor", "distributor", "foundry", "supplier"]
Stage = Literal["interest", "ordered", "inventory", "cn_approved", "us_licensed", "us_cap",
                "planned_shipment", "shipped", "delivered", "price", "revenue", "inventory_charge"]
TradeUnit = Literal["chips", "modules", "usd", "cny", "usd_per_chip", "cny_per_module", "firms",
                    "percent"]
TradeBound = Literal["exact", "about", "at_least", "at_most", "range", "none_reported",
                     "not_quantified"]
SpecBound = Literal["exact", "about", "at_least", "at_most", "range"]
TermBound = Literal["exact", "about", "at_least", "at_most", "less_than"]
Precision = Literal["day", "approx_day", "month", "quarter", "year"]
Category = Literal["us_policy", "cn_policy", "company", "diplomacy", "market"]
Sparsity = Literal["dense", "sparse", "not_stated", "n/a"]

SPEC_UNITS = {
    "fp16_bf16_tflops": "TFLOPS", "fp8_tflops": "TFLOPS", "fp4_tflops": "TFLOPS",
    "tf32_tflops": "TFLOPS", "fp32_tflops": "TFLOPS", "int8_tops": "TOPS", "memory_gb": "GB",
    "memory_bandwidth_tbs": "TB/s", "interconnect_gbs": "GB/s", "tdp_w": "W", "tpp": "TPP",
}
# Throughput metrics have a sparsity; memory, power and links do not (data-format.md).
NO_SPARSITY = {"memory_gb", "memory_bandwidth_tbs", "interconnect_gbs", "tdp_w"}
TERM_UNITS = {
    "tpp": "TPP", "memory_bandwidth_gbs": "GB/s", "volume_share_of_us": "percent",
    "duty": "percent", "revenue_share": "percent", "per_customer_cap": "chips",
    "total_cap": "chips",
}
NO_VALUE_BOUNDS = {"none_reported", "not_quantified"}


def _period_start(date: Optional[dt.date], precision: str, column: str) -> Iterator[tuple[str, str]]:
    """A month/quarter/year date is the first day of its period (data-format.md)."""
    if date is None:
        return
    if precision == "month" and date.day != 1:
        yield column, "must be the first day of the month when precision is month"
    elif precision == "quarter" and (date.day != 1 or date.month not in (1, 4, 7, 10)):
        yield column, "must be the first day of a quarter when precision is quarter"
    elif precision == "year" and (date.day, date.month) != (1, 1):
        yield column, "must be January 1 when precision is year"


def _range_rules(bound: str, value, value_high) -> Iterator[tuple[str, str]]:
    if bound == "range" and value_high is None:
        yield "value_high", "required when bound is range"
    elif bound != "range" and value_high is not None:
        yield "value_high", f"must be empty when bound is {bound} (only a range has a high end)"
    elif value is not None and value_high is not None and value_high < value:
        yield "value_high", f"below value {value:g}"


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def checks(self) -> Iterator[tuple[str, str]]:
        return iter(())


class Source(Row):
    source_id: Id
    publisher: str
    title: str
    url: Url
    published_date: Optional[Date] = None
    grade: Grade
    via: Optional[str] = None
    notes: Optional[str] = None


class Company(Row):
    company_id: Id
    name: str
    country: str
    role: Role


class Chip(Row):
    chip_id: Id
    vendor: Id
    name: str
    architecture: str
    released: Optional[Annotated[str, StringConstraints(pattern=RELEASED_PATTERN)]] = None
    notes: Optional[str] = None


class TradeFigure(Row):
    figure_id: Id
    chip_id: Id
    stage: Stage
    metric: str
    measure: Optional[Id] = None
    value: Optional[Num] = None
    value_high: Optional[Num] = None
    unit: TradeUnit
    bound: TradeBound
    as_of_date: Date
    as_of_precision: Precision
    published_date: Optional[Date] = None
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self):
        if self.bound in NO_VALUE_BOUNDS and self.value is not None:
            yield "value", f"must be empty when bound is {self.bound} (unknown is not zero)"
        if self.bound not in NO_VALUE_BOUNDS and self.value is None:
            yield "value", f"required when bound is {self.bound}"
        yield from _range_rules(self.bound, self.value, self.value_high)
        if self.published_date is not None and self.published_date < self.as_of_date:
            yield "published_date", f"before as_of_date {self.as_of_date.isoformat()}"
        yield from _period_start(self.as_of_date, self.as_of_precision, "as_of_date")


class FigureCompany(Row):
    figure_id: Id
    company_id: Id


class ChipSpec(Row):
    spec_id: Id
    chip_id: Id
    metric: Literal[tuple(SPEC_UNITS)]  # type: ignore[valid-type]
    value: Num
    value_high: Optional[Num] = None
    unit: Literal[tuple(sorted(set(SPEC_UNITS.values())))]  # type: ignore[valid-type]
    bound: SpecBound
    sparsity: Sparsity
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self):
        if SPEC_UNITS[self.metric] != self.unit:
            yield "unit", f"{self.metric} is measured in {SPEC_UNITS[self.metric]}"
        yield from _range_rules(self.bound, self.value, self.value_high)
        if self.metric in NO_SPARSITY and self.sparsity != "n/a":
            yield "sparsity", f"must be n/a for {self.metric}"
        if self.metric not in NO_SPARSITY and self.metric != "tpp" and self.sparsity == "n/a":
            yield "sparsity", f"{self.metric} is a throughput: dense, sparse or not_stated"


class ReportedRatio(Row):
    """A ratio a source states itself ("about six times the H20"): data, not our arithmetic."""
    ratio_id: Id
    chip_id: Id
    reference_chip_id: Id
    basis: Literal[tuple(SPEC_UNITS) + ("not_stated",)]  # type: ignore[valid-type]
    value: Num
    value_high: Optional[Num] = None
    bound: SpecBound
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self):
        if self.chip_id == self.reference_chip_id:
            yield "reference_chip_id", "must differ from chip_id (a chip compared with itself)"
        if self.value == 0:
            yield "value", "a ratio of 0 is not a reported comparison"
        yield from _range_rules(self.bound, self.value, self.value_high)


class Event(Row):
    event_id: Id
    date: Date
    date_precision: Precision
    category: Category
    title: str
    description: Optional[str] = None
    source_id: Id

    def checks(self):
        yield from _period_start(self.date, self.date_precision, "date")


class EventCompany(Row):
    event_id: Id
    company_id: Id


class PolicyTerm(Row):
    term_id: Id
    rule: str
    metric: Literal[tuple(TERM_UNITS)]  # type: ignore[valid-type]
    value: Num
    unit: Literal[tuple(sorted(set(TERM_UNITS.values())))]  # type: ignore[valid-type]
    bound: TermBound
    effective_date: Optional[Date] = None
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self):
        if TERM_UNITS[self.metric] != self.unit:
            yield "unit", f"{self.metric} is measured in {TERM_UNITS[self.metric]}"


MODELS: dict[str, type[Row]] = {
    "sources": Source, "companies": Company, "chips": Chip, "trade_figures": TradeFigure,
    "figure_companies": FigureCompany, "chip_specs": ChipSpec, "reported_ratios": ReportedRatio,
    "events": Event,
    "event_companies": EventCompany, "policy_terms": PolicyTerm,
}
