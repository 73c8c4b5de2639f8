"""What changed, and what is not known yet (design.md rules 9 and 10): the change log and its
counts (etl/views.sql changes_since, change_counts), how current the data is, and the reports
expected and not yet in."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from tracker import db
from tracker.filters import Filters
from tracker.queries.common import cached, query, run

@cached
def change_log(since: dt.date | None, row: str | None, version: db.Version,
               limit: int | None = None) -> pd.DataFrame:
    """Every addition, revision and withdrawal on or after `since` (of one row id, if given),
    newest first (views.sql changes_since); the newest `limit` of them when given (up to
    views.sql change_newest_kept() of every row's, read from what the build kept: any size)."""
    return query("SELECT * FROM changes_since(since_date := $since, only_row := $row, max_rows := $limit)",
                 {"since": since, "row": row, "limit": limit}, version=version)


@cached
def change_counts(since: dt.date | None, row: str | None, version: db.Version) -> pd.DataFrame:
    """How many changes change_log holds, per day and kind (changed_on, change, n), newest first."""
    return query("SELECT * FROM change_counts(since_date := $since, only_row := $row)",
                 {"since": since, "row": row}, version=version)


@cached
def currency(version: db.Version) -> dict:
    """The newest report, the latest change, What's new's default window and the build time."""
    row = query("SELECT * FROM data_currency", version=version).iloc[0].to_dict()
    return {k: (None if pd.isna(v) else (v.date() if k != "built_at" and hasattr(v, "date") else v))
            for k, v in row.items()}


@cached
def stage_currency(f: Filters, version: db.Version) -> pd.DataFrame:
    """Per stage, the date of the latest report the filters let through."""
    return run("filtered_stage_currency", f, version)


@cached
def expected_reports(version: db.Version) -> pd.DataFrame:
    """Reports expected or overdue and not yet in the data (data/expected_reports.csv)."""
    return query("SELECT * FROM expected_report_rows", version=version)
