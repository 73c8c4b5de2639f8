"""Benchmark `python -m etl build` (a script, not a test).

Times the real CLI in a child process on (1) the curated data/ (the fixture if data/ is not
ready) and (2) synthetic sets: the fixture plus 1,000,000 and 10,000,000 generated
trade_figures rows, written on the fly into a temp dir (never committed, never mixed with
data/, deleted after each run). Baseline, measured in the same run right after each build:
DuckDB's own read_csv of the same CSV files into a database file, also in a child process.
Peak memory is the child's ru_maxrss (os.wait4). Prints a markdown table with the ratios
(targets: wall <= 3x, peak memory <= 2x).

    .venv/bin/python benchmarks/bench_etl.py [--rows N [N ...]] [--timeout S] [--keep]
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "data"
DATA = ROOT / "data"
STAGES = ["interest", "ordered", "inventory", "cn_approved", "us_licensed", "shipped"]
BOUNDS = ["exact", "about", "at_least", "at_most", "range", "none_reported"]


def run_child(argv: list[str], timeout: float = 420) -> tuple[float, float, int, int, str]:
    """(wall s, CPU s, peak RSS MiB, exit code, last output line) of one child process, killed
    after `timeout` s. CPU time (user + sys) is reported beside wall time because a busy
    2-core box inflates wall."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("H200_ETL_")}
    # Flush what ran before to disk first (the generator's 1.5 GB file, the last child's
    # database): else the kernel writes it back during this child's run and bills its time.
    os.sync()
    t0 = time.perf_counter()
    log = tempfile.TemporaryFile()
    p = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    timer = threading.Timer(timeout, p.kill)      # bounded: a run that hangs is killed
    timer.start()
    _, status, usage = os.wait4(p.pid, 0)
    timer.cancel()
    log.seek(0)
    out = log.read()
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    tail = out.decode(errors="replace").strip().splitlines()[-1:] or [""]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, p.returncode, tail[0]


def synthetic(dst: Path, rows: int, seed: int = 7, base: Path = FIXTURE) -> int:
    """`base`'s files (the fixture by default) + `rows` valid generated trade figures; returns
    the trade_figures row count. Written by DuckDB (10,000,000 rows in about 20 s); one row in
    ten has a quote with a comma and quotes in it, so the quoted-field path is measured too."""
    import duckdb
    shutil.copytree(base, dst)
    src = list(csv.DictReader(open(base / "sources.csv", encoding="utf-8")))
    sources = [s["source_id"] for s in src if s.get("read", "true").lower() != "false"]  # cite what was read
    path = dst / "trade_figures.csv"
    n = len(path.read_text(encoding="utf-8").splitlines()) - 1
    if not path.read_bytes().endswith(b"\n"):
        path.write_bytes(path.read_bytes() + b"\n")
    extra = dst / "synthetic.part"
    con = duckdb.connect()
    # Every value bound: sizes, seed and the vocabularies (the source ids come from a CSV).
    con.sql("""SELECT 'syn_' || lpad(i::VARCHAR, 8, '0'), CASE WHEN i % 3 = 0 THEN 'h20' ELSE 'h200' END,
        $stages[1 + i % len($stages)], 'synthetic figure', NULL,
        CASE WHEN i % 6 = 5 THEN NULL ELSE (1 + hash(i + $seed) % 2000000)::VARCHAR END,
        CASE WHEN i % 6 = 4 THEN (2000001 + hash(i + $seed) % 1000)::VARCHAR END, 'chips', $bounds[1 + i % len($bounds)],
        strftime(DATE '2025-01-01' + (i % 700)::INTEGER, '%Y-%m-%d'), 'day',
        strftime(DATE '2025-01-01' + (i % 700)::INTEGER, '%Y-%m-%d'), $sources[1 + i % len($sources)],
        CASE WHEN i % 10 = 0 THEN 'synthetic quote ' || i || ', with a comma and "quotes"'
             ELSE 'synthetic quote ' || i END, NULL,
        strftime(DATE '2025-01-01' + (i % 700)::INTEGER, '%Y-%m-%d')
        FROM range($rows) t(i)""",
            params={"rows": rows, "seed": seed, "stages": STAGES, "bounds": BOUNDS,
                    "sources": sources}).write_csv(str(extra), header=False)
    con.close()
    with open(path, "ab") as out, open(extra, "rb") as part:
        shutil.copyfileobj(part, out, 1 << 20)
    extra.unlink()
    return n + rows


