"""Framing between the app and the worker: a JSON header plus an optional byte payload.

No pickle: the worker runs hostile SQL, so nothing it sends may be able to run code in the app.
Results travel as Arrow IPC bytes, which pyarrow parses as data only.
"""
from __future__ import annotations

import json
import os
import select
import struct
import time

_LEN = struct.Struct(">IQ")  # header length, payload length
MAX_HEADER = 1 << 20
MAX_PAYLOAD = 256 << 20      # hard cap; the worker's own cap on results is lower


class WireTimeout(Exception):
    """No complete answer before the deadline."""


class WireClosed(Exception):
    """The other side went away (the worker died)."""


def send(fd: int, header: dict, payload: bytes = b"") -> None:
    head = json.dumps(header).encode("utf-8")
    data = _LEN.pack(len(head), len(payload)) + head + payload
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise WireTimeout()
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise WireClosed()
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv(fd: int, deadline: float | None = None) -> tuple[dict, bytes]:
    """One frame; `deadline` is a time.monotonic() value (None waits for ever)."""
    head_len, payload_len = _LEN.unpack(_read_exact(fd, _LEN.size, deadline))
    if head_len > MAX_HEADER or payload_len > MAX_PAYLOAD:
        raise WireClosed("frame too large")
    header = json.loads(_read_exact(fd, head_len, deadline))
    return header, _read_exact(fd, payload_len, deadline)
