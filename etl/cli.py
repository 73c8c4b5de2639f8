"""python -m etl check|build: validate the curated CSVs, build and publish the DuckDB file.

Exit codes:
  0  valid (check) / built and published, or already up to date (build --if-stale)
  1  invalid input: every problem printed to stderr as FILE:LINE: COLUMN: message (value);
     nothing was written, the live database is byte-identical
  2  usage error (argparse)
  3  another ETL build holds the lock (<db>.lock); nothing was written
  4  the build failed for another reason (disk space, DuckDB error, post-load assertion);
     the live database is untouched

A build also writes the Atom feed of changes (etl/feed.py) to --feed, by default static/feed.xml
(served at /app/static/feed.xml) only when --db is the default database: a build into another
database (tests, benchmarks) writes no feed unless given --feed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from etl.pause import pause_at
from etl.publish import (BuildError, LockBusy, PublishError, build_lock, preflight, publish,
                         remove_stale, sibling, write_manifest)
from etl.validate import LISTED, Validated, validate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_DB = ROOT / "data" / "tracker.duckdb"   # must equal tracker.config.DEFAULT_DB
DEFAULT_FEED = ROOT / "static" / "feed.xml"     # Streamlit serves ./static/ at /app/static/

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_LOCKED, EXIT_FAILED = 0, 1, 2, 3, 4


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description=__doc__.split("\n")[0],
                                epilog=__doc__.split("\n", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="validate the CSVs; write nothing")
    b = sub.add_parser("build", help="validate, build a new database beside the live one, publish")
    for s in (c, b):
        s.add_argument("--max-problems", type=int, default=LISTED, metavar="N",
                       help=f"list the first N problems, count the rest (default {LISTED}; 0 lists all)")
        s.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                       help=f"folder of the curated CSVs (default {DEFAULT_DATA_DIR})")
    c.add_argument("--db", type=Path, default=None,
                   help="published database to compare with: every change since it needs a "
                        f"revision (default {DEFAULT_DB} when --data-dir is the default)")
    b.add_argument("--db", type=Path, default=DEFAULT_DB,
                   help=f"live database path (default {DEFAULT_DB})")
    b.add_argument("--if-stale", action="store_true",
                   help="do nothing when the live database was built from these exact files")
    b.add_argument("--feed", type=Path, default=None,
                   help=f"where to write the Atom feed of changes (default {DEFAULT_FEED}, only "
                        "when --db is the default database)")
    b.add_argument("--no-feed", action="store_true", help="write no feed")
    return p


def _counts(counts: dict[str, int]) -> str:
    return " ".join(f"{k}={n}" for k, n in counts.items())


def _report(v: Validated) -> int:
    for p in v.problems:
        print(p.format(), file=sys.stderr)
    n = v.count
    more = f" (the first {len(v.problems)} listed, and {v.unlisted} more)" if v.unlisted else ""
    print(f"etl: {n} problem{'s' * (n != 1)} found{more}; nothing was written", file=sys.stderr)
    return EXIT_INVALID


def live_hashes(db: Path) -> Optional[dict[str, str]]:
    """table -> sha256 from the live database's build_info, or None if it can't be read."""
    if not db.exists():
        return None
    import duckdb
    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return dict(con.execute("SELECT table_name, sha256 FROM build_info").fetchall())
        finally:
            con.close()
    except duckdb.Error:
        return None


def check_revisions(v: Validated, db: Optional[Path]) -> str:
    """Add the revision log's problems to v: the log against the CSVs, and every change since
    the published database `db` (when it exists and can be read) against the log. Returns
    what the CSVs were compared with, for the summary line."""
    import duckdb
    from etl import revision_sets, revisions
    baseline = None
    try:
        with revision_sets.snapshots(v, db) as (current, baseline):
            v.add(revisions.problems(current, baseline))
    except duckdb.Error as e:     # an unreadable published database: compare with nothing
        print(f"etl: warning: cannot read {db} to compare with, changes since it are not "
              f"checked: {str(e).splitlines()[0]}", file=sys.stderr)
        with revision_sets.snapshots(v, None) as (current, _):
            v.add(revisions.problems(current, None))
    if baseline is None:
        return "no published database to compare with"
    try:
        shown = db.absolute().relative_to(Path.cwd())
    except ValueError:
        shown = db
    return f"every change since {shown} is in revisions.csv"


def cmd_check(args) -> int:
    v = validate(args.data_dir, limit=args.max_problems)     # scratch space in a temp dir
    try:
        default_dir = args.data_dir.absolute().resolve() == DEFAULT_DATA_DIR.resolve()
        compared = check_revisions(v, args.db or (DEFAULT_DB if default_dir else None))
        if not v.ok:
            return _report(v)
    finally:
        v.close()
    print(f"etl: ok: {args.data_dir}: {_counts(v.row_counts)}; {compared}")
    return EXIT_OK


def cmd_build(args) -> int:
    db: Path = args.db.absolute()
    started = time.monotonic()
    with build_lock(db):
        pause_at("locked")
        clear_scratch(db)                    # a killed build's scratch space
        # Every input read once into a scratch database beside the live one (<db>.stage/:
        # snapshots of the inputs, staged rows); each curated table checked and loaded into
        # <db>.tmp in one pass. Invalid inputs: the tmp is deleted, nothing is published.
        state: dict = {}
        v = validate(args.data_dir, sibling(db, ".stage"), limit=args.max_problems,
                     target=lambda files, stage: open_target(args, db, files, stage, state))
        try:
            check_revisions(v, db)           # every change since the live database is logged
            if not v.ok:
                return _report(v)
            pause_at("validated")
            from etl.build import build_database, make_build_id
            from etl.verify import verified
            feed_path = feed_target(args)
            if state.get("up_to_date"):
                refresh_feed(feed_path, db)
                print(f"etl: up to date: {db} was built from these inputs")
                return EXIT_OK
            if "refused" in state:           # valid inputs, but the disk or a stray WAL says no
                raise state["refused"]
            built_at = dt.datetime.now(dt.timezone.utc)
            build_id = make_build_id(v, built_at)
            tmp, counts = build_database(db, v, build_id, built_at)
        finally:
            v.close()
        try:
            sha = verified(tmp, build_id, counts, v.built_sha256)   # reads back unchanged, or not published
        except BuildError:
            remove_stale(db)
            raise
        feed_tmp = stage_feed(feed_path, tmp, db)   # before publishing: no feed, no build
        publish(tmp, db)
        if feed_tmp is not None:
            from etl import feed
            feed.commit(feed_tmp, feed_path)
        try:
            write_manifest(db, build_id, sha)
        except OSError as e:   # the DB is already live; the manifest is informational only
            print(f"etl: warning: published, but could not write the manifest: {e}", file=sys.stderr)
    print(f"etl: built {db} build_id={build_id} {_counts(counts)} "
          f"({time.monotonic() - started:.2f} s)")
    return EXIT_OK


def open_target(args, db: Path, files: dict, stage, state: dict):
    """The build to load as the validator checks (etl/build.py Target), once every input is
    read: none when --if-stale finds the live database built from these inputs (state
    up_to_date) or the preflight refuses (state refused: raised once the inputs are valid)."""
    from etl.build import Target, code_hashes
    current = {name: f.sha256 for name, f in files.items()}
    current.update({name: sha for name, (_, sha) in code_hashes().items()})
    if args.if_stale and live_hashes(db) == current:
        state["up_to_date"] = True
        return None
    try:
        preflight(db, sum(f.scan.size for f in files.values() if f.scan is not None))
    except PublishError as e:
        state["refused"] = e
        return None
    return Target(db, stage)


def clear_scratch(db: Path) -> None:
    import shutil
    shutil.rmtree(sibling(db, ".stage"), ignore_errors=True)


def feed_target(args) -> Optional[Path]:
    """--feed, else static/feed.xml for the default database only, else none."""
    if args.no_feed:
        return None
    if args.feed is not None:
        return args.feed.absolute()
    return DEFAULT_FEED if args.db.absolute() == DEFAULT_DB.absolute() else None


def stage_feed(path: Optional[Path], tmp: Path, db: Path) -> Optional[Path]:
    """The feed of the just-built database, written beside its target and fsynced; on any
    failure the new database is removed too, so nothing is published."""
    if path is None:
        return None
    import duckdb
    from etl import feed
    from etl.publish import remove_stale
    try:
        return feed.stage(path, feed.from_database(tmp))
    except (duckdb.Error, OSError) as e:
        remove_stale(db)
        raise BuildError(f"could not write the feed {path}: {type(e).__name__}: {str(e).splitlines()[0]}") from e


def refresh_feed(path: Optional[Path], db: Path) -> None:
    """An up-to-date build still (re)writes a missing or different feed from the live database."""
    if path is None:
        return
    import duckdb
    from etl import feed
    try:
        data = feed.from_database(db)
    except duckdb.Error as e:
        print(f"etl: warning: could not write the feed from {db}: {str(e).splitlines()[0]}", file=sys.stderr)
        return
    if not path.exists() or path.read_bytes() != data:
        feed.write(path, data)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)        # exits 2 on usage errors
    if not args.data_dir.is_dir():
        print(f"etl: error: --data-dir {args.data_dir} is not a directory", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build" and (args.db.is_dir() or not args.db.absolute().parent.is_dir()):
        print(f"etl: error: --db {args.db}: not a file path in an existing directory", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build" and args.feed is not None and (
            args.feed.is_dir() or not args.feed.absolute().parent.is_dir()):
        print(f"etl: error: --feed {args.feed}: not a file path in an existing directory", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "build" and feed_target(args) == DEFAULT_FEED:
        DEFAULT_FEED.parent.mkdir(exist_ok=True)
    try:
        return cmd_check(args) if args.command == "check" else cmd_build(args)
    except LockBusy as e:
        print(f"etl: {e}", file=sys.stderr)
        return EXIT_LOCKED
    except (BuildError, PublishError, OSError) as e:
        print(f"etl: build failed, live database untouched: {type(e).__name__}: "
              f"{str(e).splitlines()[0] if str(e) else ''}", file=sys.stderr)
        if os.environ.get("H200_ETL_DEBUG"):
            raise
        return EXIT_FAILED
