"""What we know we don't know (design.md rule 10): how old the newest report is against the
build, the date of each stage's latest report, and the reports expected but not yet in the data
(data/expected_reports.csv). Data strings reach markdown only through tracker.markdown.escape.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from tracker import db, labels, queries
from tracker.filters import Filters
from tracker.i18n import N_, _
from tracker.markdown import escape as md

STALE_DAYS = 60   # a build whose newest report is older than this warns on every page
STALE_PREFIX = N_("The newest report in the data")


def _date(value: object) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def staleness(newest: object, built: object) -> int | None:
    """Days between the newest report and the build, or None when either is unknown."""
    newest, built = _date(newest), _date(built)
    return None if newest is None or built is None else (built - newest).days


def stale_warning(version: db.Version) -> None:
    """A warning on every page when the newest report is more than STALE_DAYS before the build."""
    cur = queries.currency(version)
    days = staleness(cur["newest_report"], cur["built_at"])
    if days is not None and days > STALE_DAYS:
        st.warning(_("The newest report in the data is from {day}, {days} days before this build "
                     "({built}): later reports may exist that are not in the data yet. The reports known "
                     "to be missing are listed on the Overview and on Sources and method.").format(
                         day=labels.day(cur["newest_report"]), days=days, built=labels.day(cur["built_at"])),
                   icon=":material/schedule:")


def period_end(start: object, precision: str) -> dt.date:
    """The last day of the period an expected date stands for (its first day)."""
    d = _date(start)
    if precision == "month":
        return (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date()
    if precision == "quarter":
        return (pd.Timestamp(d) + pd.offsets.QuarterEnd(0)).date()
    if precision == "year":
        return dt.date(d.year, 12, 31)
    return d


def expected_lines(expected: pd.DataFrame, built: object, details: bool = True) -> list[str]:
    """'**Nvidia Q3 FY2027 results** (Nov 2026): not yet in the data, overdue', then (details)
    why it matters and what it would update."""
    built_day = _date(built)
    out = []
    for r in expected.to_dict("records"):
        when = labels.day(r["expected_date"], r["expected_precision"])
        overdue = built_day is not None and period_end(r["expected_date"], r["expected_precision"]) < built_day
        line = (_("**{what}** ({when}): not yet in the data, overdue") if overdue
                else _("**{what}** ({when}): not yet in the data")).format(what=md(r["what"]), when=md(when))
        if details:
            stage = _(" · stage: {stage}").format(stage=md(r["stage_label"])) \
                if isinstance(r.get("stage_label"), str) else ""
            line += "  \n" + _("{why} · would update: {what}").format(
                why=md(r["why_it_matters"]), what=md(r["would_update"])) + stage
        out.append(line)
    return out


def stage_table(stages: pd.DataFrame) -> pd.DataFrame:
    """Per stage: the latest report's date (publication, else as-of), its as-of date, who, how many."""
    return pd.DataFrame({  # a shown table: headers in the page's language
        _("stage"): stages["stage_label"],
        _("latest report"): [labels.day(d) if pd.notna(d) else _("no report") for d in stages["latest_report"]],
        _("as of"): [labels.day(d) if pd.notna(d) else "" for d in stages["latest_as_of"]],
        _("reported by"): stages["latest_publisher"].fillna(""),
        _("reports"): stages["reports"].astype(int),
    })


def section(f: Filters, version: db.Version, compact: bool = False,
            heading: str = N_("What is not known yet")) -> None:
    """The latest report per stage and the expected reports not yet in the data; compact (the
    Overview) folds why each report matters into an expander."""
    st.subheader(_(heading))
    cur = queries.currency(version)
    days = staleness(cur["newest_report"], cur["built_at"])
    newest = md(labels.day(cur["newest_report"]))
    st.caption((_("Newest report in the data: **{day}**, {days} days before this build.").format(day=newest, days=days)
                if days is not None else _("Newest report in the data: **{day}**.").format(day=newest))
               + " " + _("A stage's latest report is only as recent as the last source that reported it."))
    st.markdown(_("**Latest report per stage** (under the filters)"))
    st.dataframe(stage_table(queries.stage_currency(f, version)), hide_index=True, height="content")
    expected = queries.expected_reports(version)
    st.markdown(_("**Expected, not yet in the data ({n})**").format(n=len(expected)))
    if expected.empty:
        st.caption(_("No expected report is listed (data/expected_reports.csv)."))
        return
    if compact:
        st.markdown("\n".join(f"- {line}" for line in expected_lines(expected, cur["built_at"], details=False)))
        with st.expander(_("Why each matters and what it would update")):
            st.markdown("\n\n".join(expected_lines(expected, cur["built_at"])))
    else:
        st.markdown("\n\n".join(expected_lines(expected, cur["built_at"])))
