"""Headline cards and event lists: the Overview's compact views of sourced figures."""
from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from tracker import changes, labels
from tracker.ui import md
from tracker.vocabulary import Vocabulary

PIPE_COLUMNS = ["stage", "metric", "reported", "revised", "value", "value_high", "unit", "bound", "as_of_date",
                "as_of_precision", "published_date", "companies", "shared", "reports",
                "headline_rule", "figure_id", "source_title"]


def link(url: object, text: str = "source") -> str:
    """A markdown link; only http(s) URLs come out of the queries, and they are %-quoted."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return ""
    return f"[{text}]({quote(url, safe=':/?&=#%~+,;@')})"


def headlines(pipe: pd.DataFrame, vocab: Vocabulary) -> None:
    """A card per headline stage (stages.headline_card), in stage order."""
    by_stage = {row["stage"]: row for _, row in pipe.iterrows()}
    cols = st.columns(3)
    for i, stage in enumerate(vocab.headline_stages()):
        with cols[i % 3].container(border=True):
            row = by_stage.get(stage)
            if row is None:
                st.metric(vocab.label("stages", stage), "—")
                st.caption("No figure for this stage matches the filters (unknown, not zero).")
                continue
            st.metric(row["stage_label"], labels.value(row), help=row["bound_label"])
            extra = f" · headline of {int(row['reports'])} reports (rule on the Sources page)" \
                if row["reports"] > 1 else ""
            chip = "" if row["is_subject"] else f"  \nCovers: {md(row['chip'])}"
            shared = f"  \nShared figure: {md(row['companies'])} (combined, not split)" \
                if row["n_companies"] > 1 else ""
            shared += conflict(row)
            st.caption(f"{md(row['metric'])}  \n{md(row['bound_label'])} · as of "
                       f"{md(labels.day(row['as_of_date'], row['as_of_precision']))} · "
                       f"{md(row['publisher'])} ({md(row['grade'])}) {link(row['url'])}{extra}{shared}{chip}")
            if row.get("revised"):  # a revised figure says so, its history one click away
                st.caption(f":material/history: {md(row['revised'])} · "
                           f"[history]({changes.history_path(row['figure_id'])})")


def conflict(row) -> str:
    """'Reports of this quantity range 75,000–100,000 chips (3 reports…)' when reports of the
    same quantity give other numbers (derived_pipeline's same_low/same_high)."""
    low, high = row.get("same_low"), row.get("same_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high) or low == high:
        return ""
    span = labels.value({**row, "bound": "range", "value": low, "value_high": high})
    return (f"  \n**Reports of this quantity range {md(span)}** ({int(row['same_reports'])} "
            "reports, dates and sources side by side on the Orders page)")


def latest_events(events: pd.DataFrame) -> None:
    for _, e in events.iterrows():
        note = e.get("revised")
        revised = f" · {md(note)} · [history]({changes.history_path(e['event_id'])})" \
            if isinstance(note, str) and note else ""
        st.markdown(f"**{md(labels.day(e['date'], e['date_precision']))}** · "
                    f"{md(e['category_label'])} · {md(e['title'])}  \n"
                    f"{md(e['publisher'])} ({md(e['grade'])}) {link(e['url'])}{revised}")


def event_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Events to read down, latest first: the date at its precision ("c. 2026-01-16", "Jan 2026"),
    category in words, what happened, who reported it."""
    rows = events.iloc[::-1]
    return pd.DataFrame({
        "when": [labels.day(d, p) for d, p in zip(rows["date"], rows["date_precision"])],
        "category": rows["category_label"], "event": rows["title"],
        "companies": rows["companies"], "publisher": rows["publisher"], "grade": rows["grade"],
        "url": rows["url"], "event_id": rows["event_id"]}).reset_index(drop=True)
