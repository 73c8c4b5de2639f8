"""Single writer, disk preflight, and the atomic publish (stack-notes §5, way A).

Readers never see a half-built file: the build writes <db>.tmp in the same directory (same
filesystem, so os.replace is atomic), and only a checkpointed, closed, fsynced file is renamed
onto the live path. Open readers keep the old inode; new ones get the new file.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from etl.pause import pause_at


class LockBusy(Exception):
    def __init__(self, path: Path):
        super().__init__(f"another ETL build is running (lock: {path})")
        self.path = path


class BuildError(Exception):
    """A post-load assertion failed or DuckDB refused the data; nothing was published."""


class PublishError(Exception):
    """The environment refused the build (disk space, stray WAL); the live DB is untouched."""


def sibling(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def tmp_paths(db: Path) -> tuple[Path, Path]:
    tmp = sibling(db, ".tmp")
    return tmp, sibling(tmp, ".wal")


@contextmanager
def build_lock(db: Path) -> Iterator[Path]:
    """Non-blocking exclusive flock on <db>.lock; released when the fd closes (or the process
    dies, so a kill -9 never leaves a stale lock). The lock file itself is never deleted:
    deleting it would let two builders lock two different inodes."""
    path = sibling(db, ".lock")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockBusy(path) from None
        yield path
    finally:
        os.close(fd)


def free_bytes(directory: Path) -> int:
    # Tests simulate a full disk with H200_ETL_FAKE_FREE_BYTES.
    fake = os.environ.get("H200_ETL_FAKE_FREE_BYTES")
    return int(fake) if fake else shutil.disk_usage(directory).free


def preflight(db: Path, input_bytes: int) -> None:
    live = db.stat().st_size if db.exists() else 0
    need = 3 * (input_bytes + live)
    free = free_bytes(db.parent)
    if free < need:
        raise PublishError(f"not enough free disk space in {db.parent}: {free} bytes free, "
                           f"need {need} (3 x inputs + live database)")
    if sibling(db, ".wal").exists():
        # A WAL beside the live file belongs to the old file; after the swap it would make every
        # open fail with "WAL does not match database file". Someone opened the live DB read-write.
        raise PublishError(f"stray WAL beside the live database: {sibling(db, '.wal')}")


def remove_stale(db: Path) -> None:
    for p in tmp_paths(db):
        p.unlink(missing_ok=True)


def fsync_path(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def publish(tmp: Path, db: Path) -> None:
    tmp_wal = sibling(tmp, ".wal")
    if tmp_wal.exists():
        raise PublishError(f"{tmp_wal} exists after close: the build was not checkpointed")
    fsync_path(tmp)
    pause_at("fsynced")
    os.replace(tmp, db)
    pause_at("replaced")
    fsync_path(db.parent, directory=True)


def write_manifest(db: Path, build_id: str, sha256: str | None = None) -> Path:
    """<db>.manifest: build id, size and SHA-256 of the published file (the hash taken when the
    build was verified, etl/verify.py, or now)."""
    path, tmp = sibling(db, ".manifest"), sibling(db, ".manifest.tmp")
    body = {"build_id": build_id, "file": db.name, "bytes": db.stat().st_size,
            "sha256": sha256 or sha256_file(db)}
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(body, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_path(db.parent, directory=True)
    return path
