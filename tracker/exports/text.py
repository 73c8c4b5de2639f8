"""The plain-text rules every export's words follow: one line per field, the tool's name."""
from __future__ import annotations

TOOL = "H200 export tracker"


def flat(text: object) -> str:
    """One line: data newlines must not break a pasted citation or a footer line."""
    return " ".join(str(text or "").split())


def sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."
