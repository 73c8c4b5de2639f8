"""The explorer's worker process: runs user SQL on the sandboxed connection, one query at a time.

Started by service.py as `python -I -B worker.py DB_PATH` with a minimal environment, in an
empty directory of its own. Speaks wire.py frames on stdin/stdout. A DuckDB crash, a runaway
query the engine can't interrupt, or memory blow-up costs only this process; the app kills
and restarts it. Before serving, it locks itself down at the OS level too (no file writes,
bounded address space) and reports its settings read-back so the app can refuse to use it.
"""
from __future__ import annotations

import os
import resource
import signal
import sys
import threading
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script under -I: make `tracker` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.ipc  # noqa: E402,F401  (imported before file limits, like everything else)

from tracker.explorer import guard, sandbox, wire  # noqa: E402

RESULT_BYTES = 64 << 20       # largest result shipped to the app
ADDRESS_SPACE = 3 << 30       # backstop for allocations outside DuckDB's memory_limit
SCHEMA_SQL = """
SELECT c.table_name, t.table_type, c.column_name, c.data_type
FROM information_schema.columns c
JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
WHERE c.table_catalog = 'db'
ORDER BY c.table_name, c.ordinal_position
"""
# A scannable Python object: if replacement scans were ever re-enabled, `FROM EXPLORER_CANARY`
# would find it. The hostile-SQL tests assert it stays invisible.
EXPLORER_CANARY = None


def _lock_down_os() -> None:
    """No regular-file writes of any size, no core dumps, bounded memory."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write then fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _fail(message: str, kind: str = "error") -> tuple[dict, bytes]:
    return {"ok": False, "kind": kind, "error": message}, b""


def run_query(con: duckdb.DuckDBPyConnection, sql: str, max_rows: int,
              budget_s: float, check: bool = True) -> tuple[dict, bytes]:
    """Run one SELECT under the watchdog; at most max_rows rows, flag if there were more."""
    started = time.monotonic()
    refused = guard.check(con, sql) if check else None
    if refused:
        return _fail(refused, "refused")
    # A fresh cursor per query: nothing (open results, USE) carries over to the next one.
    # max_execution_time is the engine's budget; the timer is a second, independent one.
    cur = con.cursor()
    timer = threading.Timer(budget_s, cur.interrupt)
    timer.daemon = True
    try:
        cur.execute("USE db")  # a new cursor starts in `memory`
        timer.start()
        rel = cur.sql(sql)
        if rel is None:
            return _fail(guard.ONLY_SELECT, "refused")
        reader = rel.limit(max_rows + 1).to_arrow_reader(512)  # limit pushed into the plan
        batches, rows, size = [], 0, 0
        for batch in reader:
            batches.append(batch)
            rows, size = rows + batch.num_rows, size + batch.nbytes
            if size > RESULT_BYTES:
                return _fail(f"Result too large (over {RESULT_BYTES >> 20} MB): select fewer "
                             "rows or columns", "too_large")
        table = pa.Table.from_batches(batches, schema=reader.schema).slice(0, max_rows)
    except duckdb.InterruptException:
        return _fail(f"Stopped: the query ran past the {budget_s:g} s time limit", "timeout")
    except Exception as exc:  # noqa: BLE001 - any engine error goes back as a short message
        print(repr(exc), file=sys.stderr, flush=True)  # full text: server log (via the app)
        return _fail(guard.short_error(exc))
    finally:
        timer.cancel()
        cur.close()
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    header = {"ok": True, "rows": table.num_rows, "truncated": rows > max_rows,
              "elapsed_ms": round((time.monotonic() - started) * 1000, 1)}
    return header, sink.getvalue().to_pybytes()


def main(db_path: str) -> int:
    global EXPLORER_CANARY
    proto_in, proto_out = 0, os.dup(1)
    os.dup2(2, 1)  # stray prints from any library go to stderr, never into the protocol
    os.environ.clear()  # nothing for getenv() or an extension to find
    EXPLORER_CANARY = pa.table({"secret": ["canary"]})
    try:
        con = sandbox.open_sandbox(db_path)
        values = sandbox.readback(con)
        found = sandbox.problems(values, db_path)
        _lock_down_os()
    except Exception as exc:  # noqa: BLE001 - report and stop; the app shows "disabled"
        wire.send(proto_out, {"ok": False, "problems": [guard.short_error(exc)], "settings": {}})
        return 2
    wire.send(proto_out, {"ok": not found, "problems": found, "settings": values})
    if found:
        return 2
    budget_s = sandbox.BUDGET_MS / 1000
    while True:
        try:
            request, _ = wire.recv(proto_in)
        except wire.WireClosed:
            return 0
        if request.get("op") == "schema":
            reply = run_query(con, SCHEMA_SQL, 10_000, budget_s, check=False)
        elif request.get("op") == "query":
            reply = run_query(con, str(request.get("sql", "")), int(request["max_rows"]), budget_s)
        else:
            reply = _fail("unknown request")
        wire.send(proto_out, *reply)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
