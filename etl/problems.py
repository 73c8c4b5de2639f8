"""One located problem in the input: FILE:LINE: COLUMN: message (value)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

VALUE_LIMIT = 60
REQUIRED = "required value is empty"


def duplicate_key(first: int) -> str:
    return f"duplicate key (first at line {first})"


def show(value: Union[str, bytes], limit: int = VALUE_LIMIT) -> str:
    """repr() keeps control characters and terminal escapes visible and harmless; truncate first."""
    if isinstance(value, bytes):
        return repr(value[:limit])
    s = str(value)
    if len(s) > limit:
        s = s[: limit - 3] + "..."
    return repr(s)


@dataclass(frozen=True)
class Problem:
    file: str                  # csv file name, e.g. trade_figures.csv
    line: int                  # physical line in the file, header = 1; 1 for file-level problems
    column: str                # column name, or '-' for row- or file-level problems
    message: str
    value: Optional[Union[str, bytes]] = None   # the offending cell as read, if any

    def format(self) -> str:
        tail = "" if self.value is None else f" ({show(self.value)})"
        return f"{self.file}:{self.line}: {self.column}: {self.message}{tail}"
