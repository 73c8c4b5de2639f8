"""Exports that carry their citation: a citation to paste into a memo, chart images with the
filters, sources and data build drawn in, and a zip of the rows with their sources and meaning.

Pure functions of their inputs (no Streamlit, no database). Images go through kaleido's sync
server, one Chromium per process started on first use: a one-shot to_image starts its own
Chromium every time (3-7 s); through the server an image takes well under a second.
"""
from __future__ import annotations

import atexit
import datetime as dt
import html
import os
import shutil
import tempfile
import textwrap
import threading
import warnings
import zipfile
from io import BytesIO
from typing import Literal
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from tracker import labels
from tracker.export import safe_filename, to_csv_bytes
from tracker.filters import Filters, Options, to_params

TOOL = "H200 export tracker"
CHROMIUM = "/usr/bin/chromium"
# kaleido does not pass these; without them Chromium tries the network (updates, sync, QUIC).
CHROMIUM_FLAGS = ("--disable-component-update", "--disable-sync", "--disable-quic",
                  "--no-first-run", "--disable-background-networking")
WRAP = 150          # characters per footer line at most (about 900 px of 12-px text)
FOOT_FONT = 12      # px; plotly spaces <br> lines at about 1.3 em
AXIS_GAP = 62       # px under the plot area kept for x tick labels and the axis title


def _flat(text: object) -> str:
    """One line: data newlines must not break a pasted citation or a footer line."""
    return " ".join(str(text or "").split())


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


# --- The texts the exports carry (the lead passes these to every function below) ------------
def describe_filters(f: Filters, options: Options | None = None) -> str:
    """'companies Alibaba; as-of dates 2026-01-01 to 2026-06-30; source grades H/M'."""
    names = {**options.companies, **options.chips} if options else {}
    parts = [f.companies and "companies " + ", ".join(names.get(c, c) for c in f.companies),
             f.chips and "chips " + ", ".join(names.get(c, c) for c in f.chips),
             f.start and f.end and f"as-of dates {f.start} to {f.end}",
             f.grade != "L" and "source grades " + "/".join(f.grades),
             f.known and f"as known on {f.known} (later publications hidden)"]
    return "; ".join(p for p in parts if p) or "none (all data)"


def describe_sources(data: pd.DataFrame, date_col: str | None = "as_of_date", limit: int = 12) -> str:
    """'Reuters, 2026-01-28 (H); SCMP (M)': the plain-text twin of ui.source_line."""
    if data.empty or "publisher" not in data:
        return "none"
    parts = []
    for publisher, part in data.groupby("publisher", sort=True):
        dates = sorted({labels.day(d) for d in part[date_col]}) if date_col in part else []
        when = f", {', '.join(dates[:3])}{'…' if len(dates) > 3 else ''}" if dates else ""
        parts.append(f"{_flat(publisher)}{when} ({part['grade'].iloc[0]})")
    more = f"; and {len(parts) - limit} more (see sources.csv)" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


def describe_build(build_id: str, built_at: object) -> str:
    return f"Data build {build_id} of {pd.Timestamp(built_at):%Y-%m-%d}"


def view_url(page_url: str, f: Filters) -> str:
    """The page's URL with the query parameters that reproduce the filters."""
    query = urlencode(to_params(f), doseq=True)
    return f"{page_url}?{query}" if query else page_url


# --- 1. Citation ------------------------------------------------------------------------------
def citation_lines(title: str, filters_text: str, sources_text: str, build_text: str,
                   url: str | None, *, today: dt.date | None = None) -> list[str]:
    """build_text is the whole phrase ('Data build X of DATE', see describe_build); no period
    after the URL, so a mail client's autolink does not swallow it."""
    today = today or dt.date.today()
    return [_sentence(f"{TOOL} — {_flat(title)}"),
            _sentence(f"Filters: {_flat(filters_text) or 'none (all data)'}"),
            _sentence(f"Sources: {_flat(sources_text) or 'none listed'}"),
            _sentence(_flat(build_text)),
            f"View: {_flat(url)}" if url else "View: link not recorded.",
            f"Accessed {today:%Y-%m-%d}."]


