"""Fixtures for the explorer tests: a small DuckDB built from etl/schema.sql, and services."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import streamlit as st

from tracker.explorer.service import ExplorerService

ROOT = Path(__file__).resolve().parents[2]

ROWS = {
    "sources": [
        ("s_h", "Reuters", "Wire story", "https://example.com/h", "2026-01-28", "H", None, None),
        ("s_m", "Tom's Hardware", "Secondary", "https://example.com/m", "2026-01-14", "M", None, None),
        ("s_l", "Blog", "=HYPERLINK(\"http://evil\")", "https://example.com/l", None, "L", None, None),
    ],
    "companies": [("nvidia", "Nvidia", "US", "vendor"), ("bytedance", "ByteDance", "CN", "buyer")],
    "chips": [("h200", "nvidia", "H200", "Hopper", "2024", None),
              ("h20", "nvidia", "H20", "Hopper", "2024", None)],
    "trade_figures": [
        ("f1", "h200", "ordered", "orders", None, 2000000, None, "chips", "at_least", "2025-12-31", "day",
         "2026-01-14", "s_h", "more than 2 million", None),
        ("f2", "h200", "cn_approved", "approved", None, 400000, None, "chips", "at_least", "2026-01-28",
         "day", "2026-01-28", "s_h", "over 400,000", None),
        ("f3", "h200", "shipped", "shipped", None, None, None, "chips", "none_reported", "2026-01-28",
         "day", "2026-01-28", "s_m", "no chips have shipped", None),
        ("f4", "h200", "inventory", "stock", None, 700000, None, "chips", "about", "2026-01-01", "month",
         None, "s_l", "about 700,000", None),
    ],
    "figure_companies": [("f1", "bytedance")],
    "chip_specs": [
        ("p1", "h200", "fp16_bf16_tflops", 989, None, "TFLOPS", "exact", "dense", "s_m", "989", None),
        ("p2", "h20", "fp16_bf16_tflops", 148, None, "TFLOPS", "exact", "dense", "s_m", "148", None),
        ("p3", "h200", "memory_bandwidth_tbs", 4.8, None, "TB/s", "exact", "n/a", "s_m", "4.8", None),
        ("p4", "h20", "memory_bandwidth_tbs", 4.0, None, "TB/s", "exact", "n/a", "s_m", "4.0", None),
    ],
    "events": [("e1", "2026-01-13", "day", "us_policy", "BIS rule", None, "s_h")],
}


def build_db(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute((ROOT / "etl" / "schema.sql").read_text())
    for table, rows in ROWS.items():
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # test data, fixed names
    con.close()
    assert not path.with_name(path.name + ".wal").exists()
    return path


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
