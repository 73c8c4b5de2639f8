"""Streamlit UI of the SQL explorer. A page calls render_explorer(db_path); nothing else.

The query text lives in the URL as ?q=... (written on Run, read on first load), so a copied link
reproduces the query; it is not run until the analyst presses Run.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from tracker import alt_text, labels, ui
from tracker.i18n import _, ngettext
from tracker.explorer.chart import build_chart
from tracker.explorer.examples import examples
from tracker.explorer.service import MAX_ROWS, ExplorerService, QueryResult
from tracker.exports.csv_safety import stamped_filename, to_csv_bytes
from tracker.markdown import escape

DEFAULT_SQL = "SELECT * FROM sources LIMIT 20"
MAX_URL_SQL = 4_000   # longer queries still run, they just don't go into the link
_RESULT = "explorer_result"


@st.cache_resource(max_entries=2, show_spinner=False)
def _service(path: str, inode: int, mtime_ns: int) -> ExplorerService:
    # Keyed by the file's identity: a newly published build gets fresh workers attached to it.
    service = ExplorerService(path)  # starts one worker and runs its self-check
    threading.Thread(target=service.prestart, daemon=True).start()  # the rest in the background
    return service


@st.cache_data(ttl=600, max_entries=4, show_spinner=False)
def _schema(path: str, inode: int, mtime_ns: int) -> pd.DataFrame:
    result = _service(path, inode, mtime_ns).schema()
    if result.error:
        raise RuntimeError(result.error)  # not cached: the next rerun tries again
    return result.frame


def _fill(sql: str) -> None:
    st.session_state["sql"] = sql


def _side_panel(schema: pd.DataFrame | None) -> None:
    tables = set() if schema is None else set(schema["table_name"])
    st.markdown(_("**Examples**"))
    for i, (label, sql) in enumerate(examples(tables).items()):
        st.button(_(label), key=f"explorer_example_{i}", on_click=_fill, args=(sql,))
    st.markdown(_("**Tables**"))
    if schema is None:
        st.caption(_("Table list unavailable."))
        return
    for table, cols in schema.groupby("table_name", sort=True):
        kind = _(" (view)") if (cols["table_type"] == "VIEW").any() else ""
        with st.expander(re.sub(r"[^A-Za-z0-9_]", "", str(table)) + kind):
            st.code("\n".join(f"{c}  {t}" for c, t in zip(cols["column_name"], cols["data_type"])),
                    language=None)


def _show(result: QueryResult) -> None:
    if result.error:
        st.error(escape(result.error))
        return
    frame = result.frame
    try:
        st.caption(ngettext("{n} row, {s} s", "{n} rows, {s} s", len(frame)).format(
            n=labels.integer(len(frame)), s=labels.decimal(result.elapsed_s, "0.00")))
        if result.truncated:
            st.warning(_("Result truncated: showing the first {n} rows only.").format(n=labels.integer(MAX_ROWS)))
        st.dataframe(frame, hide_index=True)
        st.download_button(_("Download CSV"), data=to_csv_bytes(frame),
                           file_name=stamped_filename("explorer"), mime="text/csv",
                           key="explorer_csv", on_click="ignore")
        fig = build_chart(frame)
        if fig is not None:
            st.plotly_chart(fig, key="explorer_chart")
            ui.describe(alt_text.query_chart(fig), "explorer")
    except Exception as exc:  # noqa: BLE001 - an odd column type must not show a traceback
        st.error(_("Cannot display the result: {error}").format(error=type(exc).__name__))


def render_explorer(db_path: str | os.PathLike) -> None:
    """Draw the explorer: editor (key `sql`), Run (key `run_sql`), tables, examples, results."""
    try:
        info = os.stat(db_path)
    except OSError:
        st.error(_("explorer disabled: the database file is missing"))
        return
    version = (str(Path(db_path).resolve()), info.st_ino, info.st_mtime_ns)
    service = _service(*version)
    if service.disabled_reason:
        st.error(escape(service.disabled_reason))
        return
    if "sql" not in st.session_state:  # first load: seed from the link
        st.session_state["sql"] = st.query_params.get("q") or DEFAULT_SQL
    try:
        schema = _schema(*version)
    except RuntimeError:
        schema = None
    editor, side = st.columns([3, 1])
    with side:
        _side_panel(schema)
    with editor:
        st.text_area(_("SQL: one SELECT, at most {s} s and {n} rows").format(
            s=labels.decimal(service.budget_s, "0.##"), n=labels.integer(MAX_ROWS)), key="sql", height=220)
        if st.button(_("Run"), key="run_sql", type="primary"):
            sql = st.session_state["sql"]
            if len(sql) <= MAX_URL_SQL:
                st.query_params["q"] = sql
            st.session_state[_RESULT] = service.run(sql)
        if st.session_state.get(_RESULT) is not None:  # kept across reruns (e.g. downloads)
            _show(st.session_state[_RESULT])
