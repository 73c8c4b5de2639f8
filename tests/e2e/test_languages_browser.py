"""French and English in the browser (issue 11): a link with lang=fr opens in French, the
sidebar switch changes the text and the URL, a nav link keeps the language, and a French
browser without `lang` gets French."""
from __future__ import annotations

from e2e_support import chart_text, exceptions, query, sidebar
from testsupport.browser import VIEWPORT, goto, wait_idle

NNBSP = "\u202f"  # Babel's French group separator: "400 000"


def h1(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def switch(page, language: str) -> None:
    sidebar(page).locator('[data-testid="stRadio"]').filter(has_text="Français").get_by_text(
        language, exact=True).click()


def test_french_link_switch_and_nav(app_server, tab):
    page = tab.page
    goto(page, app_server.url + "/pipeline?lang=fr")
    assert h1(page) == "Commandes, autorisations, stocks"
    assert "Filtres" in sidebar(page).inner_text()
    assert f"000{NNBSP}000 puces" in chart_text(page, "pipeline-by-stage")  # "≥ 2 000 000 puces"
    assert query(page) == {"lang": ["fr"]}

    switch(page, "English")  # the page reruns in English; the default leaves the URL
    page.wait_for_function("() => document.querySelector('h1').innerText.includes('Orders vs approvals')")
    wait_idle(page)
    assert "Filters" in sidebar(page).inner_text()
    assert "lang" not in query(page)

    switch(page, "Français")
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'fr'")
    wait_idle(page)
    assert h1(page) == "Commandes, autorisations, stocks"

    sidebar(page).get_by_role("link", name="Chronologie").click()  # a nav link keeps lang
    page.wait_for_url("**/timeline?**")
    page.wait_for_selector("h1", state="attached")
    wait_idle(page)
    assert h1(page) == "Chronologie"
    assert query(page)["lang"] == ["fr"]
    assert not exceptions(page) and tab.page_errors == []


def test_a_french_browser_gets_french(app_server, browser):
    ctx = browser.new_context(locale="fr-FR", viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        goto(page, app_server.url + "/")
        assert h1(page) == "Exportations de puces Nvidia H200 vers la Chine"
        assert "lang" in query(page) and query(page)["lang"] == ["fr"]  # a shared link keeps it
    finally:
        ctx.close()
