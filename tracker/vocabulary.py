"""The words and orders the data defines (data/stages.csv, bounds.csv, ...), as one value the
pages and chart builders read. Nothing here is spelled in code: it is read from the published
database by queries.vocabulary() and cached per build."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Vocabulary:
    stages: dict[str, dict] = field(default_factory=dict)        # stage -> label, colour, stage_order, ...
    bounds: dict[str, dict] = field(default_factory=dict)        # bound -> label, symbol, source_words, shown_as
    units: dict[str, dict] = field(default_factory=dict)         # unit -> label, kind, prefix, suffix
    categories: dict[str, dict] = field(default_factory=dict)    # category -> label, colour
    grades: dict[str, dict] = field(default_factory=dict)        # grade -> label, filter_label (best first)
    spec_metrics: dict[str, dict] = field(default_factory=dict)  # metric -> label, unit, sparsity_rule
    term_metrics: dict[str, dict] = field(default_factory=dict)  # metric -> label, unit, spec_metric, spec_scale
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role -> chip ids

    def label(self, table: str, key: str) -> str:
        """The label of a term, or the term itself when the vocabulary does not know it."""
        return getattr(self, table).get(key, {}).get("label", key)

    def symbol(self, bound: str) -> str:
        """'≥ ' for at_least; '' for exact or an unknown bound."""
        sym = self.bounds.get(bound, {}).get("symbol")
        return f"{sym} " if sym else ""

    def colour(self, table: str, key: str) -> str:
        return getattr(self, table).get(key, {}).get("colour") or "#888888"

    def chip(self, role: str) -> str | None:
        """The one chip of a role (subject, reference), or None."""
        chips = self.roles.get(role, ())
        return chips[0] if chips else None

    def headline_stages(self) -> list[str]:
        return [s for s, row in self.stages.items() if row["headline_card"]]

    def pipeline_stages(self) -> list[str]:
        return [s for s, row in self.stages.items() if row["in_pipeline"]]
