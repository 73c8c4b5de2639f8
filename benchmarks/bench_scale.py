"""Each page's first run at any size: the curated data, then +1M and +10M synthetic trade
figures (benchmarks/bench_etl.py's generator), measured in ONE run and printed as ratios to the
curated run (a script, not a test).

    .venv/bin/python benchmarks/bench_scale.py                    # curated, +1M, +10M
    .venv/bin/python benchmarks/bench_scale.py --rows 1000000     # curated and +1M only
    .venv/bin/python benchmarks/bench_scale.py --via etl          # grow with `etl build`
    .venv/bin/python benchmarks/bench_scale.py --keep             # keep the databases (printed)

A page's first run: in a fresh process per (database, page), AppTest opens app.py as a link does
(not timed: imports and the page switch), then the Streamlit caches are cleared (so the
database connection is new and DuckDB's buffers cold; the OS file cache stays warm) and the
page's next run is timed; --reps such runs, each after clearing the caches again. --rounds
interleaved rounds (every page on every size in turn, a fresh process each) and the median of
all their runs: a page's first run is 0.2-0.5 s, and one process's runs on a shared machine
swing by a third, so one round per size cannot tell 1.3x from 1.6x.
The Overview is app.py itself, timed the same way.

Growing the data: the generator writes data/ plus N rows of trade_figures.csv under /tmp.
--via fast (default) copies the curated build, inserts the generated rows with DuckDB's own
read_csv (the schema's keys and checks apply) and rebuilds the tables etl/views.sql derives from
them (figure_cells); --via etl runs `python -m etl build` on the generated files instead (the
real pipeline; at 10M rows it takes as long as the ETL does). The files are deleted at the end
unless --keep.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from bench_etl import synthetic  # noqa: E402
from testsupport.server import build_db  # noqa: E402
from etl.stage import q  # noqa: E402

PAGES = {"overview": "app.py", "pipeline": "pages/1_pipeline.py", "chips": "pages/2_chips.py",
         "timeline": "pages/3_timeline.py", "sources": "pages/4_sources.py", "data": "pages/5_data.py",
         "compute": "pages/6_compute.py", "explore": "pages/7_explore.py",
         "whats_new": "pages/8_whats_new.py"}
TARGET = 1.5  # a page's first run at 1M / 10M rows at most 1.5x its first run on the curated data
VIEWS_SQL = ROOT / "etl" / "views.sql"

CHILD = r'''
import json, os, statistics, sys, time
sys.path.insert(0, {root!r})
os.environ["H200_DB"] = {db!r}
import streamlit as st
from streamlit.testing.v1 import AppTest
page, reps = {page!r}, {reps!r}
at = AppTest.from_file({app!r}, default_timeout=900)
at.run()
times, errors = [], []
for _ in range(reps):
    st.cache_data.clear(); st.cache_resource.clear()
    t0 = time.perf_counter()
    if page == "app.py":
        at.run()
    else:
        at.switch_page(page).run()
    times.append(time.perf_counter() - t0)
    errors += [e.value[:200] for e in at.exception]
print("RESULT " + json.dumps({{"times": times, "errors": errors[:1]}}))
'''


def first_run(db: Path, page: str, reps: int) -> dict:
    """The page's cold-cache run times in a fresh process (see the module docstring)."""
    code = CHILD.format(root=str(ROOT), db=str(db), page=page, reps=reps, app=str(ROOT / "app.py"))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=3600)
    line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        return {"times": [], "errors": [(out.stderr or out.stdout).strip().splitlines()[-1:]]}
    return json.loads(line[len("RESULT "):])


def derived_tables() -> list[tuple[str, str]]:
    """(name, CREATE TABLE … AS statement) of every table etl/views.sql derives from the rows."""
    text = VIEWS_SQL.read_text(encoding="utf-8")
    return [(m.group(1), m.group(0)) for m in
            re.finditer(r"^CREATE TABLE (\w+) AS\n.*?;$", text, flags=re.S | re.M)]


