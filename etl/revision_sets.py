"""The revision check (etl/revisions.py) at any size: its snapshots, narrowed in DuckDB.

revisions.problems() compares two snapshots row by row in Python. Only some rows can give a
problem: the rows the log names, and the rows of the published database that are gone or
differ from the CSVs. DuckDB finds those (each side's non-key columns as a fingerprint, typed
the way revisions.same() compares them: a number or a date by value, text as text), and only
they reach Python, from the staged rows or the snapshot's bytes (etl/stage.py), with their
lines. The fingerprint can only over-select (a value in another spelling is a candidate that
revisions.same() then finds equal), so the problems are the row-by-row check's.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

from etl import revisions
from etl.cells import DATE_SHAPE, NUMBER_SHAPE
from etl.revisions import LOG, Rows, Snapshot, row_key
from etl.stage import lit, q, view
from etl.tables import BY_NAME, Table

BASE = "published"   # the published database's catalog while attached


@contextmanager
def snapshots(v, db: Optional[Path]) -> Iterator[tuple[Snapshot, Optional[Snapshot]]]:
    """(the CSVs, the published database at `db` or None), each table narrowed to the rows
    that matter when revisions.problems() first asks for it; the published database stays
    attached (read-only) until the block ends. Raises duckdb.Error when `db` exists but
    cannot be read."""
    stage, base = v.stage, None
    if db is not None and Path(db).exists():
        stage.sql(f"ATTACH ? AS {BASE} (READ_ONLY)", [str(db)])  # the path bound; the alias is ours
    try:
        present = _published_tables(stage) if db is not None and Path(db).exists() else None
        digests = {n: f.sha256 for n, f in v.files.items() if f.sha256}
        if present is not None:
            built = dict(stage.sql(f"SELECT table_name, sha256 FROM {BASE}.main.build_info")) \
                if "build_info" in present else {}
            changed: dict[str, set[str]] = {}

            def changed_keys(table: Table) -> set[str]:
                if table.name not in changed:
                    same_file = digests.get(table.name) is not None and digests.get(table.name) == built.get(table.name)
                    changed[table.name] = set() if same_file or table.name not in present or \
                        table.name not in v.rows else _changed(v, table, present[table.name])
                return changed[table.name]

            def published(table: Table) -> Optional[Rows]:
                if table.name not in present:
                    return None
                keys = None if table.name == LOG else changed_keys(table)
                return _published_rows(stage, table, present[table.name], keys)
            base = Snapshot("the published database", published,
                            {n: d for n, d in built.items() if n in present})
        named: Optional[dict[str, set[str]]] = None

        def csv_rows(table: Table) -> Optional[Rows]:
            nonlocal named
            if table.name == LOG:
                return _rows(v, table, None)
            if named is None:
                named = {}
                for _, cells in (current.table(LOG).rows.values() if current.table(LOG) else ()):
                    if cells.get("table_name") and cells.get("row_id"):
                        named.setdefault(cells["table_name"], set()).add(cells["row_id"])
            wanted = named.get(table.name, set())
            if base is not None:
                wanted = wanted | changed_keys(table)
            return _rows(v, table, wanted)
        current = Snapshot("the CSVs", csv_rows, digests)
        yield current, base
    finally:
        if db is not None and Path(db).exists():
            try:
                stage.sql(f"DETACH {BASE}")
            except Exception:
                pass


def _rows(v, table: Table, keys: Optional[set[str]]) -> Optional[Rows]:
    """The CSV's rows with these keys (all when None), first by line, as revisions.parse()
    gives them; None when the file has no usable header (then parse() itself reads it)."""
    f = v.files.get(table.name)
    if f is None or f.sha256 is None:
        return None
    staged = v.stage.staged.get(table.name)
    header = list(staged.columns) if staged else _header(v, table)
    if header is None:
        return revisions.parse(table, f.text) if f.text is not None else None
    out = Rows(tuple(header))
    if keys is not None and not keys:
        return out
    if staged is None and keys is not None:
        lookup = v.stage.find(f, header, [tuple(k.split("+")) for k in sorted(keys)])
        found, sure = lookup if lookup is not None else (None, False)
        if found is not None and (sure or not _present(v, table, keys - {"+".join(k) for k in found})):
            for _, (line, cells) in sorted(found.items(), key=lambda kv: kv[1][0]):
                row = {c: (x or None) for c, x in zip(header, cells)}
                out.rows.setdefault(row_key(table, row), (line, row))
            return out
    if staged is None:
        v.stage.load(f, header)
    cols = ", ".join(q(c) for c in header)
    where = ""
    if keys is not None:
        v.stage.sql("CREATE OR REPLACE TEMP TABLE wanted (k VARCHAR)")
        v.stage.con.executemany("INSERT INTO wanted VALUES (?)", [[k] for k in keys])
        where = f" WHERE {_key_sql(table)} IN (SELECT k FROM wanted)"
    for line, *cells in v.stage.sql(f"SELECT _line, {cols} FROM {view(table.name)} r{where} ORDER BY _line"):
        row = dict(zip(header, cells))
        key = row_key(table, row)
        if key is not None:
            out.rows.setdefault(key, (line, row))
    return out


def _present(v, table: Table, keys: set[str]) -> bool:
    """Whether any of these keys is in the table after all (spelled so that find() missed it)."""
    if not keys:
        return False
    v.stage.sql("CREATE OR REPLACE TEMP TABLE wanted (k VARCHAR)")
    v.stage.con.executemany("INSERT INTO wanted VALUES (?)", [[k] for k in keys])
    return v.stage.sql(f"SELECT count(*) FROM {v.rows[table.name]} r "
                       f"WHERE {_key_sql(table)} IN (SELECT k FROM wanted)")[0][0] > 0


def _header(v, table: Table) -> Optional[list[str]]:
    """The header of a file the validator read without staging it (its source() columns)."""
    if table.name not in v.rows:
        return None
    from etl.validate import _opening
    return _opening(v.files[table.name], whole=False)[1]


def _key_sql(table: Table, alias: str = "r") -> str:
    return " || '+' || ".join(f"{alias}.{q(k)}" for k in table.key)


def _published_tables(stage) -> dict[str, dict[str, str]]:
    """table -> {column: type} of the published database's tables."""
    out: dict[str, dict[str, str]] = {}
    for t, c, ty in stage.sql("SELECT table_name, column_name, data_type FROM information_schema.columns "
                              "WHERE table_catalog = ? AND table_schema = 'main' "
                              "ORDER BY table_name, ordinal_position", [BASE]):
        out.setdefault(t, {})[c] = ty
    return out


