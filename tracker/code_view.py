"""'Use this view in code' on a page: for each of its tables, the DuckDB SQL, the Python over
the published database and the pandas-only read of its CSV (tracker/snippets.py writes them),
each in a code block with a copy button. Folded, and drawn only when opened (the code
block's highlighter is a large script, as for the citation in ui.finish)."""
from __future__ import annotations

import streamlit as st

from tracker import config, snippets, ui
from tracker.i18n import _


def section(page: ui.Page, tables: dict[str, snippets.View]) -> None:
    """`tables`: the name a table's CSV download carries -> its query as a snippets.View."""
    if not tables:
        return
    box = st.expander(_("Use this view in code"), key="code_view", on_change="rerun", icon=":material/code:")
    if not box.open:
        return
    with box:
        st.caption(_("The same query the page runs, with the current filters filled in: paste the "
                     "SQL into Explore SQL or the duckdb command line, or run the Python against "
                     "the published database. The page adds two columns of words (reported, "
                     "revised) that the SQL leaves to you; the numbers are the same."))
        path = snippets.shown_path(config.db_path(), config.ROOT)
        for name, view in tables.items():
            st.markdown(_("**{table}** (the macro `{macro}`)").format(table=ui.md(name), macro=view.macro))
            sql_tab, py_tab, csv_tab = st.tabs([_("DuckDB SQL"), _("Python + DuckDB"), _("pandas (CSV)")])
            sql_tab.code(snippets.sql(view, page.filters), language="sql")
            py_tab.code(snippets.python(view, page.filters, path), language="python")
            csv_tab.code(snippets.pandas(name, page.filters), language="python")
