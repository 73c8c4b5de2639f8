"""A damaged new build is never published: the closed <db>.tmp is opened read-only and checked
(one build id, this schema.sql, every table with its columns and row count) before os.replace,
and its SHA-256 goes to the manifest. Each case damages the file after the build closed it."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

import etl.build
from etl import cli
from etl.publish import sha256_file
from testsupport.faults import overwrite_header, truncate
from tests.etl.helpers import FIXTURE, sha256


def _edit(sql: str):
    def damage(tmp: Path) -> None:
        con = duckdb.connect(str(tmp))
        con.execute(sql)
        con.close()
    return damage


DAMAGE = {
    "header_overwritten": (overwrite_header, "the new build does not open"),
    "truncated": (lambda tmp: truncate(tmp, 1 / 3), "the new build"),
    "rows_lost": (_edit("DELETE FROM trade_figures WHERE figure_id = 'a05'"), "trade_figures has 5 rows"),
    "table_dropped": (_edit("DROP TABLE expected_reports"), "expected_reports has columns None"),
    "other_schema": (_edit("UPDATE build_info SET sha256 = repeat('0', 64) WHERE table_name = '_schema_sql'"),
                     "not made by this schema.sql"),
    "two_builds": (_edit("UPDATE build_info SET build_id = 'other' WHERE table_name = 'grades'"),
                   "holds build ids"),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_build_is_not_published(name, live_db: Path, monkeypatch, capsys):
    damage, said = DAMAGE[name]
    built = etl.build.build_database

    def build_then_damage(*args, **kw):
        tmp, counts = built(*args, **kw)
        damage(tmp)
        return tmp, counts
    monkeypatch.setattr(etl.build, "build_database", build_then_damage)
    before, manifest = sha256(live_db), live_db.with_name(live_db.name + ".manifest")
    code = cli.main(["build", "--data-dir", str(FIXTURE), "--db", str(live_db)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_FAILED, err
    assert "build failed, live database untouched: BuildError: " in err and said in err, err
    assert sha256(live_db) == before and not manifest.exists()
    assert sorted(p.name for p in live_db.parent.iterdir()) == ["tracker.duckdb", "tracker.duckdb.lock"]


def test_manifest_hash_is_the_verified_files(tmp_path: Path):
    db = tmp_path / "tracker.duckdb"
    assert cli.main(["build", "--data-dir", str(FIXTURE), "--db", str(db)]) == 0
    m = json.loads(db.with_name(db.name + ".manifest").read_text())
    assert m["sha256"] == sha256_file(db) and m["bytes"] == db.stat().st_size
