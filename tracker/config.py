"""Where the app finds its database, and the settings every reader shares."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Same default as etl.cli.DEFAULT_DB (a test keeps the two equal).
DEFAULT_DB = ROOT / "data" / "tracker.duckdb"


def db_path() -> Path:
    """The published database the app reads; H200_DB overrides it (tests, benchmarks)."""
    return Path(os.environ.get("H200_DB", str(DEFAULT_DB)))
