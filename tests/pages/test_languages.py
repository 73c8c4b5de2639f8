"""Every page in French and English (issue 11): `?lang=fr` gives French titles, filters and
text with no English interface words left; the language rides on every nav link and survives a
page switch; without `lang` the browser's language decides."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import PAGES, ROOT, charts, run
from tracker import i18n

TITLES = {"overview": "Exportations de puces Nvidia H200 vers la Chine",
          "pipeline": "Commandes, autorisations, stocks", "chips": "Performances des puces",
          "timeline": "Chronologie", "sources": "Sources et méthode", "data": "Données",
          "compute": "Équivalence en puissance de calcul et scénarios", "explore": "Explorer en SQL",
          "whats_new": "Nouveautés"}
# English interface words that must not be left on a French page (data and quotes may be English).
ENGLISH = ["Filters", "Companies", "All companies", "Minimum source grade", "Reset filters",
           "Latest as-of date", "database built", "Download CSV", "Data behind this chart",
           "Cite or take this view", "The citation, ready to copy", "Sources and method:",
           "What is not known yet", "matches the filters", "Latest report per stage", "headline",
           "as of ", "reports", "Sources: ", "not yet in the data", "H200 EXPORT TRACKER"]


def texts(at: AppTest) -> list[str]:
    """What the page says: titles, text, captions, alerts, widget labels and help, links, tabs."""
    out = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info",
                                "warning", "error", "success") for e in getattr(at, kind)]
    for kind in ("multiselect", "radio", "selectbox", "date_input", "button", "toggle",
                 "number_input", "text_area", "slider"):
        out += [w.label for w in getattr(at, kind)] + [w.help or "" for w in getattr(at, kind)]
    out += [p.proto.label for p in at.get("page_link")] + [e.proto.label for e in at.get("expander")]
    out += [t.label for t in at.tabs] + [b.proto.label for b in at.get("download_button")]
    return out


def french_run(page: str) -> AppTest:
    return run(page, {"lang": "fr"})


@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_french(page):
    at = french_run(page)
    assert at.title[0].value == TITLES[page]
    assert at.multiselect(key="w_company").label == "Entreprises"
    assert at.radio(key="w_grade").label == "Note minimale des sources"
    assert at.radio(key="w_lang").value == "fr"
    said = "\n".join(texts(at))
    left = [w for w in ENGLISH if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", said)]  # not table names
    assert not left, left
    for spec in charts(at):  # chart titles and axes
        title = spec["layout"]["title"]["text"]
        assert not any(w in title for w in ("Reported", "Events by", "pipeline:", "relative to", "DERIVED")), title
        assert spec["layout"].get("separators") == ",\u202f"


@pytest.mark.parametrize("page", ["overview", "sources"])
def test_english_stays_english(page):
    at = run(page, {"lang": "en"})
    said = "\n".join(texts(at))
    assert "Filters" in said and "Filtres" not in said
    assert at.radio(key="w_lang").value == "en"


def test_nav_links_carry_the_language_and_a_switch_keeps_it():
    at = french_run("overview")
    links = [p.proto for p in at.get("page_link") if p.proto.page != ""]
    assert links and all(parse_qs(p.query_string).get("lang") == ["fr"] for p in links if p.query_string != "")
    nav = [p for p in links if p.label == "Chronologie"]
    assert nav and parse_qs(nav[0].query_string)["lang"] == ["fr"]
    at.switch_page(PAGES["timeline"]).run()  # same session: the language stays
    assert not at.exception
    assert at.title[0].value == "Chronologie"


def test_french_numbers_and_dates_on_the_page():
    at = french_run("overview")
    said = "\n".join(texts(at))
    assert "\u202f000 puces" in said           # "≥ 400 000 puces", Babel's separator
    assert any(m in said for m in ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                                   "sept.", "oct.", "nov.", "déc."))


@pytest.mark.parametrize("locale, lang, title", [("fr-FR", "fr", TITLES["overview"]),
                                                 ("en-GB", "en", "Nvidia H200 exports to China"),
                                                 ("de-DE", "en", "Nvidia H200 exports to China")])
def test_the_browser_language_is_the_default(locale, lang, title):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.context["locale"] = locale
    at.run()
    assert not at.exception
    assert at.title[0].value == title
    assert at.radio(key="w_lang").value == lang


def test_the_switch_changes_the_language():
    at = run("overview")
    at.radio(key="w_lang").set_value("fr").run()
    assert at.title[0].value == TITLES["overview"]
    assert at.query_params["lang"] in ("fr", ["fr"])
    at.radio(key="w_lang").set_value("en").run()
    assert at.title[0].value == "Nvidia H200 exports to China"
    assert "lang" not in at.query_params  # the default (English, English browser) stays out of the URL


def teardown_module():
    i18n.use(i18n.DEFAULT)
