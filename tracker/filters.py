"""The shared filters: sidebar widgets <-> URL query parameters <-> a Filters value.

The URL is read once per session (a shared link), validated here, and written back after every
change, so a copied link reproduces the view. Widget keys do not survive a page switch, so the
values live in plain session_state keys (`_f_*`) and each page's widgets are seeded from them.
URL values are user input: only ids from the database and ISO dates pass; everything else is
dropped with a visible warning and never widens the result.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from tracker import i18n, labels
from tracker.i18n import _

PARAMS = ("company", "chip", "dates", "grade", "known")
MAX_PARAM_LEN = 64  # longer than any id or date; longer values are dropped unread


@dataclass(frozen=True)
class Options:
    """What the filters may take, read from the published database."""

    companies: dict[str, str]  # company_id -> name
    chips: dict[str, str]      # chip_id -> name
    first: dt.date
    last: dt.date
    grades: dict[str, str] = field(default_factory=dict)  # grade -> filter label, best first

    @property
    def lowest_grade(self) -> str | None:
        """The minimum grade that hides nothing: the default, left out of the URL."""
        return list(self.grades)[-1] if self.grades else None


@dataclass(frozen=True)
class Filters:
    companies: tuple[str, ...] = ()
    chips: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    grade: str | None = None      # minimum source grade; None hides nothing
    known: dt.date | None = None  # "as known on": hide what was published later

    def describe(self) -> list[str]:
        """Short words for file names and captions."""
        words = []
        if self.companies:
            words.append("company-" + "-".join(self.companies))
        if self.chips:
            words.append("chip-" + "-".join(self.chips))
        if self.start and self.end:
            words.append(f"{self.start}-to-{self.end}")
        if self.grade:
            words.append(f"grade-{self.grade}")
        if self.known:
            words.append(f"known-{self.known}")
        return words


@dataclass
class Parsed:
    filters: Filters
    warnings: list[str] = field(default_factory=list)


def _shown(value: str) -> str:
    """A URL value made safe to quote in a markdown warning."""
    text = value if len(value) <= 40 else value[:40] + "…"
    return "".join(ch if ch.isalnum() or ch in " -_.:" else "·" for ch in text)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def parse_params(raw: dict[str, list[str]], options: Options) -> Parsed:
    """Validate raw query parameters against the options; pure, so tests need no Streamlit."""
    warnings: list[str] = []

    def usable(name: str) -> list[str]:
        keep = []
        for value in raw.get(name, []):
            if len(value) > MAX_PARAM_LEN:
                warnings.append(_("Ignored a `{name}` value of {n} characters.").format(name=name, n=len(value)))
            else:
                keep.append(value)
        return keep

    def ids(name: str, known: dict[str, str]) -> tuple[str, ...]:
        keep = []
        for value in usable(name):
            if value in known:
                keep.append(value) if value not in keep else None
            else:
                warnings.append(_("Ignored unknown `{name}` id “{value}”.").format(name=name, value=_shown(value)))
        return tuple(keep)

    companies = ids("company", options.companies)
    chips = ids("chip", options.chips)

    start = end = None
    dates = usable("dates")
    if dates:
        parsed = [_date(v) for v in dates[:2]]
        for value, day in zip(dates[:2], parsed):
            if day is None:
                warnings.append(_("Ignored a date that is not YYYY-MM-DD: “{value}”.").format(value=_shown(value)))
        if len(dates) > 2:
            warnings.append(_("Ignored `dates` values after the first two."))
        start, end = (parsed + [None, None])[:2]
        if (start is None) != (end is None):  # one valid end: keep it, open the other
            start, end = start or options.first, end or options.last
        if start and end and start > end:
            warnings.append(_("The date range was reversed; it was read as start → end."))
            start, end = end, start

    grade = None
    grades = usable("grade")
    if grades:
        if grades[0] in options.grades:
            grade = grades[0] if grades[0] != options.lowest_grade else None
        else:
            warnings.append(_("Ignored unknown grade “{value}”; use {grades}.").format(
                value=_shown(grades[0]), grades=_(" or ").join(options.grades)))

    known = None
    knowns = usable("known")
    if knowns:
        known = _date(knowns[0])
        if known is None:
            warnings.append(_("Ignored a `known` date that is not YYYY-MM-DD: “{value}”.").format(value=_shown(knowns[0])))
    return Parsed(Filters(companies, chips, start, end, grade, known), warnings)


def to_params(filters: Filters) -> dict[str, list[str]]:
    """The query parameters that reproduce these filters (defaults left out)."""
    out: dict[str, list[str]] = {}
    if filters.companies:
        out["company"] = list(filters.companies)
    if filters.chips:
        out["chip"] = list(filters.chips)
    if filters.start and filters.end:
        out["dates"] = [str(filters.start), str(filters.end)]
    if filters.grade:
        out["grade"] = [filters.grade]
    if filters.known:
        out["known"] = [str(filters.known)]
    return out


# --- Streamlit side -------------------------------------------------------------------------
_STORE, _WARN = "_f_filters", "_f_warnings"


def _from_widgets(options: Options) -> None:
    """on_change: the widgets' values become the canonical filters."""
    rng = st.session_state.get("w_dates") or ()
    start, end = (rng[0], rng[1]) if len(rng) == 2 else (None, None)
    if (start, end) == (options.first, options.last):
        start = end = None  # the full range is the default, so it stays out of the URL
    st.session_state[_STORE] = Filters(
        companies=tuple(st.session_state.get("w_company") or ()),
        chips=tuple(st.session_state.get("w_chip") or ()),
        start=start, end=end,
        grade=None if st.session_state.get("w_grade") in (None, options.lowest_grade)
        else st.session_state["w_grade"],
        known=st.session_state.get("w_known"),
    )
    st.session_state[_WARN] = []


