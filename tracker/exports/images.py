"""A chart as PNG or SVG with its title, filters, sources and data build drawn in.

Images go through kaleido's sync server, one Chromium per process started on first use: a
one-shot to_image starts its own Chromium every time (3-7 s); through the server an image takes
well under a second. Chromium is Debian's, never a downloaded one.
"""
from __future__ import annotations

import atexit
import html
import os
import shutil
import tempfile
import textwrap
import threading
import warnings
from typing import Literal

import plotly.graph_objects as go

from tracker.exports.text import TOOL, flat
from tracker.i18n import _

CHROMIUM = "/usr/bin/chromium"
# kaleido does not pass these; without them Chromium tries the network (updates, sync, QUIC).
CHROMIUM_FLAGS = ("--disable-component-update", "--disable-sync", "--disable-quic",
                  "--no-first-run", "--disable-background-networking")
WRAP = 150          # characters per footer line at most (about 900 px of 12-px text)
FOOT_FONT = 12      # px; plotly spaces <br> lines at about 1.3 em
AXIS_GAP = 62       # px under the plot area kept for x tick labels and the axis title

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
    folder = tempfile.mkdtemp(prefix="tracker-chromium-")
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
    for text in (_("Filters: {filters}").format(filters=flat(filters_text) or _("none (all data)")),
                 _("Sources: {list}").format(list=flat(sources_text) or _("none listed")),
                 f"{TOOL} · {flat(build_text)}"):
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
                      margin=dict(l=side, r=side, b=new_b), title_pad_l=side,
                      # the page's legend sits at the bottom (chart_layout), where the footer goes
                      legend=dict(orientation="v", xref="paper", x=1.02, xanchor="left", yref="paper", y=1,
                                  yanchor="top"))
    # Anchored to the plot's bottom edge and shifted in px, so the footer sits under the axis
    # title whatever the plot height; every data string is escaped (plotly renders some HTML).
    out.add_annotation(text="<br>".join(html.escape(line) for line in lines), xref="paper",
                       yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-AXIS_GAP,
                       align="left", showarrow=False, font=dict(size=FOOT_FONT, color="#333"))
    _ensure_server()
    with _RENDER, warnings.catch_warnings():  # kaleido's server pairs requests and replies by order
        warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
        return out.to_image(format=fmt, width=width, height=total, scale=1)
