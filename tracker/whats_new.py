"""The What's new page's parts: everything added, revised or withdrawn since a date, grouped by
day, newest first, each line saying what the row is (with its bound), linking to its source,
to where it is shown and to its history; plus the Overview's "N changes since <date>" link.

URL parameters (hand-written, like the filters): `since` (YYYY-MM-DD; default the last 30 days
of curation, i.e. 30 days before the latest change) and `row` (one row's history). Values are
user input: a bad `since` is dropped with a warning, `row` is only ever a bound SQL parameter.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from tracker import changes, db, filters, labels, queries
from tracker.i18n import _, ngettext
from tracker.cards import link
from tracker.markdown import escape as md
from tracker.ui import FEED_LINK as FEED

PAGE, PATH, TITLE = changes.WHATS_NEW
PER_GROUP = 25                 # lines shown before the rest fold into an expander
MAX_LINES = 300                # changes listed at most; the counts cover all (issue 10)
MAX_ROW_LEN = 64


def read_params(default_since: dt.date | None) -> tuple[dt.date | None, str | None, list[str]]:
    """(since, row, warnings) from the URL; a bad value is dropped with a warning."""
    warnings = []
    since = default_since
    raw = st.query_params.get_all("since")
    if raw:
        try:
            since = dt.date.fromisoformat(raw[0]) if len(raw[0]) == 10 else None
        except ValueError:
            since = None
        if since is None:
            warnings.append(_("Ignored a `since` date that is not YYYY-MM-DD; showing the last 30 days "
                              "of curation."))
            since = default_since
    rows = st.query_params.get_all("row")
    row = rows[0] if rows and 0 < len(rows[0]) <= MAX_ROW_LEN else None
    if rows and row is None:
        warnings.append(_("Ignored a `row` value that is not a row id."))
    return since, row, warnings


def _set_since() -> None:
    value = st.session_state.get("w_since")
    if isinstance(value, dt.date):
        st.query_params["since"] = value.isoformat()


def _line(c: dict) -> str:
    """One change as a markdown list item: what, the change, why, source, where shown, history."""
    head = f"- {md(changes.subject(c))}"   # under its day's Added / Revised / Withdrawn heading
    if c["change"] == "revised":
        head += " — " + _("{field} was {old}, now {new}").format(
            field=md(c["field"]), old=md(changes.clip(changes.text(c["old_value"]))) or _("empty"),
            new=md(changes.clip(changes.text(c["new_value"]))) or _("empty"))
    elif c["change"] == "withdrawn" and changes.text(c.get("old_value")):
        head += " " + _("(was {old})").format(old=md(changes.clip(changes.text(c["old_value"]))))
    tail = []
    if changes.text(c.get("reason")):
        tail.append(f"_{md(c['reason'])}_")
    if changes.text(c.get("publisher")):
        tail.append(f"{md(c['publisher'])} ({md(c['grade'])}) {link(c.get('url'))}".rstrip())
    if changes.text(c.get("change_publisher")):
        tail.append((_("revision source: {publisher}").format(publisher=md(c["change_publisher"]))
                     + f" {link(c.get('change_url'))}").rstrip())
    shown = changes.SHOWN_ON.get(c["table_name"])
    if shown and changes.text(c.get("what")):
        shown_on = _("shown on {page}").format(page=_(shown[2]))
        tail.append(f"[{shown_on}]({shown[1]})")
    history = _("history")
    tail.append(f"[{history}]({changes.history_path(c['row_id'])}) `{str(c['row_id']).replace('`', '')}`")
    return head + "  \n  " + " · ".join(tail)


def _group(lines: list[str], what: str) -> None:
    st.markdown("\n".join(lines[:PER_GROUP]))
    if len(lines) > PER_GROUP:
        with st.expander(_("{n} more ({what})").format(n=len(lines) - PER_GROUP, what=what)):
            st.markdown("\n".join(lines[PER_GROUP:]))


def counts(tally: pd.DataFrame) -> str:
    """'12 added, 3 revised' from change_counts rows (changed_on, change, n)."""
    n = tally.groupby("change")["n"].sum()
    return ", ".join(f"{labels.number(int(n[k]))} {_(w).lower()}" for k, w in changes.CHANGE_WORDS.items()
                     if k in n)


def render(version: db.Version) -> None:
    cur = queries.currency(version)
    since, row, warnings = read_params(cur["default_since"])
    for w in warnings:
        st.warning(w, icon=":material/warning:")
    st.session_state["w_since"] = since
    controls, feed = st.columns([2, 3])
    controls.date_input(_("Changes since"), key="w_since", on_change=_set_since, format=labels.date_input_format(),
                        min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31),
                        help=_("Default: the last 30 days of curation (30 days before the latest change)."))
    feed.caption(_("The same changes as an [Atom feed]({feed}), written by each data build. The "
                   "sidebar filters do not apply here: this is the log of every curated row.").format(feed=FEED))
    tally = queries.change_counts(since, row, version)
    total = int(tally["n"].sum()) if not tally.empty else 0
    log = queries.change_log(since, row, version, limit=MAX_LINES) if total else tally
    if row:
        st.info(_("History of row `{row}`: every change since {day}.").format(
            row=row.replace("`", ""), day=labels.day(since)), icon=":material/history:")
        st.page_link(PAGE, label=_("Show every row's changes"), icon=":material/list:",
                     query_params={"since": since.isoformat()} if since else None)
    if log.empty:
        st.info(_("No change recorded since this date.") if not row else
                _("No change recorded for this row since this date: widen the date."),
                icon=":material/search_off:")
        return
    st.caption(ngettext("**{n} change** since {day}: {counts}; newest first.",
                        "**{n} changes** since {day}: {counts}; newest first.", total).format(
                            n=labels.number(total), day=labels.day(since), counts=counts(tally)))
    if total > len(log):
        st.info(_("Listing the newest {shown} of {total} changes: pick a later date to list the "
                  "others, or follow the Atom feed.").format(shown=labels.number(len(log)),
                                                              total=labels.number(total)),
                icon=":material/filter_list:")
    per_day = tally.groupby(pd.to_datetime(tally["changed_on"]).dt.date)["n"].sum()  # by_day's keys
    for day, rows in changes.by_day(log):
        n = int(per_day.get(day, len(rows)))
        st.subheader(ngettext("{day} · {n} change", "{day} · {n} changes", n).format(
            day=labels.day(day), n=labels.number(n)))
        for kind, word in changes.CHANGE_WORDS.items():
            part = rows[rows["change"] == kind]
            if not part.empty:
                st.markdown(f"**{_(word)} ({len(part)})**")
                _group([_line(c) for c in part.to_dict("records")], _(word).lower())


def overview_link(version: db.Version) -> None:
    """'N changes since <date>' on the Overview, linking to What's new with that date."""
    cur = queries.currency(version)
    since = cur["default_since"]
    if since is None:
        return
    n = int(queries.change_counts(since, None, version)["n"].sum())
    st.page_link(PAGE, label=ngettext("{n} change since {day} (What's new)", "{n} changes since {day} (What's new)",
                                      n).format(n=n, day=labels.day(since)),
                 icon=":material/history:", query_params={"since": since.isoformat()} | filters.lang_params())
