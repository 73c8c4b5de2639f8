#!/usr/bin/env bash
# Install everything (packages, Debian's Chromium) and run the whole test suite,
# browser tests included (pytest.ini leaves the e2e marker out of a bare `pytest`; -m here
# puts it back). Extra arguments go to pytest, after ours, so a -m of your own wins.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
.venv/bin/python -m etl check
exec .venv/bin/python -m pytest -m "e2e or not e2e" "$@"
