"""Cell types shared by every row model: strict parsers for dates, numbers, URLs and
booleans (stricter than pydantic's lax mode, which would take '20260101' or 'nan', so the
database casts can never disagree), id and colour patterns, the Vocab the rules read, and the
base rows."""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Annotated, Iterator, Literal, Optional
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9_]+$"
COLOUR_PATTERN = r"^#[0-9a-f]{6}$"
RELEASED_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$"
# Human wording for pattern errors (pydantic only says "should match pattern ...").
PATTERN_MESSAGES = {
    ID_PATTERN: "malformed id (expected lower-case [a-z0-9_]+)",
    RELEASED_PATTERN: "expected YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn",
    COLOUR_PATTERN: "expected a colour as #rrggbb (lower-case hex)",
}

# ASCII digits only: Python's \d takes any script's digits, which float() reads and DuckDB's
# casts (and the set-based checks, etl/sqlcheck.py) refuse.
DATE_SHAPE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
NUMBER_SHAPE = r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?"
_DATE_RE = re.compile(DATE_SHAPE)
_NUM_RE = re.compile(NUMBER_SHAPE)
_NONFINITE = {"nan", "inf", "infinity"}


def parse_date(v: Optional[str]) -> Optional[dt.date]:
    if v is None or isinstance(v, dt.date):
        return v
    if not _DATE_RE.fullmatch(v):
        raise PydanticCustomError("date_format", "not an ISO date (expected YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise PydanticCustomError("date_impossible", "impossible date") from None


def parse_number(v: Optional[str]) -> Optional[float]:
    if v is None or isinstance(v, float):
        return v
    if v.strip().lower().lstrip("+-") in _NONFINITE:
        raise PydanticCustomError("not_finite", "NaN or infinite number")
    if not _NUM_RE.fullmatch(v):
        raise PydanticCustomError(
            "number_format", "not a number (use '.' as decimal point, no thousands separators)")
    f = float(v)
    if not math.isfinite(f):
        raise PydanticCustomError("not_finite", "NaN or infinite number")
    return f


def parse_url(v: str) -> str:
    parts = urlsplit(v) if isinstance(v, str) else None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.netloc
            or any(c.isspace() for c in v)):
        raise PydanticCustomError("url", "not an http(s) URL")
    return v


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Date = Annotated[dt.date, BeforeValidator(parse_date)]
Num = Annotated[float, Field(ge=0), BeforeValidator(parse_number)]
Url = Annotated[str, BeforeValidator(parse_url)]

Role = Literal["buyer", "vendor", "distributor", "foundry", "supplier"]
Precision = Literal["day", "approx_day", "month", "quarter", "year"]
Sparsity = Literal["dense", "sparse", "not_stated", "n/a"]
Colour = Annotated[str, StringConstraints(pattern=COLOUR_PATTERN)]


def parse_bool(v: Optional[str]) -> Optional[bool]:
    if v is None or isinstance(v, bool):
        return v
    if v not in ("true", "false"):
        raise PydanticCustomError("bool_format", "expected true or false")
    return v == "true"


Bool = Annotated[bool, BeforeValidator(parse_bool)]


@dataclass(frozen=True)
class Vocab:
    """What the reference tables say, for the rules of a curated row (built by the validator
    from data/; empty when a reference table was unusable, and then its rules are skipped)."""

    bound_has_value: dict = field(default_factory=dict)      # bound -> bool
    spec_metrics: dict = field(default_factory=dict)         # metric -> (unit, sparsity_rule)
    term_units: dict = field(default_factory=dict)           # metric -> unit


def _period_start(date: Optional[dt.date], precision: str, column: str) -> Iterator[tuple[str, str]]:
    """A month/quarter/year date is the first day of its period (data-format.md)."""
    if date is None:
        return
    if precision == "month" and date.day != 1:
        yield column, "must be the first day of the month when precision is month"
    elif precision == "quarter" and (date.day != 1 or date.month not in (1, 4, 7, 10)):
        yield column, "must be the first day of a quarter when precision is quarter"
    elif precision == "year" and (date.day, date.month) != (1, 1):
        yield column, "must be January 1 when precision is year"


def _range_rules(bound: str, value, value_high) -> Iterator[tuple[str, str]]:
    if bound == "range" and value_high is None:
        yield "value_high", "required when bound is range"
    elif bound != "range" and value_high is not None:
        yield "value_high", f"must be empty when bound is {bound} (only a range has a high end)"
    elif value is not None and value_high is not None and value_high < value:
        yield "value_high", f"below value {value:g}"


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def checks(self, vocab: Vocab) -> Iterator[tuple[str, str]]:
        return iter(())


class Dated(Row):
    added_on: Date   # the day the row entered the dataset


# --- Curated tables ---------------------------------------------------------------------------
