"""The Atom feed of changes (RFC 4287), written by `etl build` beside the database it publishes.

The entries are the What's new page's: etl/views.sql changes_since() over the last 30 days of
curation (data_currency.default_since), newest first, worded by tracker/changes.py, so the page
and the feed say the same thing. Served by Streamlit's static file serving from static/feed.xml
at /app/static/feed.xml; links are relative to that address (../../whats_new?row=<id>).

The file is written atomically (tmp, fsync, os.replace, fsync the directory), after the
database is published; its content depends only on the data, so a rebuild of the same inputs
writes the same bytes.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urlencode

ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "tag:h200-export-tracker,2026:changes"
TITLE = "H200 export tracker: what changed in the data"
AUTHOR = "H200 export tracker curators"
APP_ROOT = "../../"          # from /app/static/feed.xml to the app's pages
MAX_ENTRIES = 500
# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(value: object) -> str:
    """A data string as XML text: control characters become U+FFFD (the markup characters are
    escaped by the serializer)."""
    return _NOT_XML.sub("\ufffd", "" if value is None else str(value))


def _stamp(day: object) -> str:
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.isoformat()}T00:00:00Z"


def _entry_id(c: dict) -> str:
    tail = c["revision_id"] if c.get("revision_id") else _stamp(c["changed_on"])[:10]
    return f"{FEED_ID}/{c['change']}/{quote(str(c['table_name']), safe='')}/" \
           f"{quote(str(c['row_id']), safe='')}/{quote(str(tail), safe='')}"


def _summary(c: dict) -> str:
    from tracker import changes
    parts = [changes.headline(c)]
    if changes.text(c.get("reason")):
        parts.append(f"Why: {changes.text(c['reason'])}")
    if changes.source(c):
        parts.append(f"Source: {changes.source(c)}")
    shown = changes.SHOWN_ON.get(c["table_name"])
    if shown and changes.text(c.get("what")):
        parts.append(f"Shown on: {shown[2]}")
    parts.append(f"Row: {c['table_name']} {c['row_id']}")
    return "\n".join(parts)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = clean(text)
    return el


def feed_xml(rows: list[dict], since: object, updated: object) -> bytes:
    """The Atom document for change rows (changes_since() as dicts), newest first."""
    from tracker import changes
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _sub(root, "id", FEED_ID)
    _sub(root, "title", TITLE)
    _sub(root, "subtitle", "Every row added to, revised in or withdrawn from the curated data"
         + (f" since {_stamp(since)[:10]}" if since else "") + ", newest first.")
    _sub(root, "updated", _stamp(updated or dt.date(2026, 1, 1)))
    _sub(_sub(root, "author"), "name", AUTHOR)
    _sub(root, "link", rel="self", href="feed.xml", type="application/atom+xml")
    _sub(root, "link", rel="alternate", type="text/html", href=APP_ROOT + changes.WHATS_NEW[1]
         + (f"?{urlencode({'since': _stamp(since)[:10]})}" if since else ""))
    _sub(root, "generator", "etl build (H200 export tracker)")
    for c in rows[:MAX_ENTRIES]:
        e = _sub(root, "entry")
        _sub(e, "id", _entry_id(c))
        _sub(e, "title", changes.clip(changes.headline(c), 200))
        _sub(e, "updated", _stamp(c["changed_on"]))
        _sub(e, "link", rel="alternate", type="text/html", href=APP_ROOT + changes.history_path(str(c["row_id"])))
        url = c.get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            _sub(e, "link", rel="related", href=url)
        _sub(e, "category", term=str(c["change"]))
        _sub(e, "summary", _summary(c), type="text")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def from_database(db: Path) -> bytes:
    """The feed of the database at `db` (read-only): the default window of What's new."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        since, latest = con.execute(
            "SELECT default_since::DATE, latest_change FROM data_currency").fetchone()
        cur = con.execute("SELECT * FROM changes_since(since_date := ?)", [since])
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()
    return feed_xml(rows, since, latest)


def stage(path: Path, data: bytes) -> Path:
    """Write data to <path>.tmp and fsync it; the caller publishes it with commit()."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def commit(tmp: Path, path: Path) -> None:
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(path: Path, data: bytes) -> None:
    commit(stage(path, data), path)
