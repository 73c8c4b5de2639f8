#!/usr/bin/env bash
# Install what is needed, (re)build the database when missing or stale, and run the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
.venv/bin/python -m etl build --if-stale
exec .venv/bin/python -m streamlit run app.py "$@"
