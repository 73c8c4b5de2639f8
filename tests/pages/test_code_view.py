"""'Use this view in code' on the pages: folded until asked for, then per table the SQL, the
Python and the pandas read, each a code block with its language (so it has a copy button),
with the page's filters filled in. tests/tracker/test_snippets.py runs what they say."""
from __future__ import annotations

from tests.pages.helpers import run
from tracker import snippets
from tracker.filters import Filters


def opened(page: str, params: dict | None = None):
    at = run(page, params)
    assert not [c for c in at.code if "FROM filtered_" in c.value or "FROM derived_" in c.value]  # lazy
    at.session_state["code_view"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_data_page_gives_each_table_in_code_with_the_filters():
    at = opened("data", {"company": ["bytedance"]})
    f = Filters(companies=("bytedance",))
    blocks = {(c.language, c.value) for c in at.code}
    for table in ("figures", "specs", "events"):
        assert ("sql", snippets.sql(snippets.VIEWS[table], f)) in blocks
    sql = [v for lang, v in blocks if lang == "sql"]
    assert all("companies := ['bytedance']" in v for v in sql)
    python = [v for lang, v in blocks if lang == "python"]
    assert any("duckdb.connect(" in v and "read_only=True" in v and "'companies': ['bytedance']" in v for v in python)
    assert any("pd.read_csv('trade-figures_company-bytedance.csv')" in v for v in python)


def test_the_pipeline_snippet_on_the_overview():
    at = opened("overview", {"dates": ["2026-01-01", "2026-06-30"]})
    sql = [c.value for c in at.code if c.language == "sql"]
    assert len(sql) == 1 and "FROM derived_pipeline(" in sql[0]
    assert "start_date := DATE '2026-01-01'" in sql[0] and "end_date := DATE '2026-06-30'" in sql[0]
