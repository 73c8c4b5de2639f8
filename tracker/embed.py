"""Embedded views (issue 11 §4a): `?embed=true&view=<name>` plus the usual filters shows one
chart or table of a page, its source line, the build and as-of line and a link back to the full
view, ready for an iframe in a report.

Streamlit reads `embed=true` itself: it drops its header, toolbar and padding, and the script
sees it only as st.context.is_embedded (st.query_params never lists `embed`). Our part is the
rest: ui.start draws no sidebar, title or intro; chart_block, download_table and
paging.paged_table draw only the view asked for (`view`, a chart's or table's name; none: the
page's first) and stop the script right after its caption; pages skip what is not a view
(`page.full`); finish says when the view asked for is not on the page. One state per script
run, set by begin() at the page start.
"""
from __future__ import annotations

import contextvars
import html
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit, parse_qsl

import streamlit as st

from tracker import filters
from tracker.exports import citation
from tracker.i18n import _
from tracker.markdown import escape as md

IFRAME_HEIGHT = 620  # px: a chart, its caption and the link back, without a scrollbar


@dataclass
class Embed:
    view: str | None          # the chart or table asked for; None: the page's first
    build_line: str = ""      # the page's as-of and build line, for the caption
    shown: str | None = None  # the view being drawn

    def take(self, name: str) -> bool:
        """Whether `name` is the view to draw (the first asked-for one; then it is taken)."""
        if self.shown is None and self.view in (None, name):
            self.shown = name
            return True
        return False


_STATE: contextvars.ContextVar[Embed | None] = contextvars.ContextVar("h200_embed", default=None)


def begin() -> Embed | None:
    """The run's embed state, read from the URL before anything is drawn (None: the full page)."""
    try:
        on = bool(st.context.is_embedded)
    except Exception:  # no script run behind this call
        on = False
    state = Embed(filters.view_param()) if on else None
    _STATE.set(state)
    return state


def state() -> Embed | None:
    return _STATE.get()


def skip(name: str) -> bool:
    """True when this run embeds a view and `name` is not it: draw nothing."""
    emb = state()
    return emb is not None and not emb.take(name)


def muted() -> bool:
    """True when this run embeds a view and none is being drawn: page furniture stays away."""
    emb = state()
    return emb is not None and emb.shown is None


def _with_params(url: str, extra: dict[str, list[str]], drop: tuple[str, ...] = ()) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in extra and k not in drop]
    query += [(k, v) for k, values in extra.items() for v in values]
    return urlunsplit(parts._replace(query=urlencode(query)))


def embed_url(page_url: str, view: str) -> str:
    """The view's embed link: the page's own link (filters, language) plus embed and view."""
    return _with_params(page_url, filters.embed_params(view))


def iframe(url: str, title: str, height: int = IFRAME_HEIGHT) -> str:
    """An iframe snippet to paste into a report (text to copy, never drawn as HTML here)."""
    return (f'<iframe src="{html.escape(url)}" title="{html.escape(title)}" width="100%" '
            f'height="{height}" style="border:0" loading="lazy"></iframe>')


def _back(page) -> str:
    """The caption's link back to the full view (same filters, no embed), in a new tab."""
    url = page.url
    text = md(_("{title}: the full view on the H200 export tracker ↗").format(title=page.title))
    return f"[{text}]({url})" if url else text


def close(page, source: str) -> None:
    """Under the embedded view: its sources, the filters, the build line and the link back, in
    one caption; then the script stops (nothing else of the page is drawn)."""
    emb = state()
    described = citation.describe_filters(page.filters, page.options)
    lines = [source] if source else []
    if described:
        lines.append(_("Filters: {filters}").format(filters=md(described)))
    lines += [emb.build_line if emb else "", _back(page)]
    st.caption("  \n".join(line for line in lines if line))
    st.stop()


def missing(page) -> None:
    """The view asked for is not on this page under these filters: say so, link back."""
    emb = state()
    if emb is None or emb.shown is not None:
        return
    st.info(_("This page draws no view named “{view}” under these filters: open the full view "
              "to see what it shows.").format(view=filters.shown_value(emb.view or "")) if emb.view else
            _("This page has no chart or table to embed."), icon=":material/search_off:")
    st.caption("  \n".join(line for line in (emb.build_line, _back(page)) if line))


def share(page, names: list[str]) -> None:
    """In "Cite or take this view": each chart's and table's embed link and an iframe snippet
    (drawn when opened: the code blocks load a highlighter)."""
    if not names:
        return
    box = st.expander(_("Embed a chart or table in a report"), key="embed_open", on_change="rerun",
                      icon=":material/code:")
    if not box.open:
        return
    with box:
        view = st.selectbox(_("Chart or table"), names, key="w_embed_view")
        url = page.url
        if not url:
            st.caption(_("The link is made from this page's address, which is not known here."))
            return
        link = embed_url(url, view)
        st.caption(_("The link shows only this chart or table, its sources, the build and a link "
                     "back to this page with the same filters. In a report, paste the iframe."))
        st.code(link, language=None, wrap_lines=True)
        st.code(iframe(link, _("{title}: {view}").format(title=page.title, view=view)), language="html",
                wrap_lines=True)
