"""What's new: everything added, revised or withdrawn since a date (`?since=`), grouped by day,
newest first; one row's history with `?row=`. The parts live in tracker/whats_new.py."""
from tracker import ui, whats_new
from tracker.i18n import N_

page = ui.start(N_("What's new"), N_("Every row added to the data, every revised value with its old "
                "value and reason, every withdrawn row: nothing changes silently."))
if page.full:  # an embed link to this page shows it has no chart or table to embed
    whats_new.render(page.version)
ui.finish(page, {})
