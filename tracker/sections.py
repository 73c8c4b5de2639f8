"""A page's later sections as tabs that run only when open (issue 10 §3, "draw below-the-fold
charts lazily"): Streamlit draws every chart a rerun sends, in one commit, before the first one
shows, so a filter change on a four-chart page redraws the open tab's charts, not all of them.

The open tab is part of the view: it joins the URL (`?section=`, left out for the first tab) and
so every link that reproduces the view (ui.Page.url). Read from the link on the session's first
run of the page, like the filters; a value that names no section is dropped, with a warning.
An embedded view (tracker/embed.py) has no tabs: every section runs and draws only its view.
"""
from __future__ import annotations

import contextvars

import streamlit as st

from tracker import embed
from tracker.filters import MAX_PARAM_LEN, shown_value
from tracker.i18n import _

PARAM = "section"
_OPEN = "_section_open"    # page name -> the open section's slug
_WIDGET = "w_section"      # the tabs' own state: the open tab's label in this run's language
_FOLLOWED = "_section_followed"  # page name -> the last `follow` token honoured
# An embed's section being drawn (not the first): its link back to the full view opens that tab
_EMBEDDED: contextvars.ContextVar[str | None] = contextvars.ContextVar("h200_embedded_section", default=None)


class _Drawing:
    """An embed's section: entering it records which one is drawing, for the link back."""

    def __init__(self, box, slug: str | None):
        self.box, self.slug = box, slug

    def __enter__(self):
        _EMBEDDED.set(self.slug)
        return self.box.__enter__()

    def __exit__(self, *exc):
        return self.box.__exit__(*exc)


def _store() -> dict[str, str]:
    return st.session_state.setdefault(_OPEN, {})


def from_link(values: list[str], slugs: list[str]) -> tuple[str | None, str | None]:
    """Pure: the URL's section values -> (a valid slug or None, a warning or None)."""
    if not values:
        return None, None
    value = values[0]
    if len(value) <= MAX_PARAM_LEN and value in slugs:
        return value, None
    return None, _("Ignored the `section` value “{value}”: this page has no such section.").format(
        value=shown_value(value[:MAX_PARAM_LEN]))


def tabs(page_name: str, sections: dict[str, str], follow: tuple[str, str] | None = None) -> dict[str, object]:
    """sections: slug -> label (translated). Returns slug -> a container to draw the section in,
    or None for a section that must not run. `follow` = (token, slug) opens that section each
    time the token is new (a drill-down whose reports the section lists: a link or a click that
    drills there shows them), and the user may leave it after."""
    slugs = list(sections)
    if embed.state() is not None:  # an embed: every section runs, chart_block keeps its view
        _EMBEDDED.set(None)
        return {slug: _Drawing(st.container(), None if slug == slugs[0] else slug) for slug in slugs}
    store = _store()
    if page_name not in store:  # first run of this page in the session: the link decides
        chosen, warning = from_link(st.query_params.get_all(PARAM), slugs)
        if warning:
            st.warning(warning, icon=":material/warning:")
        store[page_name] = chosen or slugs[0]
    followed = st.session_state.setdefault(_FOLLOWED, {})
    if follow and follow[1] in sections and followed.get(page_name) != follow[0]:
        store[page_name] = follow[1]
    followed[page_name] = follow[0] if follow else None
    label_to_slug = {label: slug for slug, label in sections.items()}
    st.session_state[_WIDGET] = sections[store[page_name]]  # seeded each run, as the filters are
    containers = st.tabs(list(sections.values()), key=_WIDGET, on_change=_from_widget,
                         args=(page_name, label_to_slug))
    open_slug = store[page_name]
    _write_url(open_slug, slugs)
    return {slug: box if slug == open_slug else None for slug, box in zip(slugs, containers)}


def _from_widget(page_name: str, label_to_slug: dict[str, str]) -> None:
    slug = label_to_slug.get(st.session_state.get(_WIDGET))
    if slug:
        _store()[page_name] = slug


def _write_url(open_slug: str, slugs: list[str]) -> None:
    if open_slug != slugs[0]:
        if st.query_params.get_all(PARAM) != [open_slug]:
            st.query_params[PARAM] = open_slug
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def params(page_name: str) -> dict[str, list[str]]:
    """The open section for a link that reproduces the view (nothing for the first tab); in an
    embed, the section its view is drawn in."""
    if embed.state() is not None:
        slug = _EMBEDDED.get()
        return {PARAM: [slug]} if slug else {}
    slug = _store().get(page_name) if _OPEN in st.session_state else None
    return {PARAM: [slug]} if slug and st.query_params.get_all(PARAM) == [slug] else {}
