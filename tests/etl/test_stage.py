"""Staging reads exactly the records Python's csv module reads (etl/stage.py): on random files
built from the pieces that trip CSV readers up (quotes after spaces, trailing commas, doubled
and stray quotes, quoted newlines, blank lines, CRLF, non-ASCII), the staged rows, their lines,
the record count and the structural problems equal the row path's (etl/read.py Records), and
DuckDB's own reader is used for the files where it provably agrees."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from etl.read import Records, read_file, records
from etl.stage import Stage
from etl.tables import Table

T = Table("t", ("a", "b", "c"), frozenset(), ("a",))
CELLS = ["x", "y", "", '"q"', '"a,b"', '"l1\nl2"', '"x""y"', "z1", "é"]
PIECES = ["x", "y", "", " ", '"q"', '"a,b"', '"l1\nl2"', '"x""y"', 'a"b', '"a" ', ' "a"', ",", "\n",
          "\r\n", '""', '"', "é", "\n\n"]


def python_rows(data: bytes):
    recs = records(data.decode("utf-8", errors="replace"))
    next(recs)
    shape = Records("t.csv", 3)
    rows = [(line, [c or None for c in cells]) for line, cells in shape(recs)]
    return rows, shape.count, [p.format() for p in shape.problems]


def random_file(rnd: random.Random) -> bytes:
    lines = []
    for _ in range(rnd.randint(0, 5)):
        if rnd.random() < 0.7:
            lines.append(",".join(rnd.choice(CELLS) for _ in range(3)))
        else:
            lines.append("".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 6))))
    return ("a,b,c\n" + "\n".join(lines) + rnd.choice(["\n", "", "\n\n"])).encode()


@pytest.fixture(scope="module")
def stage():
    s = Stage()
    yield s
    s.close()


@pytest.mark.parametrize("seed", range(6))
def test_staged_rows_are_python_csvs(seed: int, stage: Stage, tmp_path: Path):
    rnd, duckdb_read = random.Random(seed), 0
    for i in range(150):
        data = random_file(rnd)
        d = tmp_path / f"{i}"
        d.mkdir()
        (d / "t.csv").write_bytes(data)
        f = read_file(d, T, stage.snapshots)
        staged = stage.load(f, ["a", "b", "c"])
        got = [(r[0], list(r[1:])) for r in stage.sql("SELECT * FROM v_t ORDER BY _line")]
        rows, count, problems = python_rows(data)
        assert (got, staged.count) == (rows, count), data
        assert [p.format() for p in staged.problems] == (problems if staged.python else []), data
        assert staged.python or not problems, data
        duckdb_read += not staged.python
    assert duckdb_read > 30          # the fast path is really taken for the sound files


def test_find_locates_records_across_chunks(monkeypatch, data_dir: Path, stage: Stage):
    """Revision lookups read a DuckDB-read table's records straight from its bytes."""
    import etl.stage
    from etl.tables import BY_NAME
    from tests.etl.helpers import line_of
    monkeypatch.setattr(etl.stage, "CHUNK", 64)          # matches straddle chunk boundaries
    table = BY_NAME["trade_figures"]
    f = read_file(data_dir, table, stage.snapshots)
    assert stage.source(f, list(table.columns)) is not None
    found, sure = stage.find(f, list(table.columns), [("a05",), ("a99",), ("a20",), ("a01",)])
    assert sure and set(found) == {("a01",), ("a05",), ("a20",)}
    for (key,), (line, cells) in found.items():
        assert line == line_of(data_dir / table.file, key) and cells[0] == key


def test_find_stops_reading_once_every_key_is_found(monkeypatch, data_dir: Path, stage: Stage):
    """A revision names rows near the top of a large file: the lookup stops at the last key it
    finds (at 10M rows it read the whole 1.5 GB file for three keys, about 1.2 s of the build);
    a key not found still means reading to the end."""
    import builtins
    import etl.stage
    from etl.tables import BY_NAME
    monkeypatch.setattr(etl.stage, "CHUNK", 64)
    table = BY_NAME["trade_figures"]
    f = read_file(data_dir, table, stage.snapshots)
    assert stage.source(f, list(table.columns)) is not None
    read = []

    def counting_open(*args, **kwargs):
        fh = builtins.open(*args, **kwargs)
        real = fh.read
        fh.read = lambda n=-1: read.append(len(chunk := real(n))) or chunk
        return fh
    monkeypatch.setattr(etl.stage, "open", counting_open, raising=False)
    size = f.snapshot.stat().st_size
    found, _sure = stage.find(f, list(table.columns), [("a01",)])
    assert set(found) == {("a01",)} and sum(read) < size / 2
    read.clear()
    found, sure = stage.find(f, list(table.columns), [("a01",), ("a99",)])
    assert set(found) == {("a01",)} and sure and sum(read) >= size


@pytest.mark.parametrize("body, sound", [('x,"q",z\n', True), ('x,"q"\n', False), ('x,"q",z,\n', False),
                                         ('"a,b","c"\n', False), ('x,"q","r",z\n', False),
                                         ('x,"l1\nl2",z\n', True), ('x,"l1\nl2"\n', False),
                                         ('x,y,\n', True), ('x,y,z,\n', False)])
def test_raw_lines_hold_the_header_field_count(body: str, sound: bool, stage: Stage, tmp_path: Path):
    """A line with quotes is sound only as exactly the header's number of fields (one RE2
    match, stage.record()); else DuckDB's reader is not trusted with the file."""
    (tmp_path / "t.csv").write_bytes(("a,b,c\n" + body).encode())
    f = read_file(tmp_path, T, stage.snapshots)
    assert (stage.source(f, ["a", "b", "c"]) is not None) == sound


def test_source_binds_the_path_and_header_as_parameters(stage: Stage, tmp_path: Path):
    """A FROM item names no value: the snapshot's path and the header's names reach DuckDB as
    bound parameters (session variables), however they are spelled, and the read is the file's."""
    odd = tmp_path / "it's a dir; DROP TABLE x"
    odd.mkdir()
    header = ["key_a", "b'); SELECT 1 --", "name_c"]
    t = Table("t", tuple(header), frozenset(), ("key_a",))
    (odd / "t.csv").write_bytes((",".join(header) + '\nx,"y\nz",w\n').encode())
    f = read_file(odd, t, stage.snapshots)
    src = stage.source(f, header)
    assert src is not None
    assert str(f.snapshot) not in src and not any(h in src for h in header)
    assert stage.sql(f"SELECT * FROM {src}") == [("x", "y\nz", "w")]
    assert [r[0] for r in stage.con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()] == header
