"""Fixtures for the ETL tests: a copy of the fixture dataset, a built live DB."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.etl.helpers import FIXTURE, run_etl


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(FIXTURE, d)
    return d


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A live DB built once from the fixture by the real CLI; tests copy it."""
    d = tmp_path_factory.mktemp("built")
    db = d / "tracker.duckdb"
    r = run_etl("build", "--data-dir", FIXTURE, "--db", db)
    assert r.returncode == 0, r.stderr
    return db


@pytest.fixture
def live_db(tmp_path: Path, built_db: Path) -> Path:
    d = tmp_path / "db"
    d.mkdir()
    db = d / "tracker.duckdb"
    shutil.copy2(built_db, db)
    return db
