"""CSV of an explorer result: the app's one spreadsheet-safe writer, plus a timestamped name."""
from __future__ import annotations

from datetime import datetime

from tracker.export import neutralise, safe_filename as _safe_filename
from tracker.export import to_csv_bytes as to_safe_csv

__all__ = ["neutralise", "safe_filename", "to_safe_csv"]


def safe_filename(stem: str = "explorer", now: datetime | None = None) -> str:
    """[a-z0-9_-] only, never a path: e.g. explorer_20261128-1530.csv."""
    stem = _safe_filename(stem[:60], ext="x")[:-2]  # "export" when nothing usable is left
    return _safe_filename("explorer" if stem == "export" else stem,
                          (now or datetime.now()).strftime("%Y%m%d-%H%M"))