def grow(curated_db: Path, out: Path, rows: int, work: Path, via: str) -> float:
    """A database of the curated data plus `rows` generated trade figures; returns seconds."""
    import duckdb

    t0 = time.perf_counter()
    data = work / f"data_{rows}"
    synthetic(data, rows, base=ROOT / "data")
    if via == "etl":
        build_db(data, out)
    else:
        shutil.copy(curated_db, out)
        con = duckdb.connect(str(out))
        con.execute("INSERT INTO trade_figures BY NAME SELECT * FROM read_csv(?, header = true, "
                    "all_varchar = true) WHERE starts_with(figure_id, 'syn_')",
                    [str(data / "trade_figures.csv")])
        for name, create in derived_tables():  # names come from our own views.sql
            con.execute(f"DROP TABLE {q(name)}")
            con.execute(create)
        con.execute("CHECKPOINT")
        con.close()
    shutil.rmtree(data)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", default="1000000,10000000", help="synthetic sizes, comma-separated")
    ap.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    ap.add_argument("--reps", type=int, default=3, help="cold-cache runs per page and process")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds of fresh processes")
    ap.add_argument("--via", choices=("fast", "etl"), default="fast")
    ap.add_argument("--work", type=Path, default=None, help="directory for the files (default /tmp)")
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    args = ap.parse_args(argv)
    pages = [p for p in PAGES if not args.pages or p in args.pages.split(",")]
    sizes = [int(x) for x in args.rows.split(",") if x]

    t_start = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="bench_scale_", dir=args.work))
    try:
        dbs = {"curated": build_db(ROOT / "data", work / "curated.duckdb")}
        for n in sizes:
            secs = grow(dbs["curated"], work / f"plus{n}.duckdb", n, work, args.via)
            dbs[f"+{n:,}"] = work / f"plus{n}.duckdb"
            print(f"  built +{n:,} rows in {secs:.0f} s ({args.via}), "
                  f"{dbs[f'+{n:,}'].stat().st_size / 2**20:.0f} MiB", file=sys.stderr)
        # Interleaved rounds: each round runs every page on every size in turn, so a burst of
        # load on the shared machine lands on the curated run and the grown ones alike.
        results: dict[str, dict[str, dict]] = {}
        for _ in range(args.rounds):
            for name in pages:
                for label, db in dbs.items():
                    r = first_run(db, PAGES[name], args.reps)
                    cell = results.setdefault(name, {}).setdefault(label, {"times": [], "errors": []})
                    cell["times"] += r["times"]
                    cell["errors"] += r["errors"]
                    print(f"  {label} {name}: {['%.2f' % t for t in r['times']]} {r['errors'] or ''}",
                          file=sys.stderr)
        labels = list(dbs)
        print(f"\nMeasured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at the end; grown via {args.via}; a page's first run with cold "
              f"caches, median of {args.rounds} rounds x {args.reps} runs; ratio = size / curated; ⚠ = over {TARGET}x.\n")
        print("| page | " + " | ".join(labels) + " |")
        print("|---|" + "---|" * len(labels))
        for name in pages:
            row = results[name]
            base = statistics.median(row["curated"]["times"]) if row["curated"]["times"] else None
            cells = []
            for label in labels:
                r = row[label]
                if not r["times"]:
                    cells.append(f"error: {str(r['errors'])[:60]}")
                    continue
                t = statistics.median(r["times"])
                text = f"{t:.2f} s"
                if label != "curated" and base:
                    text += f" ({t / base:.2f}x{' ⚠' if t / base > TARGET else ''})"
                if r["errors"]:
                    text += f" error: {str(r['errors'])[:60]}"
                cells.append(text)
            print(f"| {name} | " + " | ".join(cells) + " |")
        print(f"\nTotal benchmark time {time.perf_counter() - t_start:.0f} s.")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
