"""Declarative table specs: file, columns in contract order, required cells, keys, references.

TABLES is also the load order: every table comes after the tables it references, which lets the
validator check references while it streams a file (targets are already known). Reference
tables (vocabularies, chip roles) come first; the validator keeps their rows, so a curated
row's cross-table rules (a bound's has_value, a metric's unit) read the data, not code.
Keep in step with etl/schema.sql and docs/data-format.md.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    column: str                # column in this table
    table: str                 # referenced table (its single-column key)
    where: str | None = None   # a boolean column of the target: only rows where it is true
    also: tuple[str, ...] = () # values allowed besides the target's keys (e.g. not_stated)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    required: frozenset[str]
    key: tuple[str, ...]
    refs: tuple[Ref, ...] = ()
    rows_required: bool = True   # a header-only file is a problem (link tables may be empty)
    reference: bool = False      # rows kept for cross-table rules (vocabularies, sources)
    vocabulary: bool = False     # a small list of terms: an unknown one is told the allowed ones

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def _t(name, columns, required, key, refs=(), rows_required=True, reference=False) -> Table:
    """reference: False, "rows" (kept) or True (kept, and a vocabulary)."""
    cols = tuple(columns.split())
    req = frozenset(required.split())
    assert req <= set(cols), name
    return Table(name, cols, req, tuple(key.split()),
                 tuple(r if isinstance(r, Ref) else Ref(*r) for r in refs), rows_required,
                 bool(reference), reference is True)


SOURCE = Ref("source_id", "sources", where="read")  # a figure cites what was read, never an unread original

TABLES: tuple[Table, ...] = (
    _t("grades", "grade grade_order label filter_label added_on",
       "grade grade_order label filter_label added_on", "grade", reference=True),
    _t("stages", "stage stage_order label colour in_pipeline headline_card definition added_on",
       "stage stage_order label colour in_pipeline headline_card definition added_on", "stage",
       reference=True),
    _t("bounds", "bound bound_order label symbol source_words shown_as has_value in_figures in_specs "
       "in_terms added_on",
       "bound bound_order label source_words shown_as has_value in_figures in_specs in_terms added_on",
       "bound", reference=True),
    _t("units", "unit label kind prefix suffix in_figures in_specs in_terms added_on",
       "unit label kind in_figures in_specs in_terms added_on", "unit", reference=True),
    _t("categories", "category label colour added_on", "category label colour added_on", "category",
       reference=True),
    _t("spec_metrics", "metric metric_order label unit sparsity_rule added_on",
       "metric metric_order label unit sparsity_rule added_on", "metric",
       [Ref("unit", "units", where="in_specs")], reference=True),
    _t("term_metrics", "metric label unit spec_metric spec_scale added_on",
       "metric label unit added_on", "metric",
       [Ref("unit", "units", where="in_terms"), ("spec_metric", "spec_metrics")], reference=True),
    _t("sources", "source_id publisher title url published_date grade relays read notes added_on",
       "source_id publisher title grade read added_on", "source_id",
       [("grade", "grades")], reference="rows"),
    _t("companies", "company_id name country role added_on", "company_id name country role added_on",
       "company_id"),
    _t("chips", "chip_id vendor name architecture released notes added_on",
       "chip_id vendor name architecture added_on", "chip_id", [("vendor", "companies")]),
    _t("chip_roles", "role chip_id notes added_on", "role chip_id added_on", "role chip_id",
       [("chip_id", "chips")], reference="rows"),
    _t("trade_figures",
       "figure_id chip_id stage metric measure value value_high unit bound as_of_date as_of_precision "
       "published_date source_id quote notes added_on",
       "figure_id chip_id stage metric unit bound as_of_date as_of_precision source_id quote added_on",
       "figure_id", [("chip_id", "chips"), ("stage", "stages"), Ref("unit", "units", where="in_figures"),
                     Ref("bound", "bounds", where="in_figures"), SOURCE]),
    _t("figure_companies", "figure_id company_id added_on", "figure_id company_id added_on",
       "figure_id company_id", [("figure_id", "trade_figures"), ("company_id", "companies")],
       rows_required=False),
    _t("chip_specs",
       "spec_id chip_id metric value value_high unit bound sparsity source_id quote notes added_on",
       "spec_id chip_id metric value unit bound sparsity source_id quote added_on", "spec_id",
       [("chip_id", "chips"), ("metric", "spec_metrics"), Ref("unit", "units", where="in_specs"),
        Ref("bound", "bounds", where="in_specs"), SOURCE]),
    _t("spec_derivations", "derivation_id chip_id from_chip_id metric source_id quote notes added_on",
       "derivation_id chip_id from_chip_id metric source_id quote added_on", "derivation_id",
       [("chip_id", "chips"), ("from_chip_id", "chips"), ("metric", "spec_metrics"), SOURCE],
       rows_required=False),
    _t("reported_ratios",
       "ratio_id chip_id reference_chip_id basis value value_high bound source_id quote notes added_on",
       "ratio_id chip_id reference_chip_id basis value bound source_id quote added_on", "ratio_id",
       [("chip_id", "chips"), ("reference_chip_id", "chips"),
        Ref("basis", "spec_metrics", also=("not_stated",)), Ref("bound", "bounds", where="in_specs"),
        SOURCE], rows_required=False),
    _t("events", "event_id date date_precision category title description source_id added_on",
       "event_id date date_precision category title source_id added_on", "event_id",
       [("category", "categories"), SOURCE]),
    _t("event_companies", "event_id company_id added_on", "event_id company_id added_on",
       "event_id company_id", [("event_id", "events"), ("company_id", "companies")],
       rows_required=False),
    _t("policy_terms",
       "term_id rule metric value unit bound effective_date source_id quote notes added_on",
       "term_id rule metric value unit bound source_id quote added_on", "term_id",
       [("metric", "term_metrics"), Ref("unit", "units", where="in_terms"),
        Ref("bound", "bounds", where="in_terms"), SOURCE]),
    _t("revisions",
       "revision_id revised_on action table_name row_id field old_value new_value reason source_id",
       "revision_id revised_on action table_name row_id reason", "revision_id",
       [("source_id", "sources")], rows_required=False),
    _t("expected_reports",
       "report_id what why_it_matters expected_date expected_precision stage would_update notes added_on",
       "report_id what why_it_matters expected_date expected_precision would_update added_on",
       "report_id", [("stage", "stages")], rows_required=False),
)

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
BY_FILE: dict[str, Table] = {t.file: t for t in TABLES}