def _published_rows(stage, table: Table, types: dict[str, str], keys: Optional[set[str]]) -> Rows:
    rows = Rows(tuple(types))
    where = ""
    if keys is not None:
        if not keys:
            return rows
        stage.sql("CREATE OR REPLACE TEMP TABLE wanted (k VARCHAR)")
        stage.con.executemany("INSERT INTO wanted VALUES (?)", [[k] for k in keys])
        where = f" WHERE {_key_sql(table)} IN (SELECT k FROM wanted)"
    cols = ", ".join(q(c) for c in types)
    for values in stage.sql(f"SELECT {cols} FROM {BASE}.main.{q(table.name)} r{where}"):
        row = dict(zip(types, map(revisions._text, values)))
        key = row_key(table, row)
        if key is not None:
            rows.rows[key] = (0, row)
    return rows


def _changed(v, table: Table, types: dict[str, str]) -> set[str]:
    """Keys of published rows with no equal row in the CSVs (gone, or some compared column
    differs), found by fingerprint."""
    staged = v.stage.staged.get(table.name)
    header = list(staged.columns) if staged else _header(v, table)
    if header is None or any(k not in types for k in table.key):
        return set()
    compared = [c for c in header if c in types and c not in table.key]
    source = v.rows[table.name]
    if not source.startswith("read_csv("):
        source = view(table.name)

    def now(c: str) -> str:
        x, ty = f"r.{q(c)}", types[c]
        if ty in ("DOUBLE", "FLOAT", "REAL") or ty.startswith("DECIMAL"):
            return (f"CASE WHEN regexp_full_match({x}, {lit(NUMBER_SHAPE)}) THEN "
                    f"CAST(try_cast({x} AS DOUBLE) AS VARCHAR) ELSE 'text:' || {x} END")
        if ty == "DATE":
            return (f"CASE WHEN regexp_full_match({x}, {lit(DATE_SHAPE)}) AND try_cast({x} AS DATE) IS NOT NULL "
                    f"THEN CAST(try_cast({x} AS DATE) AS VARCHAR) ELSE 'text:' || {x} END")
        return x

    def then(c: str) -> str:
        x, ty = f"r.{q(c)}", types[c]
        if ty in ("DOUBLE", "FLOAT", "REAL") or ty.startswith("DECIMAL"):
            return f"CAST(CAST({x} AS DOUBLE) AS VARCHAR)"
        return f"CAST({x} AS VARCHAR)"

    def fingerprint(f) -> str:
        return f"hash({', '.join(f(c) for c in compared)})" if compared else "0"
    present = " AND ".join(f"r.{q(k)} IS NOT NULL" for k in table.key)
    found = v.stage.sql(
        f"WITH c AS (SELECT DISTINCT {_key_sql(table)} AS k, {fingerprint(now)} AS h FROM {source} r "
        f"WHERE {present}), "
        f"b AS (SELECT {_key_sql(table)} AS k, {fingerprint(then)} AS h FROM {BASE}.main.{q(table.name)} r "
        f"WHERE {present}) "
        "SELECT b.k FROM b LEFT JOIN c ON c.k = b.k AND c.h = b.h WHERE c.k IS NULL")
    return {k for (k,) in found}
