"""A table too large to hold in memory (issue 10): counted, shown a page at a time, and written
as CSV batch by batch, so a million rows never sit in one DataFrame. Pure: the batches come
from a callable the app builds over the database (tracker.paging).

The finished CSV is the same bytes csv_safety.to_csv_bytes would make of all the rows at once
(one writer, write_csv): header once, formula cells neutralised.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable

import pandas as pd

from tracker.exports.csv_safety import write_csv


@dataclass(frozen=True, eq=False)
class Streamed:
    rows: int                                         # how many rows the batches give
    batches: Callable[[], Iterable[pd.DataFrame]]     # each call starts again at the first row
    first: Callable[[], pd.DataFrame]                 # the first rows: columns and their dtypes
    cited: pd.DataFrame                               # source_id, publisher, grade the rows cite

    @property
    def sample(self) -> pd.DataFrame:
        """The first rows, read only when asked (the data dictionary of a bundle)."""
        return self.first()

    @property
    def columns(self) -> list[str]:
        return list(self.sample.columns)

    def write(self, out: BinaryIO) -> int:
        return write_csv(self.batches(), out)

    def csv_bytes(self) -> bytes:
        """The whole CSV, written through a temporary file batch by batch and read back once
        (what a download button hands over)."""
        with tempfile.TemporaryFile() as tmp:
            self.write(tmp)
            tmp.seek(0)
            return tmp.read()


def cited(table: pd.DataFrame | Streamed) -> pd.DataFrame:
    """The rows a citation reads: a table's own rows, or a streamed table's cited sources."""
    return table.cited if isinstance(table, Streamed) else table


def sample(table: pd.DataFrame | Streamed) -> pd.DataFrame:
    """Rows whose columns and dtypes are the table's (for the data dictionary)."""
    return table.sample if isinstance(table, Streamed) else table
