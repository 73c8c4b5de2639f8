"""Shared fixtures: a database built by the real ETL from a fixture dataset, and clean caches."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from testsupport.server import ROOT, build_db  # noqa: F401  (tests import build_db from here)

FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"


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
