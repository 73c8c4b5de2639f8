"""Declarative table specs: file, columns in contract order, required cells, keys, references.

TABLES is also the load order: every table comes after the tables it references, which lets the
validator check references while it streams a file (targets are already known).
Keep in step with etl/schema.sql and docs/data-format.md.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    column: str   # column in this table
    table: str    # referenced table (its single-column key)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    required: frozenset[str]
    key: tuple[str, ...]
    refs: tuple[Ref, ...] = ()
    rows_required: bool = True   # a header-only file is a problem (link tables may be empty)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def _t(name, columns, required, key, refs=(), rows_required=True) -> Table:
    cols = tuple(columns.split())
    req = frozenset(required.split())
    assert req <= set(cols), name
    return Table(name, cols, req, tuple(key.split()), tuple(Ref(c, t) for c, t in refs), rows_required)


TABLES: tuple[Table, ...] = (
    _t("sources", "source_id publisher title url published_date grade via notes",
       "source_id publisher title url grade", "source_id"),
    _t("companies", "company_id name country role", "company_id name country role", "company_id"),
    _t("chips", "chip_id vendor name architecture released notes",
       "chip_id vendor name architecture", "chip_id", [("vendor", "companies")]),
    _t("trade_figures",
       "figure_id chip_id stage metric measure value value_high unit bound as_of_date as_of_precision "
       "published_date source_id quote notes",
       "figure_id chip_id stage metric unit bound as_of_date as_of_precision source_id quote",
       "figure_id", [("chip_id", "chips"), ("source_id", "sources")]),
    _t("figure_companies", "figure_id company_id", "figure_id company_id", "figure_id company_id",
       [("figure_id", "trade_figures"), ("company_id", "companies")], rows_required=False),
    _t("chip_specs",
       "spec_id chip_id metric value value_high unit bound sparsity source_id quote notes",
       "spec_id chip_id metric value unit bound sparsity source_id quote", "spec_id",
       [("chip_id", "chips"), ("source_id", "sources")]),
    _t("reported_ratios",
       "ratio_id chip_id reference_chip_id basis value value_high bound source_id quote notes",
       "ratio_id chip_id reference_chip_id basis value bound source_id quote", "ratio_id",
       [("chip_id", "chips"), ("reference_chip_id", "chips"), ("source_id", "sources")],
       rows_required=False),
    _t("events", "event_id date date_precision category title description source_id",
       "event_id date date_precision category title source_id", "event_id",
       [("source_id", "sources")]),
    _t("event_companies", "event_id company_id", "event_id company_id", "event_id company_id",
       [("event_id", "events"), ("company_id", "companies")], rows_required=False),
    _t("policy_terms",
       "term_id rule metric value unit bound effective_date source_id quote notes",
       "term_id rule metric value unit bound source_id quote", "term_id",
       [("source_id", "sources")]),
)

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
BY_FILE: dict[str, Table] = {t.file: t for t in TABLES}
