"""The catalogs (issue 11): every message of the interface has a French translation, with the
same placeholders, the template is what the code says today, and numbers and dates follow the
language through Babel."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.words import with_words
from tracker import i18n, labels

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "locale" / "messages.pot"
PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def catalog(lang: str):
    with i18n.po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def template():
    with POT.open("rb") as fh:
        return read_po(fh)


def forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGS if lang != i18n.DEFAULT])
def test_every_message_has_a_translation(lang):
    po = catalog(lang)
    wanted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in template() if m.id}
    have = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in po if m.id}
    missing = sorted(map(str, wanted - set(have)))
    assert not missing, f"not in the {lang} catalog (scripts/i18n.sh update): {missing[:10]}"
    untranslated = [str(k) for k in wanted if have[k].fuzzy or not all(s.strip() for s in forms(have[k]))]
    assert not untranslated, f"fuzzy or empty in {lang}: {untranslated[:10]}"


@pytest.mark.parametrize("lang", [lang for lang in i18n.LANGS if lang != i18n.DEFAULT])
def test_placeholders_and_padding_are_kept(lang):
    bad = []
    for m in catalog(lang):
        if not m.id:
            continue
        want = sorted(PLACEHOLDER.findall(ids(m)[-1]))
        for text in forms(m):
            if sorted(PLACEHOLDER.findall(text)) != want and sorted(PLACEHOLDER.findall(text)) != sorted(
                    PLACEHOLDER.findall(ids(m)[0])):
                bad.append((ids(m)[0], text))
            # a leading or trailing space is part of the message (" · DERIVED", " and ")
            if text[:1].isspace() != ids(m)[0][:1].isspace() or text[-1:].isspace() != ids(m)[0][-1:].isspace():
                bad.append((ids(m)[0], text))
    assert not bad, bad[:5]


def test_the_template_is_what_the_code_says(tmp_path):
    """scripts/i18n.sh extract on today's code gives the committed template's messages: a
    message added to the code without `scripts/i18n.sh extract && update` fails here."""
    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "ngettext:1,2", "--ignore-dirs", ".* _* tests benchmarks etl testsupport scripts docs",
                    "-o", str(out), "."], cwd=ROOT, check=True, capture_output=True,
                   env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    with out.open("rb") as fh:
        fresh = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fh) if m.id}
    committed = {m.id if isinstance(m.id, str) else tuple(m.id) for m in template() if m.id}
    assert fresh == committed, (sorted(map(str, fresh - committed))[:10], sorted(map(str, committed - fresh))[:10])


def test_the_app_reads_the_po_as_it_is(tmp_path, monkeypatch):
    """The catalog is compiled from the .po at first use: no compiled file can go stale."""
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Filters"\nmsgstr "Filtres maison"\n\n#, fuzzy\nmsgid "Chips"\nmsgstr "Copeaux"\n',
                  encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        i18n.use("fr")
        assert i18n._("Filters") == "Filtres maison"
        assert i18n._("Chips") == "Chips"  # fuzzy: left out, as pybabel compile does
    finally:
        i18n.translations.cache_clear()
        i18n.use(i18n.DEFAULT)


def test_language_choice():
    assert i18n.choose(None, None, "fr-FR") == "fr"
    assert i18n.choose(None, None, "de-DE") == "en"
    assert i18n.choose(None, "en", "fr-CA") == "en"      # a link's lang beats the browser
    assert i18n.choose("fr", "en", None) == "fr"         # the session's switch beats the link
    assert i18n.choose(None, "xx", None) == "en"         # unknown: the default
    assert i18n.from_browser(None) is None and i18n.from_browser("FR_be") == "fr"


@pytest.fixture
def french():
    i18n.use("fr")
    yield
    i18n.use(i18n.DEFAULT)


NNBSP = "\u202f"  # Babel's (CLDR's) group separator for French


def test_french_numbers_dates_and_bounds(french):
    row = with_words({"bound": "at_least", "unit": "chips", "value": 400000.0, "value_high": None})
    row["unit_suffix"] = " " + i18n._(row["unit_suffix"].strip())  # as queries translate it
    assert labels.value(row) == f"≥ 400{NNBSP}000 puces"
    assert labels.day(dt.date(2026, 1, 28)) == "28 janv. 2026"
    assert labels.day(dt.date(2026, 1, 1), "month") == "janv. 2026"
    assert labels.day(dt.date(2026, 2, 1), "quarter") == "T1 2026"
    assert labels.day(dt.date(2026, 1, 16), "approx_day") == "16 janv. 2026 environ"
    assert labels.ratio({"bound": "about", "bound_symbol": "≈", "value": 6.0, "value_high": None}) == "≈ 6×"
    assert labels.ratio({"bound": "exact", "bound_symbol": None, "value": 6.68, "value_high": None}) == "6,68×"
    assert labels.value({**row, "bound": "none_reported", "value": None}) == "aucun signalé"
    assert labels.separators() == f",{NNBSP}"


def test_english_keeps_its_formats():
    row = with_words({"bound": "at_least", "unit": "chips", "value": 400000.0, "value_high": None})
    assert labels.value(row) == "≥ 400,000 chips"
    assert labels.day(dt.date(2026, 1, 28)) == "2026-01-28"
    assert labels.separators() == ".,"


def test_the_words_sql_writes_are_translated(use_fixture_db, french):
    """headline_rule(), ratio_note() and "X, as relayed by Y" come out of etl/views.sql in
    English; every value the fixture database gives is translated, none left as it was."""
    from tracker import db, queries
    from tracker.filters import Filters
    version = db.current_version()
    frames = [queries.figure_reports(Filters(), version), queries.normalised(Filters(), "tpp", "n/a", version),
              queries.spec_reports(Filters(), version), queries.figures(Filters(), version)]
    seen = {}
    for frame in frames:
        for col in ("headline_rule", "ratio_note"):
            if col in frame:
                seen |= {v: col for v in frame[col].dropna()}
    english = [v for v in seen if any(w in v for w in ("then", "inputs", "ratio", "approximate"))]
    assert seen and not english, english
    import pandas as pd
    relayed = queries.localised(pd.DataFrame({"publisher": ["FT, as relayed by Tom's Hardware", "Reuters"],
                                               "publishers": ["FT, as relayed by X; SCMP", "SCMP"]}))
    assert list(relayed["publisher"]) == ["FT, repris par Tom's Hardware", "Reuters"]
    assert list(relayed["publishers"]) == ["FT, repris par X; SCMP", "SCMP"]
