"""What's new: everything added, revised or withdrawn since a date (`?since=`), grouped by day,
newest first; one row's history with `?row=`. The parts live in tracker/whats_new.py."""
from tracker import ui, whats_new

page = ui.start("What's new", "Every row added to the data, every revised value with its old "
                "value and reason, every withdrawn row: nothing changes silently.")
whats_new.render(page.version)
