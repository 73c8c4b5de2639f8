"""Tables at any size (issue 10): one page of rows goes to the browser, with the total count
and page controls; the whole table's CSV is written on click, batch by batch, spreadsheet-safe
(tracker.exports.csv_safety), and goes into the view's bundle the same way.

The rows come from queries.rows_page / row_batches (LIMIT/OFFSET as bound parameters, or the
figures' own page macro); the table names are queries._PAGED's, never user input.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from tracker import embed, history, i18n, labels, queries, ui
from tracker.exports import sources_line
from tracker.i18n import _
from tracker.exports.csv_safety import safe_filename
from tracker.exports.streamed import Streamed


def streamed(name: str, page: ui.Page, columns: list[str]) -> Streamed:
    """Every row of table `name` under the page's filters, as the CSV's columns (the view's
    own, then the source columns), written in batches when asked."""
    f, version, lang = page.filters, page.version, i18n.lang()

    def batches():  # on click, outside the script run: in the language of the run that drew it
        i18n.use(lang)
        return (ui.chart_rows(b, columns) for b in queries.row_batches(name, f, version))

    return Streamed(
        rows=queries.row_count(name, f, version),
        batches=batches,
        first=lambda: ui.chart_rows(queries.rows_page(name, f, version, 0), columns),
        cited=queries.cited_sources(name, f, version))


def download(table: Streamed, key: str, page: ui.Page, label: str | None = None, where=st,
             help: str | None = None) -> None:
    """The table's CSV, written only when clicked (download_button takes the callable)."""
    where.download_button(
        label or _("Download CSV"), data=table.csv_bytes, file_name=safe_filename(key, *page.filters.describe()),
        mime="text/csv", on_click="ignore", key=f"dl_{key}" if not key.startswith("rows_") else key,
        icon=":material/download:",
        help=help or _("All {n} rows, written when you click (spreadsheet-safe).").format(n=labels.integer(table.rows)))


def page_number(key: str, total: int, page: ui.Page, size: int = queries.PAGE_SIZE) -> int:
    """The page picker (only when there is more than one page) and its "rows a–b of N" line;
    a new filter starts again at page 1 (the widget key carries the filters)."""
    pages = max(1, math.ceil(total / size))
    if pages == 1:
        return 1
    left, right = st.columns([1, 4])
    number = left.number_input(_("Page (of {n})").format(n=labels.integer(pages)), min_value=1, max_value=pages, value=1, step=1,
                               key=f"page_{key}_{'_'.join(page.filters.describe()) or 'all'}")
    first = (number - 1) * size + 1
    right.caption(_("Rows {first}–{last} of {total}, {size} a page (the download has all of them).").format(
        first=labels.integer(first), last=labels.integer(min(number * size, total)),
        total=labels.integer(total), size=size))
    return int(number)


def paged_table(name: str, key: str, page: ui.Page, columns: list[str], *,
                shown: list[str] | None = None, with_download: bool = True) -> ui.Tables:
    """One page of table `name` with its page picker and (with_download) its whole-table CSV;
    returns {key: the whole table, streamed} for the view's bundle. Embedded (tracker/embed.py):
    the one asked for, with its page picker, sources and link back; no download."""
    if embed.skip(key):
        return {}
    f, version = page.filters, page.version
    total = queries.row_count(name, f, version)
    number = page_number(key, total, page)
    rows = queries.rows_page(name, f, version, (number - 1) * queries.PAGE_SIZE)
    table = streamed(name, page, columns) if with_download else None
    if table is not None and page.full:
        download(table, key, page)
    ui.table(ui.chart_rows(rows, columns) if shown is None else rows[shown])
    if not page.full:
        embed.close(page, sources_line.markdown(queries.cited_sources(name, f, version), None))
    history.links(rows, folded=True)
    return {key: table} if table is not None else {}


def shown_rows(frame: pd.DataFrame | Streamed) -> int:
    return frame.rows if isinstance(frame, Streamed) else len(frame)
