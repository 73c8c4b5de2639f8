"""Explore SQL: one SELECT over the published database, in a sandboxed worker process."""
from tracker import ui
from tracker.i18n import N_
from tracker.config import db_path
from tracker.explorer_view import render_explorer

page = ui.start(N_("Explore SQL"), N_("Query the published tables yourself: one read-only SELECT, run by the "
         "database engine in a sandbox (no files, no network, time and memory limits). The "
         "sidebar filters do not apply here: your SQL decides."))
if page.full:  # an embed link to this page shows it has no chart or table to embed
    render_explorer(db_path())
ui.finish(page, {})
