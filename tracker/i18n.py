"""The interface's language: gettext catalogs managed with Babel (locale/<lang>/LC_MESSAGES/
messages.po; `pybabel extract/update/compile`, see locale/README.md), one language per script run.

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

from babel import Locale
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


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of `lang` (the source language needs none)."""
    if lang == DEFAULT:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)


def _(message: str) -> str:
    return translations(lang()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(lang()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for extraction; translate it with `_` where it is shown."""
    return message


def locale() -> Locale:
    return Locale.parse(lang())
