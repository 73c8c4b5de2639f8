"""Pydantic row models, one per table: cell typing and vocabularies.

Field names are the CSV column names, so a pydantic error loc[0] is the column. Cells arrive as
str (or None for an empty cell). Dates and numbers use our own parsers, stricter than pydantic's
lax mode (which would take '20260101' or 'nan'), so the database casts can never disagree.
Cross-field rules live in each model's `checks(vocab)`, yielding (column, message); the
vocabularies themselves (grades, stages, bounds, units, metrics) are reference data in data/,
checked as references by the validator, never spelled here.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Annotated, Iterator, Literal, Optional
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9_]+$"
COLOUR_PATTERN = r"^#[0-9a-f]{6}$"
RELEASED_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$"
# Human wording for pattern errors (pydantic only says "should match pattern ...").
PATTERN_MESSAGES = {
    ID_PATTERN: "malformed id (expected lower-case [a-z0-9_]+)",
    RELEASED_PATTERN: "expected YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn",
    COLOUR_PATTERN: "expected a colour as #rrggbb (lower-case hex)",
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

Role = Literal["buyer", "vendor", "distributor", "foundry", "supplier"]
Precision = Literal["day", "approx_day", "month", "quarter", "year"]
Sparsity = Literal["dense", "sparse", "not_stated", "n/a"]
Colour = Annotated[str, StringConstraints(pattern=COLOUR_PATTERN)]


def parse_bool(v: Optional[str]) -> Optional[bool]:
    if v is None or isinstance(v, bool):
        return v
    if v not in ("true", "false"):
        raise PydanticCustomError("bool_format", "expected true or false")
    return v == "true"


Bool = Annotated[bool, BeforeValidator(parse_bool)]


@dataclass(frozen=True)
class Vocab:
    """What the reference tables say, for the rules of a curated row (built by the validator
    from data/; empty when a reference table was unusable, and then its rules are skipped)."""

    bound_has_value: dict = field(default_factory=dict)      # bound -> bool
    spec_metrics: dict = field(default_factory=dict)         # metric -> (unit, sparsity_rule)
    term_units: dict = field(default_factory=dict)           # metric -> unit


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

    def checks(self, vocab: Vocab) -> Iterator[tuple[str, str]]:
        return iter(())


class Dated(Row):
    added_on: Date   # the day the row entered the dataset


# --- Reference data ---------------------------------------------------------------------------
class Grade(Dated):
    grade: Annotated[str, StringConstraints(pattern=r"^[A-Z]$")]
    grade_order: Annotated[int, Field(ge=1)]
    label: str
    filter_label: str


class Stage(Dated):
    stage: Id
    stage_order: Annotated[int, Field(ge=1)]
    label: str
    colour: Colour
    in_pipeline: Bool
    headline_card: Bool
    definition: str


class Bound(Dated):
    bound: Id
    bound_order: Annotated[int, Field(ge=1)]
    label: str
    symbol: Optional[str] = None
    source_words: str
    shown_as: str
    has_value: Bool
    in_figures: Bool
    in_specs: Bool
    in_terms: Bool


class Unit(Dated):
    unit: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_/]+$")]
    label: str
    kind: Literal["chip_count", "module_count", "firm_count", "share", "money", "spec"]
    prefix: Optional[str] = None
    suffix: Optional[str] = None
    in_figures: Bool
    in_specs: Bool
    in_terms: Bool


class Category(Dated):
    category: Id
    label: str
    colour: Colour


class SpecMetric(Dated):
    metric: Id
    metric_order: Annotated[int, Field(ge=1)]
    label: str
    unit: str
    sparsity_rule: Literal["throughput", "none", "any"]


class TermMetric(Dated):
    metric: Id
    label: str
    unit: str
    spec_metric: Optional[Id] = None
    spec_scale: Optional[Num] = None

    def checks(self, vocab):
        if (self.spec_metric is None) != (self.spec_scale is None):
            yield "spec_scale", "spec_metric and spec_scale go together (both or neither)"


class ChipRole(Dated):
    role: Literal["subject", "reference", "pipeline"]
    chip_id: Id
    notes: Optional[str] = None


# --- Curated tables ---------------------------------------------------------------------------
class Source(Dated):
    source_id: Id
    publisher: str
    title: str
    url: Optional[Url] = None
    published_date: Optional[Date] = None
    grade: str
    relays: Optional[Id] = None
    read: Bool
    notes: Optional[str] = None

    def checks(self, vocab):
        if self.read and self.url is None:
            yield "url", "required when read is true (where we read it)"
        if self.relays is not None and self.relays == self.source_id:
            yield "relays", "a source cannot relay itself"
        if self.relays is not None and not self.read:
            yield "relays", "only a source that was read can relay an original"


class Company(Dated):
    company_id: Id
    name: str
    country: str
    role: Role


class Chip(Dated):
    chip_id: Id
    vendor: Id
    name: str
    architecture: str
    released: Optional[Annotated[str, StringConstraints(pattern=RELEASED_PATTERN)]] = None
    notes: Optional[str] = None


def _value_rules(bound: str, value, vocab: Vocab) -> Iterator[tuple[str, str]]:
    has_value = vocab.bound_has_value.get(bound)
    if has_value is False and value is not None:
        yield "value", f"must be empty when bound is {bound} (unknown is not zero)"
    if has_value is True and value is None:
        yield "value", f"required when bound is {bound}"


class TradeFigure(Dated):
    figure_id: Id
    chip_id: Id
    stage: Id
    metric: str
    measure: Optional[Id] = None
    value: Optional[Num] = None
    value_high: Optional[Num] = None
    unit: str
    bound: Id
    as_of_date: Date
    as_of_precision: Precision
    published_date: Optional[Date] = None
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self, vocab):
        yield from _value_rules(self.bound, self.value, vocab)
        yield from _range_rules(self.bound, self.value, self.value_high)
        if self.published_date is not None and self.published_date < self.as_of_date:
            yield "published_date", f"before as_of_date {self.as_of_date.isoformat()}"
        yield from _period_start(self.as_of_date, self.as_of_precision, "as_of_date")


class FigureCompany(Dated):
    figure_id: Id
    company_id: Id


class ChipSpec(Dated):
    spec_id: Id
    chip_id: Id
    metric: Id
    value: Num
    value_high: Optional[Num] = None
    unit: str
    bound: Id
    sparsity: Sparsity
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self, vocab):
        unit, rule = vocab.spec_metrics.get(self.metric, (None, None))
        if unit is not None and unit != self.unit:
            yield "unit", f"{self.metric} is measured in {unit}"
        yield from _range_rules(self.bound, self.value, self.value_high)
        if rule == "none" and self.sparsity != "n/a":
            yield "sparsity", f"must be n/a for {self.metric}"
        if rule == "throughput" and self.sparsity == "n/a":
            yield "sparsity", f"{self.metric} is a throughput: dense, sparse or not_stated"


class SpecDerivation(Dated):
    derivation_id: Id
    chip_id: Id
    from_chip_id: Id
    metric: Id
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self, vocab):
        if self.chip_id == self.from_chip_id:
            yield "from_chip_id", "must differ from chip_id (a chip derived from itself)"


class ReportedRatio(Dated):
    """A ratio a source states itself ("about six times the H20"): data, not our arithmetic."""
    ratio_id: Id
    chip_id: Id
    reference_chip_id: Id
    basis: Id
    value: Num
    value_high: Optional[Num] = None
    bound: Id
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self, vocab):
        if self.chip_id == self.reference_chip_id:
            yield "reference_chip_id", "must differ from chip_id (a chip compared with itself)"
        if self.value == 0:
            yield "value", "a ratio of 0 is not a reported comparison"
        yield from _range_rules(self.bound, self.value, self.value_high)


class Event(Dated):
    event_id: Id
    date: Date
    date_precision: Precision
    category: Id
    title: str
    description: Optional[str] = None
    source_id: Id

    def checks(self, vocab):
        yield from _period_start(self.date, self.date_precision, "date")


class EventCompany(Dated):
    event_id: Id
    company_id: Id


class PolicyTerm(Dated):
    term_id: Id
    rule: str
    metric: Id
    value: Num
    unit: str
    bound: Id
    effective_date: Optional[Date] = None
    source_id: Id
    quote: str
    notes: Optional[str] = None

    def checks(self, vocab):
        unit = vocab.term_units.get(self.metric)
        if unit is not None and unit != self.unit:
            yield "unit", f"{self.metric} is measured in {unit}"


class Revision(Row):
    revision_id: Id
    revised_on: Date
    action: Literal["revised", "withdrawn"]
    table_name: Id
    row_id: str
    field: Optional[Id] = None
    old_value: Optional[str] = None
    new_value: Optional[str] = None
    reason: str
    source_id: Optional[Id] = None

    def checks(self, vocab):
        if self.action == "revised" and self.field is None:
            yield "field", "required when action is revised (which field changed)"
        if self.action == "withdrawn" and self.new_value is not None:
            yield "new_value", "must be empty when action is withdrawn (the row is gone)"


class ExpectedReport(Dated):
    report_id: Id
    what: str
    why_it_matters: str
    expected_date: Date
    expected_precision: Precision
    stage: Optional[Id] = None
    would_update: str
    notes: Optional[str] = None

    def checks(self, vocab):
        yield from _period_start(self.expected_date, self.expected_precision, "expected_date")


MODELS: dict[str, type[Row]] = {
    "grades": Grade, "stages": Stage, "bounds": Bound, "units": Unit, "categories": Category,
    "spec_metrics": SpecMetric, "term_metrics": TermMetric, "chip_roles": ChipRole,
    "sources": Source, "companies": Company, "chips": Chip, "trade_figures": TradeFigure,
    "figure_companies": FigureCompany, "chip_specs": ChipSpec, "spec_derivations": SpecDerivation,
    "reported_ratios": ReportedRatio, "events": Event, "event_companies": EventCompany,
    "policy_terms": PolicyTerm, "revisions": Revision, "expected_reports": ExpectedReport,
}
