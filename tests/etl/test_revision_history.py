"""No silent change in the real data's history: every change between consecutive versions of
data/ (each commit that touched it, from fbb4426, the first with revisions.csv, to the working
tree) is in revisions.csv, and each version's log matches its data."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from etl import revisions
from tests.etl.helpers import ROOT

FIRST = "fbb4426"   # the first commit with data/revisions.csv
# Commits whose log was wrong and corrected by the next commit that touched data/. History is
# not rewritten: the walk steps over such a commit, so the changes it made are still checked,
# against the corrected log, from the version before it to the version after it.
CORRECTED = {
    "2f6acc2": "revisions r029-r074 (the via -> relays migration) gave the via text as old_value; "
               "c05215c corrected those rows to the empty relays the previous version held",
}


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


def versions() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the history of data/ cannot be read")
    if _git("rev-parse", "--is-inside-work-tree").returncode != 0:
        pytest.skip(f"{ROOT} is not a git work tree: the history of data/ cannot be read")
    first = _git("rev-parse", "--verify", "--quiet", f"{FIRST}^{{commit}}")
    if first.returncode != 0:
        pytest.skip(f"commit {FIRST} is not in this clone (shallow?): the history of data/ cannot be read")
    later = _git("rev-list", "--reverse", "--ancestry-path", f"{FIRST}..HEAD", "--", "data")
    assert later.returncode == 0, later.stderr
    commits = [first.stdout.strip(), *later.stdout.split()]
    for short in CORRECTED:
        assert any(c.startswith(short) for c in commits), f"{short} is not in the history of data/"
    return [c for c in commits if not any(c.startswith(short) for short in CORRECTED)]


def test_every_change_in_the_history_of_data_is_logged():
    commits = versions()
    snaps = [revisions.from_git(ROOT, c) for c in commits] + [revisions.from_dir(ROOT / "data")]
    found = [f"{snaps[0].where}: {p.format()}" for p in revisions.problems(snaps[0])]
    for before, after in zip(snaps, snaps[1:]):
        found += [f"{before.where} -> {after.where}: {p.format()}"
                  for p in revisions.problems(after, before)]
    assert not found, f"{len(found)} unlogged or mismatched changes:\n" + "\n".join(found[:40])
