"""Who the rows cite, in one line: "Reuters, 2026-01-28 (H); SCMP (M)".

parts() groups the rows by publisher once; plain() is the face for citations and image footers,
markdown() the caption under a chart on screen (escaped, with a pointer to the data table).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tracker import labels
from tracker.exports.text import flat
from tracker.i18n import _
from tracker.markdown import escape

LIMIT = 12   # publishers named; the rest are counted
DATES = 3    # dates named per publisher; more end in "…"


@dataclass(frozen=True)
class Part:
    publisher: object
    dates: tuple[str, ...]  # the distinct days the rows describe, sorted; () when not dated
    grade: object

    @property
    def when(self) -> str:
        shown = ", ".join(self.dates[:DATES]) + ("…" if len(self.dates) > DATES else "")
        return f", {shown}" if self.dates else ""


def parts(data: pd.DataFrame, date_col: str | None) -> list[Part]:
    """One part per publisher, sorted by name; dates from date_col when the rows have it."""
    if data.empty or "publisher" not in data:
        return []
    dated = date_col is not None and date_col in data
    cols = ["publisher", "grade"] + ([date_col] if dated else [])
    return [Part(publisher,
                 tuple(sorted({labels.day(d) for d in group[date_col]})) if dated else (),
                 group["grade"].iloc[0])
            for publisher, group in data[cols].groupby("publisher", sort=True)]


def _join(texts: list[str], limit: int, rest: str) -> str:
    more = "; " + _("and {n} more ({where})").format(n=len(texts) - limit, where=rest) if len(texts) > limit else ""
    return "; ".join(texts[:limit]) + more


def plain(data: pd.DataFrame, date_col: str | None = "as_of_date", limit: int = LIMIT) -> str:
    """'Reuters, 2026-01-28 (H); SCMP (M)', one line; "none" when the rows cite nobody."""
    found = parts(data, date_col)
    if not found:
        return _("none")
    return _join([f"{flat(p.publisher)}{p.when} ({p.grade})" for p in found], limit,
                 _("see sources.csv"))


def markdown(data: pd.DataFrame, date_col: str | None = None, limit: int = LIMIT) -> str:
    """'Sources: …' for a caption, every data string escaped; "" when the rows cite nobody."""
    found = parts(data, date_col)
    if not found:
        return ""
    return _("Sources: {list}").format(list=_join([f"{escape(p.publisher)}{escape(p.when)} ({escape(p.grade)})"
                                                   for p in found], limit, _("see the data table")))
