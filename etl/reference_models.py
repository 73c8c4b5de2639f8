"""Row models of the reference tables (vocabularies and chip roles, data/grades.csv ...):
the small tables whose rows the validator keeps for the curated tables' rules."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import Field, StringConstraints

from etl.cells import Bool, Colour, Dated, Id, Num

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
