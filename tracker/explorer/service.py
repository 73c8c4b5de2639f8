"""The explorer API the UI calls: ExplorerService(db_path).run(sql) -> QueryResult.

Queries run in worker processes (worker.py), never in the app. A small pool lets a second user
(or session) get answers while one worker is busy with a runaway query. A worker that answers
late is killed and replaced; one that fails its startup self-check disables the service.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.ipc  # noqa: F401

from tracker.explorer import sandbox, wire

log = logging.getLogger(__name__)
MAX_ROWS = 10_000
KILL_GRACE_S = 2.0      # after the budget, before the worker is killed
STARTUP_S = 15.0        # python + duckdb + pyarrow imports; ~0.5 s measured
MAX_USES = 500          # recycle a worker now and then, so nothing accumulates in it
WORKER = Path(__file__).with_name("worker.py")


@dataclass
class QueryResult:
    frame: pd.DataFrame | None = None
    truncated: bool = False
    error: str | None = None
    kind: str = "ok"    # ok, refused, timeout, killed, crashed, too_large, busy, disabled, error
    elapsed_s: float = 0.0


class ExplorerError(Exception):
    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


class _Worker:
    def __init__(self, db_path: str, workdir: str):
        env = {"PATH": os.defpath, "LANG": "C.UTF-8", "HOME": workdir}  # no app secrets
        self.proc = subprocess.Popen(
            [sys.executable, "-I", "-B", str(WORKER), db_path], cwd=workdir, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, close_fds=True)
        # stderr is a pipe we drain into logging: the worker may not write files (RLIMIT_FSIZE=0),
        # and the server's own stderr is often a log file.
        threading.Thread(target=_drain, args=(self.proc.stderr,), daemon=True).start()
        self.send_fd, self.recv_fd = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        self.uses = 0

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                pipe.close()
            except OSError:
                pass


def _drain(pipe) -> None:
    try:
        for line in pipe:
            log.warning("explorer worker: %s", line.decode("utf-8", "replace").rstrip()[:2000])
    except (OSError, ValueError):
        pass


def _shutdown(workers: set, workdir: str) -> None:
    for worker in list(workers):
        worker.kill()
    workers.clear()
    os.chmod(workdir, 0o700)
    shutil.rmtree(workdir, ignore_errors=True)


def _to_frame(payload: bytes) -> pd.DataFrame:
    table = pa.ipc.open_stream(payload).read_all()
    names, seen = [], {}
    for name in table.column_names:  # duplicate names (SELECT 1 a, 2 a) break the table widget
        seen[name] = seen.get(name, -1) + 1
        names.append(f"{name}_{seen[name]}" if seen[name] else name)
    table = table.rename_columns(names)
    for i, field in enumerate(table.schema):  # HUGEINT/DECIMAL sums: plain floats for charts
        if pa.types.is_decimal(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.float64()))
    return table.to_pandas(date_as_object=False)


class ExplorerService:
    """Runs analysts' SQL against one database file, sandboxed. Thread-safe."""

    def __init__(self, db_path: str | os.PathLike, *, pool_size: int = 2, max_rows: int = MAX_ROWS,
                 kill_grace_s: float = KILL_GRACE_S, expected: dict[str, str] | None = None):
        self.db_path = str(Path(db_path).resolve())
        self.budget_s = sandbox.BUDGET_MS / 1000
        self.kill_grace_s, self.max_rows, self.pool_size = kill_grace_s, max_rows, pool_size
        self.expected = expected
        self.disabled_reason: str | None = None
        self.workdir = tempfile.mkdtemp(prefix="tracker-explorer-")  # the workers' empty cwd
        os.chmod(self.workdir, 0o500)
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._finalizer = weakref.finalize(self, _shutdown, self._workers, self.workdir)
        try:  # start one worker now: its self-check decides whether we serve at all
            self._release(self._acquire(time.monotonic() + STARTUP_S), healthy=True)
        except ExplorerError:
            pass

    # -- worker pool ---------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        try:
            worker = _Worker(self.db_path, self.workdir)
        except OSError as exc:  # e.g. closed meanwhile: the directory is gone
            raise ExplorerError(f"The explorer worker did not start: {exc}", "crashed") from None
        try:
            hello, _ = wire.recv(worker.recv_fd, time.monotonic() + STARTUP_S)
        except (wire.WireTimeout, wire.WireClosed, ValueError):
            worker.kill()
            raise ExplorerError("The explorer worker did not start", "crashed") from None
        found = list(hello.get("problems") or [])
        # Check again here, against this process's expectations: the app decides, not the worker.
        found += [p for p in sandbox.problems(hello.get("settings") or {}, self.db_path,
                                              self.expected) if p not in found]
        if found or not hello.get("ok"):
            worker.kill()
            self.disabled_reason = "explorer disabled: " + "; ".join(found or ["self-check failed"])
            raise ExplorerError(self.disabled_reason, "disabled")
        return worker

    def _acquire(self, deadline: float) -> _Worker:
        with self._cond:
            while True:
                if not self._finalizer.alive:
                    raise ExplorerError("The explorer was shut down", "closed")
                if self.disabled_reason:
                    raise ExplorerError(self.disabled_reason, "disabled")
                if self._idle:
                    worker = self._idle.pop()
                    if worker.proc.poll() is not None:  # died while idle: drop it, look again
                        self._workers.discard(worker)
                        worker.kill()
                        continue
                    if not self._idle and len(self._workers) < self.pool_size:
                        # keep a spare starting, so a second session isn't stuck behind this one
                        threading.Thread(target=self._warm, daemon=True).start()
                    return worker
                if len(self._workers) < self.pool_size:
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ExplorerError("The explorer is busy; try again in a few seconds", "busy")
                self._cond.wait(left)
            placeholder = _Reserved()
            self._workers.add(placeholder)  # reserve the slot while we spawn outside the lock
        try:
            worker = self._spawn()
        finally:
            with self._cond:
                self._workers.discard(placeholder)
                self._cond.notify()
        with self._cond:
            self._workers.add(worker)
        return worker

    def _release(self, worker: _Worker, healthy: bool) -> None:
        worker.uses += 1
        keep = healthy and worker.uses < MAX_USES and self._finalizer.alive
        if not keep:
            worker.kill()
        with self._cond:
            if keep:
                self._idle.append(worker)
            else:
                self._workers.discard(worker)
            self._cond.notify()
        if not keep and self._finalizer.alive and not self.disabled_reason:
            threading.Thread(target=self._warm, daemon=True).start()

    def _warm(self) -> None:
        """Start a replacement worker now, so the next query doesn't pay the ~0.5-1 s start."""
        try:
            self._release(self._acquire(time.monotonic()), healthy=True)
        except ExplorerError:
            pass

    def _call(self, request: dict) -> tuple[dict, bytes]:
        worker = self._acquire(time.monotonic() + self.budget_s + self.kill_grace_s + 1)
        healthy = False
        try:
            wire.send(worker.send_fd, request)
            reply = wire.recv(worker.recv_fd, time.monotonic() + self.budget_s + self.kill_grace_s)
            healthy = True
            return reply
        except wire.WireTimeout:
            raise ExplorerError(f"Stopped: the query ran past the {self.budget_s:g} s time limit "
                                "(its worker was restarted)", "killed") from None
        except (wire.WireClosed, OSError, ValueError):
            raise ExplorerError("The query crashed the explorer worker (it was restarted)",
                                "crashed") from None
        finally:
            self._release(worker, healthy)

    # -- API -----------------------------------------------------------------------------
    def _request(self, request: dict) -> QueryResult:
        started = time.monotonic()
        try:
            header, payload = self._call(request)
            if not header.get("ok"):
                raise ExplorerError(str(header.get("error")), str(header.get("kind", "error")))
            frame = _to_frame(payload)
        except ExplorerError as exc:
            return QueryResult(error=str(exc), kind=exc.kind, elapsed_s=time.monotonic() - started)
        except Exception as exc:  # noqa: BLE001 - e.g. a type pandas cannot hold
            return QueryResult(error=f"Cannot display the result: {type(exc).__name__}",
                               kind="error", elapsed_s=time.monotonic() - started)
        return QueryResult(frame=frame, truncated=bool(header.get("truncated")),
                           elapsed_s=time.monotonic() - started)

    def prestart(self) -> None:
        """Start workers until the pool is full, so the first users wait for none."""
        held = []
        try:
            while len(held) < self.pool_size:
                held.append(self._acquire(time.monotonic()))
        except ExplorerError:
            pass
        for worker in held:
            self._release(worker, healthy=True)

    def run(self, sql: str) -> QueryResult:
        """Run one SELECT; at most max_rows rows (truncated=True when there were more)."""
        return self._request({"op": "query", "sql": sql, "max_rows": self.max_rows})

    def schema(self) -> QueryResult:
        """Tables and views with their columns: table_name, table_type, column_name, data_type."""
        return self._request({"op": "schema"})

    def close(self) -> None:
        """Kill the workers and remove their directory. Also runs when the service is collected."""
        with self._cond:
            idle, self._idle[:] = list(self._idle), []
        self._finalizer()
        del idle


class _Reserved:
    """Stands in the pool for a worker that is still starting."""

    def kill(self) -> None:
        pass
