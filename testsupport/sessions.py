"""Browser sessions that change a filter and watch the redraw: what the publish-under-load test
(tests/e2e/test_publish_under_load.py) and the load script (benchmarks/load.py) do to a page.

A change is the minimum-grade radio flipped between its first and its last option (a filter
every page has, in the URL as `grade`); its redraw is observed when the browser's URL carries
the new value (the script writes it), a script run that started after the click has finished and
the page is drawn (testsupport.browser.READY_JS).

"Finished" is counted from the server's ScriptFinished messages on the page's websocket, not from
the DOM: the app's data-test-script-state attribute is React state, and a renderer starved of CPU
can apply a whole run's RUNNING and NOT_RUNNING in one commit, so the attribute never changes and
a DOM observer sees no run at all (with CPU throttled 20x in Chromium, 9 of 10 drawn changes were
counted lost that way; once in CI under load).
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Optional

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from testsupport.browser import IDLE, READY_JS

BUILD = re.compile(r"\(build (\S+?)\)")
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
RADIO = '[data-testid="stSidebar"] .st-key-w_grade [data-testid="stRadioOption"]'  # the grade filter, not the language switch
# A ScriptFinished ForwardMsg is a few hundred bytes: larger frames (deltas, charts) are not decoded.
SMALL_FRAME = 4096


def build_shown(page) -> Optional[str]:
    """The build id in the page's caption ('… database built … (build `id`)')."""
    for text in page.locator('[data-testid="stCaptionContainer"]').all_inner_texts():
        found = BUILD.search(text)
        if found:
            return found.group(1)
    return None


def errors(page) -> list[str]:
    """Tracebacks and error alerts on the page (none on a page that works)."""
    return page.locator(ERRORS).all_inner_texts()


@dataclass
class Session:
    """One browser page on one server, flipping the grade filter."""
    page: object
    url: str
    flips: int = 0
    redraws: list[float] = field(default_factory=list)   # seconds from click to drawn
    lost: int = 0                                         # changes never drawn within the limit
    seen_errors: list[str] = field(default_factory=list)
    builds: list[str] = field(default_factory=list)
    finished: int = 0                                     # runs the server finished, from its messages

    def open(self, timeout_s: float = 60) -> None:
        self.page.on("websocket", self._watch)
        self.page.goto(self.url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
        self._drawn(None, None, timeout_s)
        self._note()

    def change(self, timeout_s: float = 60) -> Optional[float]:
        """Flip the grade filter; the seconds until the page is redrawn with it, or None
        (counted as lost) when it is not drawn within `timeout_s`."""
        options = self.page.locator(RADIO)
        target = options.nth(0 if self.flips % 2 == 0 else options.count() - 1)
        want = None if self.flips % 2 else "H"        # the lowest grade is the default: not in the URL
        self.flips += 1
        runs = self.finished
        t0 = time.perf_counter()
        try:
            target.click(timeout=timeout_s * 1000)
            self._drawn(want, runs, timeout_s)
        except Exception:   # Playwright's TimeoutError, or the page navigating away
            self.lost += 1
            return None
        took = time.perf_counter() - t0
        self.redraws.append(took)
        self._note()
        return took

    def _drawn(self, grade: Optional[str], runs: Optional[int], timeout_s: float) -> None:
        """The URL has `grade`, a run after the `runs`-th has finished, the page is drawn."""
        deadline = time.perf_counter() + timeout_s
        left = lambda: max(deadline - time.perf_counter(), 0.1) * 1000  # noqa: E731
        self.page.wait_for_function("g => new URLSearchParams(location.search).get('grade') === g",
                                    arg=grade, timeout=left(), polling=20)
        while runs is not None and self.finished <= runs:   # frames arrive while Playwright waits
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no script run finished after the change ({self.finished} in all)")
            self.page.wait_for_timeout(20)
        self.page.wait_for_selector(IDLE, state="attached", timeout=left())
        self.page.wait_for_function(READY_JS, timeout=left())

    def _watch(self, ws) -> None:
        if ws.url.endswith("/_stcore/stream"):
            ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes) and len(payload) < SMALL_FRAME:
            msg = ForwardMsg.FromString(payload)
            # a run cut short by the next change (FINISHED_EARLY_FOR_RERUN) is not counted: the
            # rerun that follows it is
            if (msg.WhichOneof("type") == "script_finished"
                    and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY):
                self.finished += 1

    def _note(self) -> None:
        self.seen_errors += errors(self.page)
        build = build_shown(self.page)
        if build and (not self.builds or self.builds[-1] != build):
            self.builds.append(build)
