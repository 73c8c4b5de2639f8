"""Explore SQL: one SELECT over the published database, in a sandboxed worker process."""
from tracker import ui
from tracker.i18n import N_
from tracker.config import db_path
from tracker.explorer_view import render_explorer

ui.start(N_("Explore SQL"), N_("Query the published tables yourself: one read-only SELECT, run by the "
         "database engine in a sandbox (no files, no network, time and memory limits). The "
         "sidebar filters do not apply here: your SQL decides."))
render_explorer(db_path())
