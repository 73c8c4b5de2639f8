#!/usr/bin/env bash
# Create .venv and install the pinned packages; skipped when the pins did not change.
# Usage: scripts/setup.sh [runtime|dev]   (dev adds pytest, Playwright and Debian's Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-runtime}"
req=requirements.txt
[ "$kind" = dev ] && req=requirements-dev.txt

if [ "$kind" = dev ] && [ ! -x /usr/bin/chromium ]; then
  # Browser tests drive Debian's Chromium; Playwright never downloads a browser here.
  echo "setup: installing Debian's chromium (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.installed-$kind
want=$(cat requirements.txt "$req" constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing $req (pinned, with constraints.txt)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$req" -c constraints.txt
  echo "$want" > "$stamp"
fi
