"""Two app processes serve one published file while `etl build` publishes it five times: every
session keeps changing a filter through the publishes, none sees an error, and each ends on the
newest build (the id every page shows: "build `...`" in its caption). This is docs/deploy.md's
claim on one machine: replicas that share only the published file, each picking up a new build
on its next rerun without a restart."""
from __future__ import annotations

import re
import threading

import os

import pytest

from testsupport.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from testsupport.server import PYTHON, ROOT, Server, build_db
from testsupport.sessions import Session

FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
PUBLISHES = 5


def _publish(db, times: int, out: list, failures: list) -> None:
    import subprocess
    for _ in range(times):
        run = subprocess.run([PYTHON, "-m", "etl", "build", "--data-dir", str(FIXTURE_DATA), "--db", str(db)],
                             cwd=ROOT, capture_output=True, text=True, timeout=180)
        found = re.search(r"build_id=(\S+)", run.stdout)
        if run.returncode != 0 or not found:
            failures.append(f"exit {run.returncode}: {run.stdout}{run.stderr}")
            return
        out.append(found.group(1))


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("H200_LOAD_TESTS"), reason="load test: failed once on a machine loaded by benchmarks; opt in with H200_LOAD_TESTS=1 until it is made robust")
def test_two_servers_serve_five_publishes_without_an_error(tmp_path):
    from playwright.sync_api import sync_playwright
    db = build_db(FIXTURE_DATA, tmp_path / "live" / "tracker.duckdb")
    servers = [Server("app.py", db, tmp_path / f"server{i}.log").start() for i in range(2)]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            ctx = browser.new_context(viewport=VIEWPORT)
            sessions = [Session(ctx.new_page(), f"{s.url}{path}") for s in servers
                        for path in ("/", "/pipeline")]
            for s in sessions:
                s.open()
            first = {s.builds[-1] for s in sessions}
            built, failures = [], []
            publisher = threading.Thread(target=_publish, args=(db, PUBLISHES, built, failures))
            publisher.start()
            while publisher.is_alive():          # every session keeps changing through the publishes
                for s in sessions:
                    s.change()
            publisher.join()
            assert not failures, failures
            assert len(set(built)) == PUBLISHES and not first & set(built)
            for s in sessions:                   # one more change each: the newest build shows
                assert s.change() is not None
            report = {s.url: (s.flips, s.lost, s.builds, s.seen_errors) for s in sessions}
            assert all(s.lost == 0 and not s.seen_errors for s in sessions), report
            assert all(s.builds[-1] == built[-1] for s in sessions), (built, report)
            assert sum(len(s.builds) > 2 for s in sessions) >= 2, report   # builds changed mid-run
            browser.close()
    finally:
        for s in servers:
            s.stop()
    for i, s in enumerate(servers):
        log = s.log(tail=200_000)
        assert "Traceback" not in log, f"server {i}:\n{log[-4000:]}"
