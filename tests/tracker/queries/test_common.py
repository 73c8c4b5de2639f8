"""tracker.queries.common: the filter options and build info every page reads (fixture dataset)."""
import datetime as dt

import pytest

from tracker import db, queries


@pytest.fixture
def version(use_fixture_db):
    return db.current_version()


def test_options_and_build_info(version):
    opts = queries.options(version)
    assert "bytedance" in opts.companies and "h200" in opts.chips
    assert opts.first == dt.date(2025, 12, 22) and opts.last == dt.date(2026, 1, 28)
    info = queries.build_info(version)
    assert info["build_id"] and str(info["latest_as_of"])[:10] == "2026-01-28"