def _reset() -> None:
    st.session_state[_STORE] = Filters()
    st.session_state[_WARN] = []


def _seed_widgets(f: Filters, options: Options) -> None:
    st.session_state["w_company"] = list(f.companies)
    st.session_state["w_chip"] = list(f.chips)
    st.session_state["w_dates"] = (f.start or options.first, f.end or options.last)
    st.session_state["w_grade"] = f.grade or options.lowest_grade
    st.session_state["w_known"] = f.known


def _write_url(f: Filters) -> None:
    wanted = to_params(f)
    for name in PARAMS:
        if name in wanted:
            if st.query_params.get_all(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]


# --- The language (issue 11): in the URL like the filters, chosen once per session -----------
LANG_PARAM = "lang"
_LANG, _BROWSER = "_f_lang", "_f_browser_lang"


def _browser_locale() -> str | None:
    try:
        return st.context.locale  # the browser's language, e.g. "fr-FR"; None without a browser
    except Exception:
        return None


def language() -> str:
    """Set this run's language before anything is drawn: the session's choice, else the link's
    `lang` (read on the session's first run, like the filters), else the browser's."""
    if _LANG not in st.session_state:
        browser = _browser_locale()
        st.session_state[_BROWSER] = i18n.choose(None, None, browser)
        st.session_state[_LANG] = i18n.choose(None, st.query_params.get(LANG_PARAM), browser)
    return i18n.use(st.session_state[_LANG])


def lang_params() -> dict[str, list[str]]:
    """`lang` for links and the URL; left out only when it is the default and the browser's
    language too, as every filter's default is (a link made in French opens in French)."""
    chosen = i18n.lang()
    default = st.session_state.get(_BROWSER, i18n.DEFAULT)
    return {} if chosen == default == i18n.DEFAULT else {LANG_PARAM: [chosen]}


def _from_lang_widget() -> None:
    st.session_state[_LANG] = st.session_state.get("w_lang") or i18n.DEFAULT


def language_switch() -> None:
    """English / Français; a switch reruns the page in the other language, URL updated."""
    st.session_state["w_lang"] = i18n.lang()
    st.radio(_("Language"), i18n.LANGS, format_func=i18n.NAMES.get, key="w_lang", horizontal=True,
             on_change=_from_lang_widget)
    wanted = lang_params().get(LANG_PARAM)
    if wanted and st.query_params.get_all(LANG_PARAM) != wanted:
        st.query_params[LANG_PARAM] = wanted
    elif not wanted and LANG_PARAM in st.query_params:
        del st.query_params[LANG_PARAM]


def _read_link(options: Options) -> Filters:
    if _STORE not in st.session_state:  # first run of this session: the link decides
        raw = {name: st.query_params.get_all(name) for name in PARAMS}
        parsed = parse_params(raw, options)
        st.session_state[_STORE], st.session_state[_WARN] = parsed.filters, parsed.warnings
    return st.session_state[_STORE]


# --- An embedded view (issue 11 §4a, tracker/embed.py): `embed=true` is Streamlit's (never in
# st.query_params), `view` names the chart or table; both join the filters in the link -------
VIEW_PARAM = "view"


def view_param() -> str | None:
    """The view an embed link asks for (a chart's or table's name; user input, only ever
    compared with our own names)."""
    values = st.query_params.get_all(VIEW_PARAM)
    return values[0] if values and 0 < len(values[0]) <= MAX_PARAM_LEN else None


def embed_params(view: str) -> dict[str, list[str]]:
    return {"embed": ["true"], VIEW_PARAM: [view]}


def shown_value(value: str) -> str:
    """A URL value made safe to quote in a message."""
    return _shown(value)


def from_url(options: Options) -> Filters:
    """The filters of an embedded view: read from its link like a shared one, no widgets, the
    URL left as it is; an ignored value still warns."""
    f = _read_link(options)
    for message in st.session_state[_WARN]:
        st.warning(message, icon=":material/warning:")
    return f


def sidebar(options: Options) -> Filters:
    """Draw the shared filters in the sidebar and return their current value."""
    f: Filters = _read_link(options)
    _seed_widgets(f, options)
    on_change = dict(on_change=_from_widgets, args=(options,))
    with st.sidebar:
        st.header(_("Filters"))
        st.multiselect(_("Companies"), list(options.companies), format_func=options.companies.get,
                       key="w_company", placeholder=_("All companies"),
                       help=_("Figures that name any selected company. Combined figures stay "
                              "combined and are labelled as shared."), **on_change)
        st.multiselect(_("Chips"), list(options.chips), format_func=options.chips.get,
                       key="w_chip", placeholder=_("All chips"), **on_change)
        st.date_input(_("As-of date range"), key="w_dates", format=labels.date_input_format(),
                      min_value=min(options.first, f.start or options.first),
                      max_value=max(options.last, f.end or options.last),
                      help=_("The date a figure describes, or an event's date."), **on_change)
        st.radio(_("Minimum source grade"), list(options.grades), format_func=options.grades.get,
                 key="w_grade", **on_change)
        st.date_input(_("As known on (optional)"), key="w_known", value=None, format=labels.date_input_format(),
                      min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31),
                      help=_("Show only what had been published by this date."), **on_change)
        st.button(_("Reset filters"), on_click=_reset, key="w_reset")
    for message in st.session_state[_WARN]:
        st.warning(message, icon=":material/warning:")
    _write_url(f)
    return f
