"""The texts every export carries, and the citation to paste into a memo.

The page passes describe_filters / describe_build / sources_line.plain / view_url to the
citation, the image footer and the bundle, so all three say the same thing.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd

from tracker.exports.text import TOOL, flat, sentence
from tracker.filters import Filters, Options, to_params
from tracker.i18n import _


def _grades(grade: str, options: Options | None) -> str:
    """'source grades H/M' when the order is known (the data's grades), else the minimum."""
    order = list(options.grades) if options and grade in options.grades else []
    return (_("source grades {grades}").format(grades="/".join(order[: order.index(grade) + 1])) if order
            else _("minimum source grade {grade}").format(grade=grade))


def describe_filters(f: Filters, options: Options | None = None) -> str:
    """'companies Alibaba; as-of dates 2026-01-01 to 2026-06-30; source grades H/M'."""
    names = {**options.companies, **options.chips} if options else {}
    parts = [f.companies and _("companies {names}").format(names=", ".join(names.get(c, c) for c in f.companies)),
             f.chips and _("chips {names}").format(names=", ".join(names.get(c, c) for c in f.chips)),
             f.start and f.end and _("as-of dates {start} to {end}").format(start=f.start, end=f.end),
             f.grade and _grades(f.grade, options),
             f.known and _("as known on {day} (later publications hidden)").format(day=f.known)]
    return "; ".join(p for p in parts if p) or _("none (all data)")


def describe_build(build_id: str, built_at: object) -> str:
    return _("Data build {build} of {day}").format(build=build_id, day=f"{pd.Timestamp(built_at):%Y-%m-%d}")


def view_url(page_url: str, f: Filters, extra: dict[str, list[str]] | None = None) -> str:
    """The page's URL with the query parameters that reproduce the filters (and `extra`, such
    as the language)."""
    query = urlencode(to_params(f) | (extra or {}), doseq=True)
    return f"{page_url}?{query}" if query else page_url


def citation_lines(title: str, filters_text: str, sources_text: str, build_text: str,
                   url: str | None, *, today: dt.date | None = None) -> list[str]:
    """build_text is the whole phrase ('Data build X of DATE', see describe_build); no period
    after the URL, so a mail client's autolink does not swallow it."""
    today = today or dt.date.today()
    return [sentence(f"{TOOL} — {flat(title)}"),
            sentence(_("Filters: {filters}").format(filters=flat(filters_text) or _("none (all data)"))),
            sentence(_("Sources: {list}").format(list=flat(sources_text) or _("none listed"))),
            sentence(flat(build_text)),
            _("View: {url}").format(url=flat(url)) if url else _("View: link not recorded."),
            _("Accessed {day}.").format(day=f"{today:%Y-%m-%d}")]


def citation_text(title: str, filters_text: str, sources_text: str, build_text: str,
                  url: str | None, *, today: dt.date | None = None) -> str:
    return "\n".join(citation_lines(title, filters_text, sources_text, build_text, url, today=today))
