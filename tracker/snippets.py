"""'Use this view in code': the code that reproduces a page's table under its filters.

Pure (no Streamlit, no database): for a table (the macro of etl/views.sql it calls, and what
the page adds: a fixed condition, an order, extra arguments) and a Filters value, write
  sql()     DuckDB SQL calling the same macro with the filters filled in as SQL literals,
  python()  duckdb.connect(<published file>, read_only=True) + that call with bound parameters,
  pandas()  pandas.read_csv of the file the page's "Download CSV" writes for this view.
Values reach SQL text only through sql_literal (quotes doubled, lists and dates typed) and
Python text only through repr, so an id holding a quote or a newline stays one literal. No
value is ever written into a comment. The conditions and orders are code, never input.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path, PurePath

from tracker.exports.csv_safety import safe_filename
from tracker.filter_sql import ARGUMENTS, parameters
from tracker.filters import Filters

ORDER_FIGURES = "as_of_date, stage, figure_id"


@dataclass(frozen=True)
class View:
    """One table a page shows, as the page's query builds it (tracker/queries/)."""

    macro: str
    order: str = ""   # the ORDER BY the page adds (code)
    where: str = ""   # a fixed condition the page adds (code)
    extra: tuple[tuple[str, object], ...] = ()  # further macro arguments (values)


# The page queries, by the name tracker/queries/ gives them; tests/tracker/test_snippets.py
# runs each snippet against the same function and compares the rows.
VIEWS = {
    "figures": View("filtered_figures", order=ORDER_FIGURES),
    "named_figures": View("filtered_figures", where="n_companies > 0", order=ORDER_FIGURES),
    "pipeline": View("derived_pipeline"),
    "figure_reports": View("derived_figure_reports"),
    "events": View("filtered_events", order="date, event_id"),
    "specs": View("filtered_specs", order="vendor, chip, metric, derived, spec_id"),
    "spec_reports": View("derived_spec_reports"),
    "ratios": View("filtered_ratios"),
    "terms": View("filtered_terms"),
    "sources": View("filtered_sources"),
    "subject_vs_reference": View("derived_subject_vs_reference"),
}


def normalised(metric: str, sparsity: str) -> View:
    """The DERIVED ratios of one metric and sparsity to the reference chip."""
    return View("derived_ratio_to_reference", extra=(("of_metric", metric), ("of_sparsity", sparsity)))


def sql_literal(value: object) -> str:
    """A value as DuckDB SQL text: 'it''s', ['a', 'b'], DATE '2026-01-28', NULL, 3."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number")
        return repr(value)
    if isinstance(value, dt.datetime):
        raise ValueError("a timestamp is not a filter value")
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]::VARCHAR[]"  # typed: an empty list has no element type of its own
        return "[" + ", ".join(sql_literal(v) for v in value) + "]"
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("a NUL character cannot be written in a SQL literal")
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


def arguments(view: View, f: Filters) -> dict[str, object]:
    """The macro's arguments, in order: the filters (as the page binds them), then extras."""
    for name, _ in view.extra:  # names are code; refuse anything but plain identifiers
        if not name.isidentifier() or name in ARGUMENTS:
            raise ValueError(f"bad extra argument {name!r}")
    return {**parameters(f), **dict(view.extra)}


def _tail(view: View) -> str:
    return (f"\nWHERE {view.where}" if view.where else "") + (f"\nORDER BY {view.order}" if view.order else "")


def sql(view: View, f: Filters) -> str:
    """DuckDB SQL with the filters filled in: runs as it is in Explore SQL or the duckdb CLI."""
    args = arguments(view, f)
    lines = ",\n".join(f"    {name} := {sql_literal(value)}" for name, value in args.items())
    return f"SELECT *\nFROM {view.macro}(\n{lines}\n){_tail(view)};"


def _bound_sql(view: View, f: Filters) -> str:
    """The call with $parameters: only code (names, the fixed condition and order), no value."""
    names = ",\n".join(f"    {name} := ${name}" for name in arguments(view, f))
    text = f"SELECT *\nFROM {view.macro}(\n{names}\n){_tail(view)}"
    if '"""' in text or "\\" in text:
        raise ValueError("not plain SQL code")
    return text


def shown_path(path: str | PurePath, root: Path | None = None) -> str:
    """The database path as the snippet writes it: relative to the project when inside it."""
    path = Path(path)
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def python(view: View, f: Filters, db: str) -> str:
    """Python: the published database, read-only, the same macro call with bound parameters."""
    args = arguments(view, f)
    needs_datetime = any(isinstance(v, dt.date) for v in args.values())
    params = "".join(f"    {name!r}: {value!r},\n" for name, value in args.items())
    return ("import datetime\n\n" if needs_datetime else "") + (
        "import duckdb\n\n"
        "# The published database (python -m etl build writes it), opened read-only.\n"
        f"con = duckdb.connect({db!r}, read_only=True)\n"
        f'sql = """\n{_bound_sql(view, f)}\n"""\n'
        f"params = {{\n{params}}}\n"
        "df = con.execute(sql, params).df()\n")


def csv_name(table: str, f: Filters) -> str:
    """The file name the page's CSV download gives this table under these filters."""
    return safe_filename(table, *f.describe())


def pandas(table: str, f: Filters) -> str:
    """pandas only: read the CSV the page's download wrote (its rows are filtered already)."""
    return ("import pandas as pd\n\n"
            "# The file this table's \"Download CSV\" button writes for this view: the filters are\n"
            "# applied already. Text cells starting with = + - @ carry a leading ' (spreadsheet-safe).\n"
            f"df = pd.read_csv({csv_name(table, f)!r})\n")

