"""Test hook: H200_ETL_PAUSE_AT=stage[,stage...] makes a build stop and sleep at those stages.

Tests kill -9 the paused process to prove a crash at that point leaves the live DB intact.
The build prints `H200_ETL_PAUSED <stage> pid=<pid>` to stderr (flushed) before sleeping
H200_ETL_PAUSE_SECONDS (default 60). Stages, in order:
  locked      lock held, nothing read yet
  tmp_open    inputs read, <db>.tmp created and attached, its schema not yet run (the
              curated tables are checked and loaded into it next, one pass each)
  validated   inputs valid, the curated tables in <db>.tmp, the rest not yet loaded
  loaded      all rows + views inserted, transaction not committed
  committed   committed, not checkpointed or closed (a <db>.tmp.wal may exist)
  closed      checkpointed and closed, tmp not yet fsynced
  fsynced     tmp fsynced, not yet renamed onto the live file
  replaced    os.replace done, directory not yet fsynced
"""
from __future__ import annotations

import os
import sys
import time

STAGES = ("locked", "tmp_open", "validated", "loaded", "committed", "closed", "fsynced", "replaced")


def pause_at(stage: str) -> None:
    assert stage in STAGES, stage
    wanted = os.environ.get("H200_ETL_PAUSE_AT")
    if wanted and stage in wanted.split(","):
        print(f"H200_ETL_PAUSED {stage} pid={os.getpid()}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("H200_ETL_PAUSE_SECONDS", "60")))
