"""Pieces every page shares: the page start (filters, build line), the chart block (chart,
source line, data table, CSV download) and the view's citation and bundle.

A page composes its tables itself: chart_block and download_table return {name: rows shown},
the page collects them (`tables |= ui.chart_block(...)`) and hands them to finish(page, tables).
Data strings never reach HTML; where they reach markdown (captions, warnings) they go through
md (tracker.markdown.escape), so a title like "[x](javascript:…)" stays text.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from urllib.parse import urlsplit

from tracker import changes, db, embed, filters, gaps, history, i18n, labels, queries, sections
from tracker.exports import bundle, citation, images, sources_line, streamed
from tracker.exports.streamed import Streamed
from tracker.exports.csv_safety import safe_filename, to_csv_bytes
from tracker.i18n import N_, _, ngettext
from tracker.markdown import escape as md  # noqa: F401  (pages and views call ui.md)

# Classic multipage mode: app.py is the Overview and each file in pages/ a whole script, so a
# deep link runs exactly what a click runs (st.navigation + a pages/ folder falls back to
# running a page alone on a fresh server's first deep link; stack-notes §2). The built-in nav
# is hidden (client.showSidebarNavigation) for this one with readable labels.
NAV = [("app.py", N_("Overview"), ":material/dashboard:"),
       ("pages/1_pipeline.py", N_("Orders vs approvals vs stock"), ":material/stacked_bar_chart:"),
       ("pages/2_chips.py", N_("Chip performance"), ":material/memory:"),
       ("pages/3_timeline.py", N_("Timeline"), ":material/timeline:"),
       ("pages/4_sources.py", N_("Sources and method"), ":material/menu_book:"),
       ("pages/5_data.py", N_("Data"), ":material/table_view:"),
       ("pages/6_compute.py", N_("Compute and scenarios"), ":material/calculate:"),
       ("pages/7_explore.py", N_("Explore SQL"), ":material/terminal:"),
       ("pages/8_whats_new.py", N_("What's new"), ":material/history:")]
FEED_LINK = "app/static/feed.xml"  # static/feed.xml, written by etl build (relative: works under any base path)
SOURCES_PAGE = "pages/4_sources.py"
ICON = Path(__file__).resolve().parent.parent / "assets" / "favicon.png"  # local: no CDN fetch
SOURCE_COLUMNS = ["publisher", "grade", "url", "quote", "source_id"]
# `revised` ("revised 2026-12-01, was ≥ 75,000 chips") sits beside the value it qualifies.
FIGURE_COLUMNS = ["figure_id", "chip", "stage", "metric", "reported", "revised", "value", "value_high",
                  "unit", "bound", "as_of_date", "as_of_precision", "published_date", "companies", "shared",
                  "notes"]
EVENT_COLUMNS = ["event_id", "date", "date_precision", "category", "title", "revised", "description",
                 "companies"]
SPEC_TABLE_COLUMNS = ["spec_id", "chip", "metric", "value", "value_high", "unit", "bound", "revised",
                      "sparsity", "notes"]
RATIO_COLUMNS = ["ratio_id", "chip", "reference_chip", "basis", "reported", "revised", "value", "value_high",
                 "bound", "notes"]
TERM_COLUMNS = ["term_id", "rule", "metric", "value", "unit", "bound", "revised", "effective_date", "notes"]
DATE_COLUMNS = ("as_of_date", "published_date", "date", "effective_date")
Tables = dict[str, "pd.DataFrame | Streamed"]  # table name -> the rows it showed, in page order


@dataclass(frozen=True)
class Page:
    title: str  # in the page's language (citation, bundle); file names use `name`
    filters: filters.Filters
    version: db.Version
    options: filters.Options
    info: dict
    name: str = ""  # the English title: file names stay the same in every language

    @property
    def build_text(self) -> str:
        return citation.describe_build(self.info["build_id"], self.info["built_at"])

    @property
    def full(self) -> bool:
        """False when this run embeds one chart or table (tracker/embed.py): what is not a view
        stays away."""
        return embed.state() is None

    @property
    def url(self) -> str | None:
        """The link that reproduces this view: this page's address plus the filters, the
        language and the open section (tracker/sections.py)."""
        try:
            parts = urlsplit(st.context.url or "")
        except Exception:  # no browser behind this run (AppTest)
            return None
        if not parts.scheme.startswith("http"):
            return None
        return citation.view_url(f"{parts.scheme}://{parts.netloc}{parts.path}", self.filters,
                                 filters.lang_params() | sections.params(self.name))


def start(name: str, intro: str) -> Page:
    """Language, title, navigation, shared filters (sidebar + URL) and the data-as-of line.
    `name` and `intro` are English, marked with N_ by the page and translated here."""
    filters.language()  # first: the page title below is already in the run's language
    title = _(name)
    st.set_page_config(page_title=_("{title} · H200 export tracker").format(title=title),
                       page_icon=str(ICON), layout="wide")
    emb = embed.begin()  # ?embed=true: one chart or table, no sidebar, title or intro
    nav = st.sidebar.container() if emb is None else None
    if emb is None:
        st.title(title)
    try:
        version = db.ready_version()  # missing, damaged or another schema: say so, name the fix
    except db.DatabaseUnusable as exc:
        st.error(f"{exc}", icon=":material/database_off:")
        st.stop()
    options = queries.options(version)
    f = filters.sidebar(options) if emb is None else filters.from_url(options)
    if nav is not None:
        _nav(nav, f)
    info = queries.build_info(version)
    built = labels.moment(info["built_at"])
    build = str(info["build_id"]).replace("`", "")
    line = _("Latest as-of date in the data: **{day}** · database built {built} (build `{build}`)").format(
        day=labels.day(info["latest_as_of"]), built=built, build=build)
    if f.known:
        line = _("{line} · **as known on {day}**: later publications hidden").format(
            line=line, day=labels.day(f.known))
    if emb is not None:  # the embedded view's caption carries the build line
        emb.build_line = line
        return Page(title, f, version, options, info, name)
    st.caption(f"{_(intro)}  \n{line}")
    gaps.stale_warning(version)
    return Page(title, f, version, options, info, name)


def _nav(nav, f: filters.Filters) -> None:
    with nav:  # links carry the filters and the language, so "open in new tab" keeps the view
        filters.language_switch()
        st.caption(_("H200 EXPORT TRACKER"))
        for path, label, icon in NAV:
            st.page_link(path, label=_(label), icon=icon, query_params=filters.to_params(f) | filters.lang_params())
        st.caption(_(":material/rss_feed: [Changes as an Atom feed]({link})").format(link=FEED_LINK))


def heading(text: str) -> None:
    """A section heading of the page (none in an embedded view)."""
    if embed.state() is None:
        st.subheader(text)


def note(text: str) -> None:
    """A caption of the page, not of a view (none in an embedded view)."""
    if embed.state() is None:
        st.caption(text)


def no_match(what: str) -> None:
    if embed.state() is not None:  # an embedded view says so itself (embed.missing)
        return
    st.info(_("No {what} matches the filters. Widen the date range, lower the minimum grade, "
              "or clear the company and chip filters.").format(what=what), icon=":material/search_off:")


def source_line(data: pd.DataFrame, date_col: str | None = None, line: str | None = None) -> None:
    """'Sources: Reuters via …, 2026-01-28 (H); …' under a chart, linking to the Sources page
    (`line`: that line made already)."""
    line = sources_line.markdown(data, date_col) if line is None else line
    if not line:
        return
    st.caption(line)
    st.page_link(SOURCES_PAGE, label=_("Sources and method: grades, links, curation"),
                 icon=":material/menu_book:")


@dataclass(frozen=True)
class _Block:
    fig: go.Figure
    rows: pd.DataFrame  # what its table and CSV show
    source: str         # its source line (markdown)
    revised: pd.DataFrame | None  # the revised rows it draws (id, revised), for their history links
    alt: str | None = None        # its text alternative (describe)


@st.cache_resource(max_entries=256, show_spinner=False)
def _block(name: str, filters_: filters.Filters, version: db.Version, key: tuple, columns: tuple,
           date_col: str | None, lang: str, _fig, _data: pd.DataFrame, _alt=None) -> _Block:
    """A chart's figure, rows, source line and text alternative, made once per (chart,
    filters, build, key, language) and shared by every session: the builders are pure and
    nothing mutates what they return (static_image copies the figure, table and the CSV
    writer copy the rows)."""
    return _Block(_fig() if callable(_fig) else _fig, chart_rows(_data, list(columns)),
                  sources_line.markdown(_data, date_col), _revised_rows(_data), _text(_alt))


def _text(alt: str | Callable[[], str] | None) -> str | None:
    return alt() if callable(alt) else alt


def _revised_rows(data: pd.DataFrame) -> pd.DataFrame | None:
    """The rows history.links would list, narrowed to their id and note (None: none revised)."""
    ids = [c for c in changes.ID_COLUMNS if c in data][:1]
    if "revised" not in data or not ids:
        return None
    revised = data[data["revised"].fillna("").astype(str) != ""]
    return revised[ids + ["revised"]] if not revised.empty else None


def chart_block(fig: go.Figure | Callable[[], go.Figure], data: pd.DataFrame, name: str, page: Page,
                columns: list[str], date_col: str | None = "as_of_date", *, note: str | None = None,
                underlying: Streamed | None = None, key: tuple = (),
                alt: str | Callable[[], str] | None = None,
                select: tuple[str, Callable[[], None]] | None = None) -> Tables:
    """A chart with its source line, its data table and a CSV of exactly those rows; returns
    {name: those rows} for the view's bundle. `fig` may be a builder: its figure is then cached
    per (name, filters, build, key), where `key` names any other state the chart depends on.
    An aggregated chart (issue 10) says what a mark stands for (`note`) and offers the rows it
    aggregates (`underlying`, written on click; not in the bundle: the view shows the
    aggregates). The data table is drawn only when its expander is opened, the CSV and images
    are made only when clicked: a rerun sends the chart and a few lines. `alt` is the chart's
    text alternative (tracker.alt_text; a string or a builder), shown under it (describe).
    `select` = (chart key, callback) makes a click on a mark a drill-down (tracker/drill.py)."""
    if embed.skip(name):  # an embedded view of another chart: build and draw nothing
        return {}
    if callable(fig):  # cached: a rerun with filters seen before builds nothing
        block = _block(name, page.filters, page.version, key, tuple(columns), date_col, i18n.lang(), fig, data,
                       alt)
    else:
        block = _Block(fig, chart_rows(data, columns), sources_line.markdown(data, date_col),
                       _revised_rows(data), _text(alt))
    fig, rows = block.fig, block.rows
    clicks = dict(key=select[0], on_select=select[1], selection_mode="points") if select else {}
    st.plotly_chart(fig, **({"key": f"chart_{name}"} | clicks), config={"displaylogo": False})
    describe(block.alt, name)
    if note:
        st.caption(note)
    if not page.full:  # embedded: its caption, then the run stops
        embed.close(page, block.source)
    source_line(data, date_col, line=block.source)
    # one flex row, not st.columns: four column boxes fewer per chart, each costs the redraw
    row = st.container(horizontal=True, gap="small")
    box = row.expander(ngettext("Data behind this chart ({n} row)", "Data behind this chart ({n} rows)",
                                     len(rows)).format(n=labels.integer(len(rows))), key=f"data_{name}",
                            on_change="rerun")
    if box.open:  # lazy: the rows reach the browser only when asked for
        with box:
            table(rows)
    if block.revised is not None:  # every revised row the chart draws, whatever the table shows
        history.links(block.revised, folded=True)
    download(rows, name, page, row)
    if underlying is not None:
        row.download_button(
            _("Rows ({n})").format(n=labels.integer(underlying.rows)), data=underlying.csv_bytes, on_click="ignore",
            file_name=safe_filename(name, "rows", *page.filters.describe()), mime="text/csv",
            key=f"rows_{name}", icon=":material/download:",
            help=_("The {n} reports the marks stand for, one row each with its source, written "
                   "when you click (spreadsheet-safe).").format(n=labels.integer(underlying.rows)))
    lang = i18n.lang()  # the footer is drawn on click, outside this run: keep its language

    def footer() -> dict:  # on click only
        i18n.use(lang)
        return dict(filters_text=citation.describe_filters(page.filters, page.options),
                    sources_text=sources_line.plain(data, date_col), build_text=page.build_text)

    for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
        # Drawn only when clicked: a static export takes about a second per chart.
        row.download_button(
            fmt.upper(), data=lambda fmt=fmt: images.static_image(fig, fmt, **footer()),
            file_name=safe_filename(name, *page.filters.describe(), ext=fmt), mime=mime,
            on_click="ignore", key=f"{fmt}_{name}", icon=":material/image:",
            help=_("The chart with its title, filters, sources and build date drawn in."))
    return {name: rows}


def describe(alt: str | Callable[[], str] | None, name: str) -> None:
    """A chart's text alternative right under it, in a collapsed expander whose text is sent
    with the page (not drawn on opening), so a screen reader finds it next to the chart. Made
    on every run, in the run's language (the figure cache is not keyed by language)."""
    if alt is None:
        return
    with st.expander(_("Describe this chart"), key=f"alt_{name}", icon=":material/description:"):
        st.markdown(md(_text(alt)))