BASELINE = """import duckdb, sys
con = duckdb.connect(sys.argv[1])
for i, path in enumerate(sys.argv[2:]):
    con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, header = true)", [path])
con.execute("CHECKPOINT")
con.close()
"""


def bench(label: str, data_dir: Path, work: Path, timeout: float) -> tuple[str, dict]:
    """One markdown row: the ETL build, and in the same run DuckDB's own read_csv of the same
    files into a database file (the baseline), each a fresh child process."""
    db = work / "etl" / "tracker.duckdb"
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir()
    etl = run_child([sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)], timeout)
    if etl[3] != 0:
        raise SystemExit(f"{label}: etl build exited {etl[3]}: {etl[4]}")
    base_db = work / "baseline.duckdb"
    base_db.unlink(missing_ok=True)
    files = sorted(str(p) for p in data_dir.glob("*.csv"))
    base = run_child([sys.executable, "-c", BASELINE, str(base_db), *files], timeout)
    if base[3] != 0:
        raise SystemExit(f"{label}: baseline exited {base[3]}: {base[4]}")
    base_db.unlink()
    shutil.rmtree(db.parent, ignore_errors=True)
    total = sum(1 for p in data_dir.glob("*.csv") for _ in open(p, "rb")) - len(files)
    r = dict(wall=etl[0] / base[0], cpu=etl[1] / base[1], rss=etl[2] / base[2])
    return (f"| {label} | {total:,} | {etl[0]:.1f} s / {etl[1]:.1f} s | {etl[2]:,} MiB "
            f"| {base[0]:.1f} s / {base[1]:.1f} s | {base[2]:,} MiB "
            f"| **{r['wall']:.2f}x** / {r['cpu']:.2f}x | **{r['rss']:.2f}x** |"), r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000],
                    help="synthetic trade_figures rows, one run each (default 1,000,000 and 10,000,000)")
    ap.add_argument("--timeout", type=float, default=420, help="seconds a child may take (default 420)")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (printed)")
    args = ap.parse_args()
    curated = DATA if (DATA / "trade_figures.csv").exists() else FIXTURE
    work = Path(tempfile.mkdtemp(prefix="bench_etl_"))
    started, load = time.perf_counter(), os.getloadavg()[0]
    lines = ["| input | rows (all tables) | etl build, wall / CPU | etl peak RSS "
             "| baseline: duckdb read_csv of the same files, wall / CPU | baseline peak RSS "
             "| etl / baseline, wall / CPU | etl / baseline, peak RSS |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    notes = []
    try:
        lines.append(bench(f"curated {curated.relative_to(ROOT)}", curated, work, args.timeout)[0])
        for rows in args.rows:
            syn = work / "synthetic"
            shutil.rmtree(syn, ignore_errors=True)
            t0 = time.perf_counter()
            synthetic(syn, rows)
            notes.append(f"{rows:,} rows: {(syn / 'trade_figures.csv').stat().st_size / 2**20:,.0f} MiB "
                         f"generated in {time.perf_counter() - t0:.0f} s")
            line, r = bench(f"synthetic +{rows:,} trade_figures", syn, work, args.timeout)
            lines.append(line + ("" if r["wall"] <= 3 and r["rss"] <= 2 else " ⚠"))
            shutil.rmtree(syn, ignore_errors=True)
        print(f"\n`python benchmarks/bench_etl.py` on {os.cpu_count()} cores, load average {load:.1f} at "
              f"start and {os.getloadavg()[0]:.1f} at the end, {time.perf_counter() - started:.0f} s in all "
              f"({'; '.join(notes)}). Targets: wall <= 3x, peak RSS <= 2x the baseline (⚠: missed).\n")
        print("\n".join(lines))
        print("\netl build = read and hash every input once, check each curated table and load it into "
              "the new file in one pass (reference tables per row with pydantic), the rest, views and "
              "post-load checks in one transaction, verify the closed file read-only, fsync, publish; "
              "a fresh process, imports included.")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
