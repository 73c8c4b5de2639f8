import os
from pathlib import Path

import duckdb
import pytest

from etl import publish as pub


def make_db(path: Path, tag: str) -> None:
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT ? AS tag", [tag])
    con.close()


def test_lock_is_exclusive_and_released(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    with pub.build_lock(db) as lock:
        assert lock == tmp_path / "x.duckdb.lock"
        with pytest.raises(pub.LockBusy, match=r"another ETL build is running \(lock: .*x\.duckdb\.lock\)"):
            with pub.build_lock(db):
                pass
    with pub.build_lock(db):          # released on exit
        pass


def test_preflight_needs_three_times_inputs_plus_live(tmp_path: Path, monkeypatch):
    db = tmp_path / "x.duckdb"
    db.write_bytes(b"\0" * 1000)
    monkeypatch.setenv("H200_ETL_FAKE_FREE_BYTES", str(3 * 1500))
    pub.preflight(db, 500)
    monkeypatch.setenv("H200_ETL_FAKE_FREE_BYTES", str(3 * 1500 - 1))
    with pytest.raises(pub.PublishError, match="not enough free disk space"):
        pub.preflight(db, 500)


def test_preflight_refuses_stray_live_wal(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    (tmp_path / "x.duckdb.wal").write_bytes(b"junk")
    with pytest.raises(pub.PublishError, match="stray WAL"):
        pub.preflight(db, 1)


def test_remove_stale(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    for p in pub.tmp_paths(db):
        p.write_bytes(b"old")
    pub.remove_stale(db)
    assert list(tmp_path.iterdir()) == []


def test_publish_swaps_and_old_reader_keeps_working(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    make_db(db, "old")
    old_ino = db.stat().st_ino
    reader = duckdb.connect(str(db), read_only=True)
    tmp, _ = pub.tmp_paths(db)
    make_db(tmp, "new")
    pub.publish(tmp, db)
    assert not tmp.exists() and db.stat().st_ino != old_ino
    assert reader.execute("SELECT tag FROM t").fetchone() == ("old",)   # old snapshot
    fresh = duckdb.connect()                                             # no instance cache
    fresh.execute("ATTACH ? AS db (READ_ONLY)", [str(db)])
    assert fresh.execute("SELECT tag FROM db.t").fetchone() == ("new",)
    reader.close(); fresh.close()


def test_publish_refuses_unchecpointed_tmp(tmp_path: Path):
    db = tmp_path / "x.duckdb"
    tmp, wal = pub.tmp_paths(db)
    make_db(tmp, "new")
    wal.write_bytes(b"x")
    with pytest.raises(pub.PublishError):
        pub.publish(tmp, db)
    assert not db.exists()


def test_manifest_describes_published_file(tmp_path: Path):
    import json
    db = tmp_path / "x.duckdb"
    make_db(db, "a")
    m = json.loads(pub.write_manifest(db, "bid").read_text())
    assert m == {"build_id": "bid", "file": "x.duckdb", "bytes": db.stat().st_size,
                 "sha256": pub.sha256_file(db)}