def chart_rows(data: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns a table or CSV shows: the view's own, then the source columns."""
    return data[list(dict.fromkeys(c for c in columns + SOURCE_COLUMNS if c in data))]


def download(rows: pd.DataFrame, name: str, page: Page, where=st) -> None:
    if not page.full:  # an embedded view links back to the downloads
        return
    where.download_button(  # the bytes are made on click, not on every rerun
        _("Download CSV"), lambda: to_csv_bytes(rows), file_name=safe_filename(name, *page.filters.describe()),
        mime="text/csv", on_click="ignore", key=f"dl_{name}", icon=":material/download:")


def download_table(data: pd.DataFrame, columns: list[str], name: str, page: Page,
                   shown: list[str] | None = None) -> Tables:
    """A table with its CSV; returns {name: the CSV's rows} for the view's bundle. `shown`
    narrows what the screen shows, the CSV keeps every column."""
    if embed.skip(name):
        return {}
    rows = chart_rows(data, columns)
    download(rows, name, page)
    table(rows if shown is None else data[shown])
    if not page.full:
        embed.close(page, sources_line.markdown(data, None))
    history.links(data, folded=True)
    return {name: rows}


def table(rows: pd.DataFrame) -> None:
    """A read-only table; URLs are links (only http(s) ever reach this column)."""
    if embed.muted():  # embedded, and not the view asked for
        return
    config = {"url": st.column_config.LinkColumn(_("source link"), display_text=_("open source")),
              "quote": st.column_config.TextColumn(_("quote"), width="large"),
              **{c: st.column_config.DateColumn(c, format="YYYY-MM-DD") for c in DATE_COLUMNS}}
    shown = rows.copy()  # empty text cells read as blank, not "None"
    for col in shown.columns:
        if pd.api.types.is_string_dtype(shown[col]) or shown[col].dtype == object:
            shown[col] = shown[col].fillna("")
    st.dataframe(shown, hide_index=True, column_config={k: v for k, v in config.items() if k in rows},
                 height="content" if len(rows) <= 15 else "auto")  # short tables never scroll


def finish(page: Page, tables: Tables) -> None:
    """The view's citation and its bundle: the tables the page showed (what chart_block and
    download_table returned), a data dictionary, the sources they cite, the citation and the
    link that reproduces the view."""
    if not page.full:  # embedded: reached only when the view asked for was not drawn
        embed.missing(page)
        return
    if not tables:
        return
    st.divider()
    st.subheader(_("Cite or take this view"))
    frames = [streamed.cited(t) for t in tables.values()]  # a streamed table: its cited sources
    used = {sid for rows in frames if "source_id" in rows for sid in rows["source_id"].dropna()}
    url = page.url  # read now: the bundle is made later, on click, outside this script run

    def cite() -> str:  # made when shown or downloaded: every cited row's source, ~12 ms a rerun
        return citation.citation_text(page.title, citation.describe_filters(page.filters, page.options),
                                      sources_line.plain(pd.concat(frames, ignore_index=True), None),
                                      page.build_text, url)

    box = st.expander(_("The citation, ready to copy"), key="cite_view", on_change="rerun",
                      icon=":material/format_quote:")
    if box.open:  # lazy: the code block's highlighter (1.5 MB of script) loads only when asked for
        with box:
            st.code(cite(), language=None, wrap_lines=True)
    embed.share(page, list(tables))  # each chart's and table's embed link and iframe snippet

    lang = i18n.lang()  # the bundle is made on click, outside this run: keep its language

    def make_bundle() -> bytes:
        i18n.use(lang)
        sources = queries.sources(filters.Filters(), page.version)
        return bundle.bundle(page.title, tables,
                             sources[sources["source_id"].isin(used)] if used else sources, cite(), url,
                             bundle.vocabulary_meanings(queries.vocabulary(page.version)))

    st.download_button(_("Download this view (zip: CSVs, data dictionary, sources, citation, link)"),
                       data=make_bundle, file_name=safe_filename(page.name or page.title, *page.filters.describe(), ext="zip"),
                       mime="application/zip", on_click="ignore", key="dl_bundle",
                       icon=":material/folder_zip:")
