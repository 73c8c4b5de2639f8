"""Drill-down: click a bar (st.plotly_chart selection events) and the page lists the reports
behind it; the URL records it (`?drill=stage:cn_approved`), so a link reproduces it.

What a mark stands for travels in the figure (customdata [kind, id], set by the pure builders
in tracker/charts/). A selection becomes a Drill (from_selection); the URL value is user
input and is validated like the filters (parse: only a kind this page offers and an id from
the database pass; anything else is dropped from the URL with a visible warning). The URL is
the one place the drill-down lives: a page link without it starts undrilled.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from tracker import charts, embed, queries, ui
from tracker.filters import MAX_PARAM_LEN, _shown
from tracker.i18n import _, ngettext

PARAM = "drill"
KINDS = ("stage", "company", "chip")
_GEN = "_drill_generation"  # bumped by "Clear": a new chart key drops the chart's own selection


@dataclass(frozen=True)
class Drill:
    kind: str  # one of KINDS
    id: str    # a stage, company or chip id from the database

    @property
    def param(self) -> str:
        return f"{self.kind}:{self.id}"


# --- pure: a selection payload -> a Drill; URL values -> a Drill and warnings -----------------
def from_selection(state: object, kinds: tuple[str, ...]) -> Drill | None:
    """The first selected point whose customdata names a kind this chart offers; None when
    nothing (or nothing drillable) is selected. `state` is what st.plotly_chart keeps in
    session_state: {"selection": {"points": [{"customdata": [kind, id], ...}, ...], ...}}."""
    selection = state.get("selection") if isinstance(state, dict) or hasattr(state, "get") else None
    points = selection.get("points") if selection is not None and hasattr(selection, "get") else None
    for point in points or []:
        data = point.get("customdata") if hasattr(point, "get") else None
        if isinstance(data, (list, tuple)) and len(data) >= 2 and data[0] in kinds and isinstance(data[1], str):
            return Drill(str(data[0]), data[1])
    return None


def parse(values: list[str], known: dict[str, dict[str, str]]) -> tuple[Drill | None, list[str]]:
    """Validate the URL's drill values: `known` is kind -> {id: label} for what this page offers."""
    warnings: list[str] = []
    if not values:
        return None, warnings
    if len(values) > 1:
        warnings.append(_("Ignored `drill` values after the first."))
    value = values[0]
    if len(value) > MAX_PARAM_LEN:
        warnings.append(_("Ignored a `drill` value of {n} characters.").format(n=len(value)))
        return None, warnings
    kind, _sep, ident = value.partition(":")
    if kind not in known or ident not in known[kind]:
        warnings.append(_("Ignored the drill-down “{value}”: this page can narrow to {kinds} ids from the "
                          "data only.").format(value=_shown(value), kinds=" / ".join(known) or "—"))
        return None, warnings
    return Drill(kind, ident), warnings


# --- Streamlit side -------------------------------------------------------------------------
def current(known: dict[str, dict[str, str]]) -> Drill | None:
    """This run's drill-down, from the URL; a bad value is dropped from it, with a warning."""
    raw = st.query_params.get_all(PARAM)
    drill, warnings = parse(raw, known)
    for message in warnings:
        st.warning(message, icon=":material/warning:")
    if raw and drill is None:
        del st.query_params[PARAM]
    elif drill is not None and raw != [drill.param]:
        st.query_params[PARAM] = drill.param
    return drill


def clear() -> None:
    if PARAM in st.query_params:
        del st.query_params[PARAM]
    st.session_state[_GEN] = st.session_state.get(_GEN, 0) + 1


def select(name: str, kinds: tuple[str, ...]) -> tuple[str, Callable[[], None]]:
    """(chart key, on_select callback) for ui.chart_block: a click writes the URL, a
    deselection (double-click on the chart) clears it."""
    generation = st.session_state.get(_GEN, 0)  # chart_<name> as other charts, until a clear
    key = f"chart_{name}" + (f"_{generation}" if generation else "")

    def chosen() -> None:
        drill = from_selection(st.session_state.get(key), kinds)
        if drill is not None:
            st.query_params[PARAM] = drill.param
        elif PARAM in st.query_params:
            del st.query_params[PARAM]
    return key, chosen


def hint() -> None:
    if embed.state() is not None:  # an embedded view is the chart alone (tracker/embed.py)
        return
    st.caption(_("Click a bar to list the reports behind it; the link then keeps the selection."))


def reports(page: ui.Page, drill: Drill, label: str, columns: list[str]) -> ui.Tables:
    """The reports behind the selection, with their sources and CSV, and the way back."""
    if not page.full:  # not part of an embedded view
        return {}
    rows: pd.DataFrame = queries.drill_reports(page.filters, drill.kind, drill.id, page.version)
    with st.container(border=True, key="drill_reports"):
        head, button = st.columns([4, 1.3])
        head.markdown(_("**Reports behind the selection: {label}** ({n} under the filters)")
                      .format(label=ui.md(label), n=len(rows)))
        button.button(_("Clear the selection"), on_click=clear, key="drill_clear", icon=":material/close:")
        if rows.empty:
            ui.no_match(_("report of this selection"))
            return {}
        return ui.download_table(rows, columns, f"reports-{drill.kind}-{drill.id}", page)


def pipeline_stages(page: ui.Page) -> dict[str, str]:
    """The stages the pipeline chart draws (stages.in_pipeline): id -> label."""
    return {k: v["label"] for k, v in queries.vocabulary(page.version).stages.items() if v.get("in_pipeline")}


def chart(page: ui.Page, drilled: Drill | None, kind: str, known: dict[str, str],
          build: Callable[[str | None], object], data: pd.DataFrame, name: str, columns: list[str],
          report_columns: list[str], **chart) -> ui.Tables:
    """A chart whose bars drill down by `kind` (ids in `known`: id -> label): the chart (the
    drilled bar drawn selected), and under it the reports behind it. `drilled` is the page's
    current() (read once per run: a page may offer several kinds)."""
    chosen = drilled.id if drilled is not None and drilled.kind == kind else None
    tables = ui.chart_block(lambda: build(chosen), data, name, page, columns, key=(chosen,),
                            select=select(name, (kind,)), **chart)
    hint()
    if chosen is not None:
        tables |= reports(page, drilled, known[chosen], report_columns)
    return tables


COMPANY_COLUMNS = ["company_id", "company", "reports", "shared_reports"]


def company_chart(page: ui.Page, drilled: Drill | None) -> ui.Tables:
    """Reports naming each company (a count), drilling down to the reports that name one."""
    counts = queries.company_reports(page.filters, page.version)
    alt = "; ".join(ngettext("{company}: {n} report ({k} shared)", "{company}: {n} reports ({k} shared)",
                             int(r["reports"])).format(company=r["company"], n=r["reports"], k=r["shared_reports"])
                    for r in counts.to_dict("records"))
    return chart(page, drilled, "company", page.options.companies,
                 lambda company: charts.company_reports(counts, selected=company), counts,
                 "reports-per-company", COMPANY_COLUMNS, ui.FIGURE_COLUMNS, date_col=None,
                 alt=_("Bar chart, reports naming each company: {list}.").format(list=alt))
