"""The one markdown escaper: data strings and engine messages that reach Streamlit markdown
(captions, warnings, errors) go through escape(), so "[x](javascript:…)" stays text.

Every ASCII character markdown or Streamlit's extensions give a meaning to is backslash-escaped:
CommonMark's punctuation, "~" (strikethrough), "$" (LaTeX), ":" (emoji and :material/…: icon
shortcodes) and "=" ; a newline becomes a space, so a value cannot open a block of its own.
(HTML escaping for plotly text is tracker.charts.esc: a different job.)
"""
from __future__ import annotations

import re

SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def escape(text: object) -> str:
    """A data string as literal markdown text; None is the empty string."""
    return SPECIAL.sub(r"\\\1", "" if text is None else str(text)).replace("\n", " ")
