#!/usr/bin/env bash
# The catalogs (locale/README.md): `scripts/i18n.sh extract` rewrites locale/messages.pot from
# the code and the vocabulary CSVs; `scripts/i18n.sh update` merges it into every language's
# messages.po; `scripts/i18n.sh init xx` starts a new language; `scripts/i18n.sh compile`
# writes the .mo files (optional: the app compiles the .po in memory, so none can go stale).
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH=.  # babel.cfg's CSV extractor is tracker.i18n_extract
pybabel=.venv/bin/pybabel
case "${1:-}" in
  extract) $pybabel extract -F babel.cfg -c "Translators:" -k ngettext:1,2 --sort-by-file --no-wrap \
             --ignore-dirs=".* _* tests benchmarks etl testsupport scripts docs" \
             --project "H200 export tracker" --copyright-holder "H200 export tracker" \
             -o locale/messages.pot . ;;
  update)  $pybabel update -i locale/messages.pot -d locale --no-wrap --ignore-obsolete --previous ;;
  init)    $pybabel init -i locale/messages.pot -d locale -l "${2:?language code, e.g. de}" --no-wrap ;;
  compile) $pybabel compile -d locale --statistics ;;
  *) echo "usage: scripts/i18n.sh extract|update|init <lang>|compile" >&2; exit 2 ;;
esac
