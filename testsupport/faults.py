"""Damage a database file the ways a disk, a copy or a stray writer can: what the fault tests
do to the published file (tests/pages/test_faults.py) and to a closed build before it is
published (tests/etl/test_verify.py)."""
from __future__ import annotations

from pathlib import Path


def overwrite_header(db: Path) -> None:
    """The first 64 bytes (DuckDB's file header) overwritten."""
    data = bytearray(db.read_bytes())
    data[0:64] = b"\xff" * 64
    db.write_bytes(bytes(data))


def truncate(db: Path, keep: float = 0.5) -> None:
    """Only the first `keep` of the file left."""
    db.write_bytes(db.read_bytes()[: int(db.stat().st_size * keep)])
