"""A database built by the real ETL, and a `streamlit run` subprocess on a free 127.0.0.1 port
that is stopped by its own handle."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_db(data_dir: Path, db: Path) -> Path:
    """`python -m etl build` into db, exactly as users build; raises with the ETL's output on
    failure."""
    db.parent.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([PYTHON, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    if run.returncode != 0 or not db.exists():
        raise RuntimeError(f"etl build failed ({run.returncode}) for {data_dir}:\n"
                           f"{run.stdout}\n{run.stderr}")
    return db


@dataclass
class Server:
    """One `streamlit run` subprocess; stop() terminates exactly this process."""

    script: str
    db: Path
    log_path: Path
    cwd: Path = ROOT
    port: int = 0
    proc: subprocess.Popen | None = None
    started_s: float = 0.0  # Popen -> /_stcore/health answered
    extra_env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> "Server":
        self.port = self.port or free_port()
        env = {**os.environ, "H200_DB": str(self.db), "PYTHONUNBUFFERED": "1", **self.extra_env}
        cmd = [PYTHON, "-m", "streamlit", "run", self.script, "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(self.port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with open(self.log_path, "wb") as log:  # a file, not PIPE: an unread pipe blocks the server
            self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200 and r.read().strip() == b"ok":
                        self.started_s = time.perf_counter() - t0
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()  # still our own handle, never a name
                self.proc.wait(timeout=5)

    def log(self, tail: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return "(no log)"
