"""Pydantic row models of the curated tables (the reference tables' are in
etl/reference_models.py, the cell types in etl/cells.py), collected in MODELS.

Field names are the CSV column names, so a pydantic error loc[0] is the column. Cells arrive as
str (or None for an empty cell).
Cross-field rules live in each model's `checks(vocab)`, yielding (column, message); the
vocabularies themselves (grades, stages, bounds, units, metrics) are reference data in data/,
checked as references by the validator, never spelled here.
"""
from __future__ import annotations

from typing import Annotated, Iterator, Literal, Optional

from pydantic import StringConstraints

from etl.cells import (  # noqa: F401  (parsers and patterns are re-exported for the validator and tests)
    COLOUR_PATTERN, ID_PATTERN, PATTERN_MESSAGES, RELEASED_PATTERN, Bool, Date, Dated, Id, Num,
    Precision, Role, Row, Sparsity, Url, Vocab, _period_start, _range_rules, parse_bool,
    parse_date, parse_number, parse_url)
from etl.reference_models import Bound, Category, ChipRole, Grade, SpecMetric, Stage, TermMetric, Unit


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
