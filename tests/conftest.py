"""Shared fixtures: a database built by the real ETL from a fixture dataset, and clean caches."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"


def build_db(data_dir: Path, db: Path) -> Path:
    """Build a database exactly as users do: through `python -m etl build`."""
    done = subprocess.run([sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir),
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return db


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    return build_db(FIXTURE_DATA, tmp_path_factory.mktemp("db") / "fixture.duckdb")


@pytest.fixture
def use_fixture_db(fixture_db, monkeypatch) -> Path:
    """Point the app at the fixture database."""
    monkeypatch.setenv("H200_DB", str(fixture_db))
    return fixture_db


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
