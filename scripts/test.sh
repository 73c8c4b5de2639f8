#!/usr/bin/env bash
# Install everything (packages, Debian's Chromium) and run the whole test suite,
# browser tests included. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
.venv/bin/python -m etl check
exec .venv/bin/python -m pytest "$@"
