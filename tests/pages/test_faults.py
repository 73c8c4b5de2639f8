"""A published database that cannot be served gives every page a clear message naming the
command that fixes it, within seconds, and no traceback: missing, header bytes overwritten,
truncated, not a tracker build, or built for another schema. The page recovers on the next
run once the file is fixed."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from testsupport.faults import overwrite_header, truncate
from tests.pages.helpers import PAGES, ROOT

FIX = "python -m etl build"


def _not_a_build(db: Path) -> None:
    db.unlink()
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE notes AS SELECT 'hello' AS text")
    con.close()


def _other_schema(db: Path) -> None:
    con = duckdb.connect(str(db))
    con.execute("UPDATE build_info SET sha256 = repeat('0', 64) WHERE table_name = '_schema_sql'")
    con.close()


FAULTS = {"missing": Path.unlink, "damaged_header": overwrite_header, "truncated": truncate,
          "not_a_build": _not_a_build, "other_schema": _other_schema}
WORDS = {"missing": "No published database", "damaged_header": "cannot be read",
         "truncated": "damaged", "not_a_build": "not a tracker build",
         "other_schema": "built for another schema"}


@pytest.fixture
def broken(fixture_db: Path, tmp_path: Path, monkeypatch, request):
    db = tmp_path / "tracker.duckdb"
    shutil.copy2(fixture_db, db)
    manifest = fixture_db.with_name(fixture_db.name + ".manifest")
    if manifest.exists():
        shutil.copy2(manifest, db.with_name(db.name + ".manifest"))
    monkeypatch.setenv("H200_DB", str(db))
    return db


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_every_page_says_what_is_wrong_and_how_to_fix_it(fault: str, broken: Path):
    FAULTS[fault](broken)
    for name, path in PAGES.items():
        t0 = time.perf_counter()
        at = AppTest.from_file(str(ROOT / path), default_timeout=30)
        at.run()
        took = time.perf_counter() - t0
        assert not at.exception, (name, [e.value for e in at.exception])
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and FIX in errors[0] and WORDS[fault] in errors[0], (name, errors)
        assert not at.get("plotly_chart") and took < 20, (name, took)


def test_a_rebuilt_database_is_served_on_the_next_run(broken: Path, fixture_db: Path):
    overwrite_header(broken)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert at.error and FIX in at.error[0].value
    shutil.copy2(fixture_db, broken.with_name("new.tmp"))
    broken.with_name("new.tmp").replace(broken)          # what `etl build` does: a new file, renamed
    at.run()
    assert not at.error and not at.exception and at.get("plotly_chart")


def test_the_manifest_of_another_build_is_not_a_fault(broken: Path):
    """Between the rename and the manifest, a reader sees the new file with the old manifest."""
    m = broken.with_name(broken.name + ".manifest")
    m.write_text(json.dumps({"build_id": "an-older-build", "bytes": 1, "sha256": "0" * 64}))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.error and not at.exception