def citation_text(title: str, filters_text: str, sources_text: str, build_text: str,
                  url: str | None, *, today: dt.date | None = None) -> str:
    return "\n".join(citation_lines(title, filters_text, sources_text, build_text, url, today=today))


# --- 2. Static image --------------------------------------------------------------------------
_START, _RENDER = threading.Lock(), threading.Lock()
_registered = False


def _browser_path() -> str:
    """BROWSER_PATH if set, else a wrapper that adds the no-network flags (stack-notes §8)."""
    if path := os.environ.get("BROWSER_PATH"):
        if not os.access(path, os.X_OK):
            raise RuntimeError(f"static export needs Chromium: BROWSER_PATH={path!r} is not executable")
        return path
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"static export needs Chromium: {CHROMIUM} is missing "
                           "(apt-get install chromium); CSV and zip exports still work")
    folder = tempfile.mkdtemp(prefix="h200-chromium-")
    atexit.register(shutil.rmtree, folder, True)
    wrapper = os.path.join(folder, "chromium")
    with open(wrapper, "w") as fh:
        fh.write(f'#!/bin/sh\nexec {CHROMIUM} {" ".join(CHROMIUM_FLAGS)} "$@"\n')
    os.chmod(wrapper, 0o755)
    os.environ["BROWSER_PATH"] = wrapper
    return wrapper


def _server_alive(kaleido) -> bool:
    # kaleido's server thread dies silently if Chromium fails to start, and a call then waits
    # forever; its private thread handle is the only sign, so look at it when it is there.
    server = getattr(kaleido, "_global_server", None)
    thread = getattr(server, "_thread", None)
    return bool(server and server.is_running() and (thread is None or thread.is_alive()))


def _ensure_server() -> None:
    """Start kaleido's sync server once per process (thread-safe); restart it if it died."""
    global _registered
    import kaleido
    with _START:
        if _server_alive(kaleido):
            return
        _browser_path()
        kaleido.stop_sync_server(silence_warnings=True)  # clears a dead server's state
        # mathjax=False: kaleido would otherwise load MathJax from a CDN (no network here).
        kaleido.start_sync_server(silence_warnings=True, mathjax=False)
        if not _registered:
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)
            _registered = True


def footer_lines(filters_text: str, sources_text: str, build_text: str, wrap: int = WRAP) -> list[str]:
    """The plain-text lines drawn under a chart, wrapped at `wrap` characters."""
    lines = []
    for text in (f"Filters: {_flat(filters_text) or 'none (all data)'}",
                 f"Sources: {_flat(sources_text) or 'none listed'}",
                 f"{TOOL} · {_flat(build_text)}"):
        lines += textwrap.wrap(text, wrap, subsequent_indent="    ", break_on_hyphens=False)
    return lines


def _wrap_for(fig: go.Figure, width: int, side: int) -> int:
    """Characters that fit right of the plot's left edge, where the footer starts. That edge
    moves right with long y labels (automargin) and plotly cannot anchor an annotation to the
    image edge, so estimate it from the longest y label, erring wide: a narrow wrap is safe."""
    ys = [t.y for t in fig.data if getattr(t, "y", None) is not None]  # may be numpy arrays
    labels_y = [v for y in ys for v in y if isinstance(v, str)]
    chars = max(map(len, labels_y), default=10)
    left = side + 7.5 * chars + (30 if any(ax.title.text for ax in fig.select_yaxes()) else 0)
    return int(min(WRAP, max(40, (width - left - side) / 6.2)))


