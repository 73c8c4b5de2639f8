"""Load: N concurrent browser sessions changing filters on one server (a script, not a test).

    .venv/bin/python benchmarks/load.py [--sessions 8] [--changes 6] [--data-dir data] [--limit 300]

Builds the data with the real ETL into a temp dir, starts one `streamlit run` on a free
127.0.0.1 port, and opens --sessions pages (Overview, Orders, Chip performance, Timeline in
turn), each in its own browser (Debian's Chromium, one per thread, its own Playwright) and its
own Streamlit session. Every session then makes --changes filter changes, one after the other,
all sessions at once (the grade radio, H only <-> all grades: every chart depends on it). A
change counts as drawn when its URL, a script run started after the click and the page's
charts are all there (testsupport/sessions.py); one not drawn within --timeout seconds is
counted as lost, and the run stops after --limit seconds, counting what was not done as lost.

Prints p50/p95/max redraw and where the CPU went over the run, read from /proc (no psutil): the
server (its process tree), the browsers (Chromium and Playwright's driver, every process under
this script but the server), this script, and the rest of the machine (other users of the shared
2 cores), each as a share of all CPU time the machine spent. Nothing leaves 127.0.0.1.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from testsupport.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT  # noqa: E402
from testsupport.server import Server, build_db  # noqa: E402
from testsupport.sessions import Session  # noqa: E402

PATHS = ["/", "/pipeline", "/chips", "/timeline"]
TICK = os.sysconf("SC_CLK_TCK")


# --- CPU from /proc ------------------------------------------------------------------------------
def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its waited-for children)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / TICK   # utime stime cutime cstime


def _machine() -> float:
    """CPU seconds the whole machine has spent (every core, idle and iowait excluded)."""
    with open("/proc/stat") as fh:
        cpu = [int(x) for x in fh.readline().split()[1:]]
    return (sum(cpu) - cpu[3] - cpu[4]) / TICK


class CpuMeter:
    """Samples every process under this script twice a second: a process is the server's when
    the server is among its ancestors, else the browsers'. The highest reading of each pid
    counts (a process that ends between samples loses at most half a second)."""

    def __init__(self, server_pid: int):
        self.server_pid, self.me = server_pid, os.getpid()
        self.seen: dict[int, tuple[str, float]] = {}
        self.start: dict[int, float] = {}
        self.stop_event = threading.Event()
        self.machine0 = _machine()
        self.machine = 0.0
        self._sample(initial=True)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _owner(self, pid: int, parents: dict[int, int]) -> str | None:
        while pid in parents:
            if pid == self.server_pid:
                return "server"
            if pid == self.me:
                return "browsers"
            pid = parents[pid]
        return None

    def _sample(self, initial: bool = False) -> None:
        stats = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                got = _stat(int(name))
                if got:
                    stats[int(name)] = got
        parents = {pid: s[0] for pid, s in stats.items()}
        for pid, (_, cpu) in stats.items():
            if pid == self.me:
                continue
            owner = self._owner(pid, parents)
            if owner is None:
                continue
            if initial:
                self.start[pid] = cpu
            if initial or cpu >= self.seen.get(pid, ("", -1.0))[1]:
                self.seen[pid] = (owner, cpu)

    def rebase(self) -> None:
        """Count from now on (the sessions are open: what follows is the changes alone)."""
        self._sample(initial=True)
        self.machine0 = _machine()

    def _run(self) -> None:
        while not self.stop_event.wait(0.5):
            self._sample()

    def finish(self) -> dict[str, float]:
        self.stop_event.set()
        self.thread.join()
        self._sample()
        self.machine = _machine() - self.machine0
        out = {"server": 0.0, "browsers": 0.0}
        for pid, (owner, cpu) in self.seen.items():
            out[owner] += cpu - self.start.get(pid, 0.0)
        return out


# --- sessions --------------------------------------------------------------------------------
def run_session(url: str, changes: int, timeout: float, deadline: list[float], out: list,
                started: threading.Barrier, opening: threading.Semaphore) -> None:
    from playwright.sync_api import sync_playwright
    s = None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                s = Session(browser.new_context(viewport=VIEWPORT).new_page(), url)
                with opening:               # sessions arrive two at a time; then all change at once
                    s.open(timeout_s=180)
                out.append(s)
                started.wait(timeout=600)
                for _ in range(changes):
                    if time.perf_counter() > deadline[0]:
                        s.lost += 1         # not made in time: counted, never silently dropped
                        continue
                    s.change(timeout_s=timeout)
            finally:
                browser.close()
    except Exception as e:                  # a session that never opened: all its changes lost
        print(f"session {url}: {type(e).__name__}: {str(e).splitlines()[0]}", file=sys.stderr)
        started.abort()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--changes", type=int, default=6, help="filter changes per session")
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data")
    ap.add_argument("--timeout", type=float, default=60, help="seconds a change may take to be drawn")
    ap.add_argument("--limit", type=float, default=300, help="seconds for the whole run")
    args = ap.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing (apt-get install chromium; never `playwright install`)")
    work = Path(tempfile.mkdtemp(prefix="h200-load-"))
    db = build_db(args.data_dir, work / "tracker.duckdb")
    server = Server("app.py", db, work / "server.log").start()
    load0 = os.getloadavg()[0]
    try:
        meter = CpuMeter(server.proc.pid)
        limit_at = [float("inf")]          # set when the changes start
        sessions: list[Session] = []
        barrier, opening = threading.Barrier(args.sessions + 1), threading.Semaphore(2)
        threads = [threading.Thread(target=run_session, args=(
            f"{server.url}{PATHS[i % len(PATHS)]}", args.changes, args.timeout, limit_at, sessions,
            barrier, opening)) for i in range(args.sessions)]
        for t in threads:
            t.start()
        try:
            barrier.wait(timeout=600)          # every session open before the changes start
        except threading.BrokenBarrierError:
            pass
        meter.rebase()
        me0 = os.times()
        t_changes = time.perf_counter()
        limit_at[0] = t_changes + args.limit
        for t in threads:
            t.join(timeout=args.limit + args.timeout + 120)
        wall = time.perf_counter() - t_changes
        cpu = meter.finish()
        me1 = os.times()
        cpu["this script"] = (me1.user - me0.user) + (me1.system - me0.system)
        traceback_in_log = "Traceback" in server.log(tail=10_000_000)
    finally:
        server.stop()
    redraws = [x for s in sessions for x in s.redraws]
    lost = sum(s.lost for s in sessions) + (args.sessions - len(sessions)) * args.changes
    errors = sum(len(s.seen_errors) for s in sessions)
    made = len(redraws) + lost
    total = max(meter.machine, sum(cpu.values()))
    other = max(total - sum(cpu.values()), 0.0)
    print(f"\nCPU counted from the moment every session had its page open to the last change.")
    print(f"\n`python benchmarks/load.py --sessions {args.sessions} --changes {args.changes}` on "
          f"{os.cpu_count()} cores, data {args.data_dir.relative_to(ROOT) if args.data_dir.is_relative_to(ROOT) else args.data_dir}, "
          f"load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at the end:\n")
    print("| sessions | changes | drawn | lost | errors | redraw p50 | redraw p95 | redraw max | wall |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    if redraws:
        print(f"| {args.sessions} | {made} | {len(redraws)} | {lost} | {errors} | {statistics.median(redraws):.2f} s "
              f"| {pct(redraws, 0.95):.2f} s | {max(redraws):.2f} s | {wall:.0f} s |")
    print("\n| CPU over the run | seconds | share of all the machine's CPU |\n|---|---:|---:|")
    for name in ("server", "browsers", "this script"):
        print(f"| {name} | {cpu[name]:.1f} | {cpu[name] / total:.0%} |")
    print(f"| rest of the machine | {other:.1f} | {other / total:.0%} |")
    print(f"\nServer CPU per drawn change: {cpu['server'] / max(len(redraws), 1):.2f} s; "
          f"browsers per drawn change: {cpu['browsers'] / max(len(redraws), 1):.2f} s. "
          f"Server log {'HAS a traceback' if traceback_in_log else 'clean'}.")
    return 1 if lost or errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
