"""A revised row's history, one click away wherever a table shows it: the rows' revision notes,
each linking to What's new filtered to that row (`?row=<id>`)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import changes
from tracker.i18n import _
from tracker.markdown import escape as md

MAX_LINES = 60


def links(rows: pd.DataFrame, folded: bool = False) -> None:
    """Under a table: its revised rows with their notes and history links (nothing if none)."""
    if "revised" not in rows.columns:
        return
    id_col = next((c for c in changes.ID_COLUMNS if c in rows.columns), None)
    revised = rows[rows["revised"].fillna("").astype(str) != ""]
    if id_col is None or revised.empty:
        return
    word = _("history")  # outside the f-string: pybabel cannot read calls inside one
    lines = [f"- `{str(r[id_col]).replace('`', '')}` {md(r['revised'])} · "
             f"[{word}]({changes.history_path(str(r[id_col]))})"
             for r in revised.head(MAX_LINES).to_dict("records")]
    more = "\n\n" + _("{n} more on What's new.").format(n=len(revised) - MAX_LINES) if len(revised) > MAX_LINES else ""
    body = "\n".join(lines) + more
    if folded:
        with st.expander(_("Revised rows in this table ({n}): old values and history").format(n=len(revised))):
            st.markdown(body)
    else:
        st.markdown(_("**Revised rows ({n})**, each with its history:").format(n=len(revised)) + f"\n\n{body}")