def static_image(fig: go.Figure, fmt: Literal["png", "svg"], *, filters_text: str,
                 sources_text: str, build_text: str, width: int = 1200,
                 height: int | None = None) -> bytes:
    """The chart as PNG or SVG with its title, filters, sources and build drawn in.

    height is the whole image; None keeps the chart's own plot height and adds the footer."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format must be png or svg, not {fmt!r}")
    out = go.Figure(fig)  # a copy: the caller's figure is still shown on the page
    # Streamlit pads the chart on the page; a file needs its own margins.
    side = max(out.layout.margin.l or 0, out.layout.margin.r or 0, 36)
    lines = footer_lines(filters_text, sources_text, build_text, _wrap_for(out, width, side))
    foot = round(FOOT_FONT * 1.3 * len(lines)) + 8
    old_b = out.layout.margin.b if out.layout.margin.b is not None else 80
    new_b = AXIS_GAP + foot + 12
    total = height or (out.layout.height or 450) + max(new_b - old_b, 0)
    out.update_layout(template="plotly_white", width=width, height=total, paper_bgcolor="white",
                      margin=dict(l=side, r=side, b=new_b), title_pad_l=side)
    # Anchored to the plot's bottom edge and shifted in px, so the footer sits under the axis
    # title whatever the plot height; every data string is escaped (plotly renders some HTML).
    out.add_annotation(text="<br>".join(html.escape(line) for line in lines), xref="paper",
                       yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-AXIS_GAP,
                       align="left", showarrow=False, font=dict(size=FOOT_FONT, color="#333"))
    _ensure_server()
    with _RENDER, warnings.catch_warnings():  # kaleido's server pairs requests and replies by order
        warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
        return out.to_image(format=fmt, width=width, height=total, scale=1)


# --- 3. Bundle --------------------------------------------------------------------------------
def _vocab(mapping: dict[str, str]) -> str:
    return "; ".join(f"{k} = {v}" for k, v in mapping.items())


MEANINGS = {  # column -> meaning; "DERIVED" marks our arithmetic, counts or choices
    "figure_id": "Our id for one reported figure (one number from one source)",
    "source_id": "Our id for a source; joins to sources.csv", "event_id": "Our id for an event",
    "spec_id": "Our id for one reported chip spec", "term_id": "Our id for one export-rule term",
    "chip_id": "Chip id", "chip": "Chip name", "vendor": "Chip vendor",
    "stage": "Pipeline stage: " + _vocab(labels.STAGES), "metric": "What the number measures",
    "measure": "Optional id telling apart different quantities of one stage (e.g. per-customer vs total cap)",
    "value": "The number as the source reports it; read it with bound and unit",
    "reported": "The figure in words, with its bound and unit (e.g. '≥ 400,000 chips', 'none reported')",
    "value_high": "Upper end when bound = range; empty otherwise",
    "unit": "Unit of value: " + _vocab(labels.UNIT),
    "bound": "How the source bounds the number: " + _vocab(labels.BOUND),
    "as_of_date": "The date the figure describes (not when it was published)",
    "as_of_precision": "How precisely the source dates it (day, approx_day, month, quarter, year)",
    "published_date": "When the source was published", "effective_date": "When the rule applies",
    "date": "The event's date", "date_precision": "How precisely the date is known",
    "category": "Event category: " + _vocab(labels.CATEGORY),
    "title": "Title of the event (event tables) or of the source document (sources.csv)",
    "source_title": "Title of the source document", "description": "What happened",
    "publisher": "Who published the source", "via": "The outlet the source was read through",
    "grade": "Source grade: " + "; ".join(labels.GRADE.values()),
    "url": "Link to the source (http/https only; empty when none)",
    "quote": "The source's own words the number is taken from", "notes": "Curator's notes",
    "companies": "Companies named; names joined by ' + ' are one combined figure, not split",
    "ratio_id": "Our id for a ratio a source states itself",
    "reference_chip": "The chip the ratio compares against", "reference_chip_id": "Reference chip id",
    "basis": "The metric the source says the ratio compares, or not stated",
    "rule": "The export rule", "sparsity": "Dense or sparse figure, as the source states",
    "ref_spec_id": "The H20 spec used as the reference for ratio_to_h20",
    "ref_value": "The H20 reference value", "ref_bound": "The H20 reference value's bound",
    "ref_publisher": "Who published the H20 reference value",
    "headline_rule": "How the headline report is chosen among several",
    "shared": "DERIVED: true when several companies share one combined figure",
    "n_companies": "DERIVED: how many companies the figure names",
    "ratio_to_h20": "DERIVED: value ÷ the H20's value of the same metric (ref_value)",
    "ratio_note": "DERIVED: whether the ratio's inputs carry bounds",
    "derived": "DERIVED: true on rows we computed rather than copied from a source",
    "reports": "DERIVED: how many sources report this same quantity",
    "spread": "DERIVED: largest ÷ smallest of those reports",
    "headline": "DERIVED: true for the report the headline uses",
    **{k: f"DERIVED: how many {k} rows cite this source" for k in ("figures", "specs", "events", "terms")},
}
UNITS = {**dict.fromkeys(("value", "value_high", "ref_value"), "as in the unit column"),
         **dict.fromkeys(("as_of_date", "published_date", "effective_date", "date"), "YYYY-MM-DD"),
         **dict.fromkeys(("ratio_to_h20", "spread"), "ratio (×)"), "url": "http(s) URL",
         **dict.fromkeys(("n_companies", "reports", "figures", "specs", "events", "terms"), "count"),
         **dict.fromkeys(("shared", "headline", "derived"), "true/false")}
UNKNOWN = "see the Sources and method page"


def _dictionary(csvs: dict[str, pd.DataFrame], extra: pd.DataFrame | None) -> pd.DataFrame:
    meanings, units = dict(MEANINGS), dict(UNITS)
    for row in ([] if extra is None else extra.to_dict("records")):  # the caller's win
        meanings[row["column"]] = row["meaning"]
        units[row["column"]] = row["unit"] if pd.notna(row.get("unit")) else ""
    return pd.DataFrame([{"table": name, "column": col, "dtype": str(frame[col].dtype),
                          "meaning": meanings.get(col, UNKNOWN), "unit": units.get(col, "")}
                         for name, frame in csvs.items() for col in frame.columns],
                        columns=["table", "column", "dtype", "meaning", "unit"])


def _readme(view: str, tables: list[str], url: str | None, today: dt.date) -> str:
    width = max(len(n) for n in [*tables, "data_dictionary.csv"]) + 2
    files = [("README.txt", "this file"), ("CITATION.txt", "the citation to paste into a memo"),
             ("VIEW_URL.txt", "the link that reproduces this view, filters included"),
             *[(t, "rows behind the view, exactly as shown") for t in tables],
             ("sources.csv", "the sources, with grade and link"),
             ("data_dictionary.csv", "every column of every CSV: type, meaning, unit")]
    return "\n".join([f"{TOOL} — {_flat(view)}", f"Exported {today:%Y-%m-%d} from "
                      + (_flat(url) if url else "a view whose link was not recorded"), "", "Files:",
                      *[f"  {n.ljust(width)}{what}" for n, what in files], "",
                      "Numbers are as the sources report them: read value with bound and unit.",
                      "Columns whose meaning starts with DERIVED are our arithmetic (ratios, spreads,",
                      "counts, the headline choice), not figures any source reported.",
                      "Text cells starting with = + - @, tab or CR get a leading ' so a spreadsheet",
                      "does not run them as formulas.", ""])


def bundle(view: str, tables: dict[str, pd.DataFrame], sources: pd.DataFrame, citation: str,
           url: str | None, dictionary: pd.DataFrame | None = None, *,
           today: dt.date | None = None) -> bytes:
    """A zip: README, CITATION, VIEW_URL, one CSV per table (in the given order), sources.csv,
    data_dictionary.csv. dictionary adds or overrides meanings (columns: column, meaning, unit)."""
    today = today or dt.date.today()
    named: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        stem, n = safe_filename(name)[:-4], 1
        while (member := f"{stem}{'' if n == 1 else f'-{n}'}.csv") in named or member == "sources.csv":
            n += 1
        named[member] = frame
    csvs = {**named, "sources.csv": sources}
    members = [("README.txt", _readme(view, list(named), url, today).encode()),
               ("CITATION.txt", (citation.rstrip("\n") + "\n").encode()),
               ("VIEW_URL.txt", ((_flat(url) if url else "The link to this view was not recorded; "
                                  "the filters are in CITATION.txt.") + "\n").encode()),
               *[(m, to_csv_bytes(f)) for m, f in csvs.items()],
               ("data_dictionary.csv", to_csv_bytes(_dictionary(csvs, dictionary)))]
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members:  # fixed timestamp: same inputs, same bytes on a given day
            info = zipfile.ZipInfo(member, date_time=(today.year, today.month, today.day, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()
