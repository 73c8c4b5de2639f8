"""Headline cards and event lists: the Overview's compact views of sourced figures."""
from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from tracker import changes, labels
from tracker.i18n import _
from tracker.ui import md
from tracker.vocabulary import Vocabulary

PIPE_COLUMNS = ["stage", "metric", "reported", "revised", "value", "value_high", "unit", "bound", "as_of_date",
                "as_of_precision", "published_date", "companies", "shared", "reports",
                "headline_rule", "figure_id", "source_title"]


def link(url: object, text: str | None = None) -> str:
    """A markdown link; only http(s) URLs come out of the queries, and they are %-quoted."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return ""
    text = text or _("source")  # outside the f-string: pybabel cannot read calls inside one
    return f"[{text}]({quote(url, safe=':/?&=#%~+,;@')})"


def headlines(pipe: pd.DataFrame, vocab: Vocabulary) -> None:
    """A card per headline stage (stages.headline_card), in stage order."""
    by_stage = {row["stage"]: row for row in pipe.to_dict("records")}
    cols = st.columns(3)
    for i, stage in enumerate(vocab.headline_stages()):
        with cols[i % 3].container(border=True):
            row = by_stage.get(stage)
            if row is None:
                st.metric(vocab.label("stages", stage), "—")
                st.caption(_("No figure for this stage matches the filters (unknown, not zero)."))
                continue
            st.metric(row["stage_label"], labels.value(row), help=row["bound_label"])
            extra = _(" · headline of {n} reports (rule on the Sources page)").format(n=int(row["reports"])) \
                if row["reports"] > 1 else ""
            chip = "" if row["is_subject"] else "  \n" + _("Covers: {chip}").format(chip=md(row["chip"]))
            shared = "  \n" + _("Shared figure: {companies} (combined, not split)").format(
                companies=md(row["companies"])) if row["n_companies"] > 1 else ""
            shared += conflict(row)
            line = _("{bound} · {as_of} · {publisher} ({grade}) {link}").format(
                bound=md(row["bound_label"]), as_of=md(labels.as_of(row["as_of_date"], row["as_of_precision"])),
                publisher=md(row["publisher"]), grade=md(row["grade"]), link=link(row["url"]))
            st.caption(f"{md(row['metric'])}  \n{line}{extra}{shared}{chip}")
            if row.get("revised"):  # a revised figure says so, its history one click away
                word = _("history")  # outside the f-string: pybabel cannot read calls inside one
                st.caption(f":material/history: {md(row['revised'])} · "
                           f"[{word}]({changes.history_path(row['figure_id'])})")


def conflict(row) -> str:
    """'Reports of this quantity range 75,000–100,000 chips (3 reports…)' when reports of the
    same quantity give other numbers (derived_pipeline's same_low/same_high)."""
    low, high = row.get("same_low"), row.get("same_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high) or low == high:
        return ""
    span = labels.value({**row, "bound": "range", "value": low, "value_high": high})
    return "  \n" + _("**Reports of this quantity range {span}** ({n} reports, dates and sources side "
                      "by side on the Orders page)").format(span=md(span), n=int(row["same_reports"]))


def latest_events(events: pd.DataFrame) -> None:
    word = _("history")
    for e in events.to_dict("records"):
        note = e.get("revised")
        revised = f" · {md(note)} · [{word}]({changes.history_path(e['event_id'])})" \
            if isinstance(note, str) and note else ""
        st.markdown(f"**{md(labels.day(e['date'], e['date_precision']))}** · "
                    f"{md(e['category_label'])} · {md(e['title'])}  \n"
                    f"{md(e['publisher'])} ({md(e['grade'])}) {link(e['url'])}{revised}")


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Events to read down, latest first: the date at its precision ("c. 2026-01-16", "Jan 2026"),
    category in words, what happened, who reported it."""
    rows = events.iloc[::-1]
    return pd.DataFrame({  # a shown table: headers in the page's language (url stays: ui.table links it)
        _("when"): [labels.day(d, p) for d, p in zip(rows["date"], rows["date_precision"])],
        _("category"): rows["category_label"], _("event"): rows["title"],
        _("companies"): rows["companies"], _("publisher"): rows["publisher"], _("grade"): rows["grade"],
        "url": rows["url"], "event_id": rows["event_id"]}).reset_index(drop=True)
