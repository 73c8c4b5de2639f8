"""Benchmark `python -m etl build` (a script, not a test).

Times the real CLI in a child process on (1) the curated data/ (the fixture if data/ is not
ready) and (2) a synthetic set: the fixture plus 1,000,000 generated trade_figures rows, written
on the fly into a temp dir (never committed, never mixed with data/). Baseline, measured in the
same run: DuckDB's own read_csv of the same trade_figures.csv into a table, also in a child
process. Peak memory is the child's ru_maxrss (os.wait4). Prints a markdown table.

    .venv/bin/python benchmarks/bench_etl.py [--rows N] [--keep]
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "data"
DATA = ROOT / "data"
STAGES = ["interest", "ordered", "inventory", "cn_approved", "us_licensed", "shipped"]
BOUNDS = ["exact", "about", "at_least", "at_most", "range", "none_reported"]


def run_child(argv: list[str]) -> tuple[float, float, int, int, str]:
    """(wall s, CPU s, peak RSS MiB, exit code, last output line) of one child process.
    CPU time (user + sys) is reported beside wall time because a busy 2-core box inflates wall."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("H200_ETL_")}
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    tail = out.decode(errors="replace").strip().splitlines()[-1:] or [""]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, p.returncode, tail[0]


def synthetic(dst: Path, rows: int, seed: int = 7, base: Path = FIXTURE) -> int:
    """`base`'s files (the fixture by default) + `rows` valid generated trade figures; returns
    the trade_figures row count."""
    shutil.copytree(base, dst)
    src = list(csv.DictReader(open(base / "sources.csv", encoding="utf-8")))
    sources = [s["source_id"] for s in src if s.get("read", "true").lower() != "false"]  # cite what was read
    rnd = random.Random(seed)
    path = dst / "trade_figures.csv"
    n = len(path.read_text(encoding="utf-8").splitlines()) - 1
    with open(path, "a", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for i in range(rows):
            bound = BOUNDS[i % len(BOUNDS)]
            value = "" if bound == "none_reported" else str(rnd.randrange(1, 2_000_000))
            high = str(int(value) + rnd.randrange(1, 1000)) if bound == "range" else ""
            d = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"
            w.writerow([f"syn_{i:07d}", "h200" if i % 3 else "h20", STAGES[i % len(STAGES)],
                        "synthetic figure", "", value, high, "chips", bound, d, "day", d,
                        sources[i % len(sources)], f"synthetic quote {i}", "", d])  # added_on
    return n + rows


def bench(label: str, data_dir: Path, work: Path, rows: int) -> list[str]:
    db = work / f"{label}.duckdb"
    etl_wall, etl_cpu, etl_rss, code, tail = run_child(
        [sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)])
    if code != 0:
        raise SystemExit(f"{label}: etl build exited {code}: {tail}")
    base_db = work / f"{label}-baseline.duckdb"
    script = ("import duckdb,sys; c=duckdb.connect(sys.argv[1]);"
              "c.execute(\"CREATE TABLE t AS SELECT * FROM read_csv(?, header=true, all_varchar=false)\","
              " [sys.argv[2]]); c.execute('CHECKPOINT'); c.close()")
    b_wall, b_cpu, b_rss, b_code, b_tail = run_child(
        [sys.executable, "-c", script, str(base_db), str(data_dir / "trade_figures.csv")])
    if b_code != 0:
        raise SystemExit(f"{label}: baseline exited {b_code}: {b_tail}")
    total = sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in data_dir.glob("*.csv"))
    return [f"| {label} | {total:,} | {etl_wall:.1f} s / {etl_cpu:.1f} s | {total / etl_wall:,.0f} "
            f"| {etl_rss:,} MiB | {b_wall:.1f} s / {b_cpu:.1f} s | {b_rss:,} MiB "
            f"| {etl_wall / b_wall:.1f}x / {etl_cpu / b_cpu:.1f}x |"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="synthetic trade_figures rows")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (printed)")
    args = ap.parse_args()
    curated = DATA if (DATA / "trade_figures.csv").exists() else FIXTURE
    work = Path(tempfile.mkdtemp(prefix="bench_etl_"))
    try:
        t0 = time.perf_counter()
        syn = work / "synthetic"
        synthetic(syn, args.rows)
        gen = time.perf_counter() - t0
        lines = ["| input | rows (all tables) | etl build, wall / CPU | rows/s (wall) | etl peak RSS "
                 "| baseline (duckdb read_csv of trade_figures.csv), wall / CPU | baseline peak RSS "
                 "| etl / baseline, wall / CPU |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|"]
        lines += bench(f"curated {curated.relative_to(ROOT)}", curated, work, 0)
        lines += bench(f"synthetic +{args.rows:,} trade_figures", syn, work, args.rows)
        print(f"\n`python benchmarks/bench_etl.py` on {os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at start "
              f"(synthetic CSV generated in {gen:.1f} s, "
              f"{(syn / 'trade_figures.csv').stat().st_size / 2**20:.0f} MiB):\n")
        print("\n".join(lines))
        print("\netl build = read + strict validation (pydantic per row) + one-transaction load + "
              "views + fsync + publish, in a fresh process (imports included).")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
