"""The one filter compiler: a Filters value becomes one (SQL fragment, parameters) pair.

What each filter means is defined once, in SQL: the filtered_* and derived_* table macros of
etl/views.sql all take the same named parameters. This module only fills them, so every page
query, and any query typed in Explore SQL, filters the same way (as datasette's filters.py
turns request arguments into one where-clause and its parameters).
"""
from __future__ import annotations

import re
from dataclasses import replace

from tracker.filters import Filters

ARGUMENTS = ("chips", "companies", "start_date", "end_date", "min_grade", "known_on")
FRAGMENT = ", ".join(f"{name} := ${name}" for name in ARGUMENTS)
_MACRO = re.compile(r"^(filtered|derived)_[a-z_]+$")


def parameters(f: Filters) -> dict:
    return {"chips": list(f.chips), "companies": list(f.companies), "start_date": f.start,
            "end_date": f.end, "min_grade": f.grade, "known_on": f.known}


def compile(f: Filters) -> tuple[str, dict]:
    """('chips := $chips, companies := $companies, …', their values)."""
    return FRAGMENT, parameters(f)


def call(macro: str, f: Filters, **extra) -> tuple[str, dict]:
    """`SELECT * FROM macro(<filters>, extra := $extra…)` and its parameters. The macro name is
    code, never user input; extra arguments are values and are bound like the filters."""
    if not _MACRO.match(macro) or any(not re.fullmatch(r"[a-z_]+", k) for k in extra):
        raise ValueError(f"not a filter macro call: {macro!r}")
    fragment, params = compile(f)
    more = "".join(f", {k} := ${k}" for k in extra)
    return f"SELECT * FROM {macro}({fragment}{more})", {**params, **extra}


def without_companies(f: Filters) -> Filters:
    return replace(f, companies=())
