"""The interface's language: gettext catalogs managed with Babel (locale/<lang>/LC_MESSAGES/
messages.po, compiled in memory at first use; `pybabel extract/update`, see locale/README.md),
one language per script run.

Every word the interface shows goes through `_` (or `ngettext`); `N_` marks a constant for
extraction where it is defined and `_` translates it where it is shown. Quotes and other source
text never go through the catalog: they stay in the source's language.

The language of a run is set once, at the page start (ui.start), from the URL's `lang`, then
the session's choice, then the browser's language. It is held in a context variable of the
script thread; work done later, outside the run (a download made on click), must capture
`lang()` when the run builds it and call `use(lang)` itself.
"""
from __future__ import annotations

import contextvars
from functools import lru_cache
from pathlib import Path

from io import BytesIO

from babel import Locale
from babel.messages import mofile, pofile
from babel.support import NullTranslations, Translations

LANGS = ("en", "fr")          # the first is the default and the catalogs' source language
DEFAULT = LANGS[0]
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_lang: contextvars.ContextVar[str] = contextvars.ContextVar("h200_lang", default=DEFAULT)


def use(lang: str | None) -> str:
    """Make `lang` this thread's language (anything unknown falls back to the default)."""
    chosen = lang if lang in LANGS else DEFAULT
    _lang.set(chosen)
    return chosen


def lang() -> str:
    return _lang.get()


NAMES = {"en": "English", "fr": "Français"}  # each language in its own words, for the switch


def from_browser(tag: str | None) -> str | None:
    """Our language for a browser's BCP 47 tag ('fr-FR' -> 'fr'), or None."""
    code = (tag or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGS else None


def choose(session: str | None, url: str | None, browser: str | None) -> str:
    """The run's language: the session's choice (the switch, or what its first run chose),
    else the URL's `lang` (a shared link, read on a session's first run), else the browser's
    language (st.context.locale), else the default."""
    for candidate in (session, url, from_browser(browser)):
        if candidate in LANGS:
            return candidate
    return DEFAULT


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    """The catalog of `lang`, compiled in memory from its .po at first use (the source language
    needs none). The .po in git is the one truth: no compiled .mo can go stale, and a fresh
    clone needs no build step. Fuzzy entries are left out, as `pybabel compile` does."""
    if lang == DEFAULT or not po_path(lang).exists():
        return NullTranslations()
    with po_path(lang).open("rb") as fh:
        catalog = pofile.read_po(fh, locale=lang, domain=DOMAIN)
    buf = BytesIO()
    mofile.write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


def _(message: str) -> str:
    return translations(lang()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(lang()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for extraction; translate it with `_` where it is shown."""
    return message


def locale() -> Locale:
    return Locale.parse(lang())
