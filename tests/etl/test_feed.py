"""The Atom feed etl build writes (etl/feed.py), read back by a real feed parser (feedparser)."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import feedparser
import pytest

from etl import cli, feed
from tests.etl.helpers import FIXTURE, ROOT, run_etl

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"


def parsed(data: bytes):
    d = feedparser.parse(data)
    assert not d.bozo, d.get("bozo_exception")
    assert d.version == "atom10"
    return d


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("feed")
    db, xml = d / "tracker.duckdb", d / "feed.xml"
    r = run_etl("build", "--data-dir", FIXTURE, "--db", db, "--feed", xml)
    assert r.returncode == 0, r.stderr
    return db, xml


def test_feed_is_valid_atom_with_every_required_element(built):
    db, xml = built
    d = parsed(xml.read_bytes())
    assert d.feed.id == feed.FEED_ID and d.feed.title == feed.TITLE
    assert d.feed.updated == "2026-11-30T00:00:00Z"          # the latest change in the fixture
    assert d.feed.author_detail.name == feed.AUTHOR
    assert any(link.rel == "self" for link in d.feed.links)
    assert d.entries
    for e in d.entries:
        assert e.id and e.title and e.updated and e.summary
        assert e.link.startswith("../../whats_new?row=")
    assert len({e.id for e in d.entries}) == len(d.entries)  # ids are unique


def test_feed_holds_what_whats_new_lists(built):
    db, xml = built
    con = duckdb.connect(str(db), read_only=True)
    since = con.execute("SELECT default_since::DATE FROM data_currency").fetchone()[0]
    n = con.execute("SELECT count(*) FROM changes_since(since_date := ?)", [since]).fetchone()[0]
    con.close()
    d = parsed(xml.read_bytes())
    assert len(d.entries) == n == 21 + 2                    # 21 rows added, a05 revised, a99 withdrawn
    first, second = d.entries[0], d.entries[1]             # newest first: the 2026-11-30 changes
    assert first.title.startswith("Withdrawn: trade figure a99 (was H200 inventory 700,000")
    assert "Duplicate of a05" in first.summary
    assert second.title.startswith("Revised: Nvidia inventory: 700,000 chips (Nvidia H200), as of c. 2025-12-31") and "bound was about, now exact" in second.title
    assert {t.term for t in second.tags} == {"revised"}
    assert any(link.rel == "related" and link.href.startswith("https://") for link in second.links)


def test_data_strings_are_escaped_and_control_characters_dropped():
    rows = [{"changed_on": dt.date(2026, 12, 1), "change": "revised", "revision_id": "r1",
             "table_name": "events", "row_id": "e1", "what": "<script>alert(1)</script> & \x1b[31m",
             "dated": dt.date(2026, 1, 1), "date_precision": "day", "field": "title",
             "old_value": "]]></title><evil/>", "new_value": "x", "reason": "a & b < c \x00",
             "publisher": "<b>P</b>", "grade": "H", "url": "javascript:alert(1)"}]
    data = feed.feed_xml(rows, dt.date(2026, 11, 1), dt.date(2026, 12, 1))
    assert b"<script>" not in data and b"<evil/>" not in data and b"\x1b" not in data and b"\x00" not in data
    d = parsed(data)
    (e,) = d.entries
    assert "<script>alert(1)</script> & \ufffd[31m" in e.title      # text, shown as text
    assert "]]></title><evil/>" in e.title and "a & b < c" in e.summary
    assert not any(link.href.startswith("javascript") for link in e.links)


def test_hostile_fixture_feed_parses(tmp_path):
    xml = tmp_path / "feed.xml"
    r = run_etl("build", "--data-dir", HOSTILE, "--db", tmp_path / "h.duckdb", "--feed", xml)
    assert r.returncode == 0, r.stderr
    d = parsed(xml.read_bytes())
    assert any("<script>alert(1)</script>" in e.title for e in d.entries)
    assert b"<script>" not in xml.read_bytes()


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_a_build_into_another_database_never_touches_the_repository_feed(tmp_path):
    before = _digest(cli.DEFAULT_FEED)
    r = run_etl("build", "--data-dir", FIXTURE, "--db", tmp_path / "t.duckdb")
    assert r.returncode == 0, r.stderr
    assert _digest(cli.DEFAULT_FEED) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.duckdb", "t.duckdb.lock", "t.duckdb.manifest"]


def test_feed_target_defaults():
    args = cli._parser().parse_args(["build"])
    assert cli.feed_target(args) == cli.DEFAULT_FEED
    assert cli.feed_target(cli._parser().parse_args(["build", "--db", "/tmp/x.duckdb"])) is None
    assert cli.feed_target(cli._parser().parse_args(["build", "--no-feed"])) is None
    assert cli.feed_target(cli._parser().parse_args(["build", "--db", "/tmp/x.duckdb", "--feed", "/tmp/f.xml"])) \
        == Path("/tmp/f.xml")


def test_feed_written_atomically_and_refreshed_when_up_to_date(tmp_path):
    db, xml = tmp_path / "t.duckdb", tmp_path / "feed.xml"
    assert run_etl("build", "--data-dir", FIXTURE, "--db", db, "--feed", xml).returncode == 0
    first = xml.read_bytes()
    assert not list(tmp_path.glob("*.tmp"))
    xml.unlink()
    r = run_etl("build", "--data-dir", FIXTURE, "--db", db, "--feed", xml, "--if-stale")
    assert r.returncode == 0 and "up to date" in r.stdout
    assert xml.read_bytes() == first                       # same inputs, same bytes


def test_invalid_input_writes_no_feed(tmp_path, data_dir: Path):
    (data_dir / "companies.csv").write_text("company_id\n", encoding="utf-8")
    xml = tmp_path / "feed.xml"
    r = run_etl("build", "--data-dir", data_dir, "--db", tmp_path / "t.duckdb", "--feed", xml)
    assert r.returncode == 1 and not xml.exists()


def test_feed_in_a_missing_directory_is_a_usage_error(tmp_path):
    r = run_etl("build", "--data-dir", FIXTURE, "--db", tmp_path / "t.duckdb", "--feed", tmp_path / "no" / "f.xml")
    assert r.returncode == 2 and "--feed" in r.stderr
