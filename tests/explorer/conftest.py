"""Fixtures for the explorer tests: the fixture dataset built by the real ETL, and services."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from tracker.explorer.service import ExplorerService

ROOT = Path(__file__).resolve().parents[2]

def build_db(path: Path) -> Path:
    """The fixture dataset through the real ETL: tables, views and table macros, as published."""
    from tests.conftest import FIXTURE_DATA, build_db as etl_build
    etl_build(FIXTURE_DATA, path)
    assert not path.with_name(path.name + ".wal").exists()
    return path


def fixture_rows(table: str):
    """The fixture CSV as a frame: the oracle the database answers are checked against."""
    import pandas as pd
    from tests.conftest import FIXTURE_DATA
    return pd.read_csv(FIXTURE_DATA / f"{table}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def db_file(tmp_path_factory) -> Path:
    return build_db(tmp_path_factory.mktemp("explorer-db") / "tracker.duckdb")


@pytest.fixture(scope="module")
def service(db_file):
    svc = ExplorerService(db_file)
    assert svc.disabled_reason is None, svc.disabled_reason
    yield svc
    svc.close()


@pytest.fixture(autouse=True)
def clear_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
