"""What changed, in words (design.md rule 9). Pure: no Streamlit, no database.

- note(): the line a revised row carries wherever it is shown, "revised 2026-12-01, was
  ≥ 75,000 chips" (the old value is the latest revision's, from etl/views.sql
  row_revision_notes), or "revised 2026-12-01: stage was 'delivered'".
- describe() / headline(): one change of etl/views.sql change_rows (an addition, a revision, a
  withdrawal) as the What's new page and the Atom feed say it: what the row is, with its bound.
- The row's page: where a figure is shown (SHOWN_ON), and its history (history_path).
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping

import pandas as pd

from tracker import labels
from tracker.i18n import N_, _

# The id column of each table a page shows, and the table it names.
ID_COLUMNS = {"figure_id": "trade_figures", "spec_id": "chip_specs", "ratio_id": "reported_ratios",
              "term_id": "policy_terms", "event_id": "events", "source_id": "sources"}
# Where a row of each table is shown: (page file, URL path, label). Every row is on Data too.
# The words are N_ constants (English, as the feed says them); pages show them through _.
SHOWN_ON = {
    "trade_figures": ("pages/1_pipeline.py", "pipeline", N_("Orders vs approvals vs stock")),
    "chip_specs": ("pages/2_chips.py", "chips", N_("Chip performance")),
    "policy_terms": ("pages/2_chips.py", "chips", N_("Chip performance")),
    "reported_ratios": ("pages/6_compute.py", "compute", N_("Compute and scenarios")),
    "events": ("pages/3_timeline.py", "timeline", N_("Timeline")),
    "sources": ("pages/4_sources.py", "sources", N_("Sources and method")),
}
WHATS_NEW = ("pages/8_whats_new.py", "whats_new", N_("What's new"))
TABLE_WORDS = {"trade_figures": N_("trade figure"), "chip_specs": N_("chip spec"),
               "reported_ratios": N_("reported ratio"), "policy_terms": N_("policy term"), "events": N_("event"),
               "sources": N_("source"), "chips": N_("chip"), "companies": N_("company"),
               "figure_companies": N_("figure's company link"), "event_companies": N_("event's company link"),
               "spec_derivations": N_("spec derivation")}
CHANGE_WORDS = {"withdrawn": N_("Withdrawn"), "revised": N_("Revised"), "added": N_("Added")}  # a day's order
_VALUE_FIELDS = ("value", "value_high", "bound", "unit")
_WORDING = ("quote", "notes", "title", "description")   # long text: the note names the field only
_SHORT = 48


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA or v is pd.NaT


def text(v: object) -> str:
    return "" if _blank(v) else str(v)


def clip(s: str, limit: int = _SHORT) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"


def history_path(row_id: str) -> str:
    """What's new for one row, as a link relative to any page of the app."""
    from urllib.parse import urlencode
    return f"{WHATS_NEW[1]}?{urlencode({'row': row_id})}"


# --- a row as the pages say it --------------------------------------------------------------------
def _number(v: object) -> object:
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def says(table: str, row: Mapping) -> str:
    """The value of a row the way its page says it: '≥ 400,000 chips', '989 TFLOPS (dense)'."""
    if table == "trade_figures":
        return labels.value(row)
    if _blank(row.get("value")):
        return ""
    if table == "chip_specs":
        return labels.spec_value({**row, "sparsity": text(row.get("sparsity")) or "n/a"})
    if table == "reported_ratios":
        return labels.ratio(row)
    unit = f" {text(row.get('unit'))}" if text(row.get("unit")) else ""
    return f"{labels.symbol(row)}{labels.number(float(row['value']))}{unit}"


def _old_row(row: Mapping, changes: list[Mapping], bounds: Mapping) -> dict:
    old = dict(row)
    for c in changes:
        if c["field"] in ("value", "value_high"):
            old[c["field"]] = _number(c["old_value"])
        elif c["field"] == "bound":
            old["bound"] = text(c["old_value"])
            old["bound_symbol"] = (bounds.get(old["bound"]) or {}).get("symbol")
        elif c["field"] == "unit":
            old["unit"] = text(c["old_value"])
    return old


def note(table: str, row: Mapping, revised_on: object, changes: list[Mapping],
         bounds: Mapping | None = None) -> str:
    """'revised 2026-12-01, was ≥ 75,000 chips' when the value or its bound changed; else
    'revised 2026-12-01: quote was "…"' naming the fields (the latest revision's old values).
    Field names stay the data's (machine names, as in the CSVs)."""
    when = _("revised {day}").format(day=labels.day(revised_on))
    empty = _("empty")
    numeric = [c for c in changes if c["field"] in _VALUE_FIELDS]
    others = [c for c in changes if c["field"] not in _VALUE_FIELDS]
    parts = []
    if numeric:
        try:
            was = says(table, _old_row(row, numeric, bounds or {}))
        except (KeyError, TypeError, ValueError):
            was = ""
        was = was or "; ".join(f"{c['field']} {clip(text(c['old_value'])) or empty}" for c in numeric)
        parts.append(_("{revised}, was {old}").format(revised=when, old=was))
    if others:
        reworded = [c["field"] for c in others if c["field"] in _WORDING]
        fields = [_("{field} was {old}").format(field=c["field"], old=clip(text(c["old_value"]), 32) or empty)
                  for c in others if c["field"] not in _WORDING]
        if reworded:
            fields.append(_("{fields} reworded").format(fields=_(" and ").join(reworded)))
        parts.append("; ".join(fields) if parts else _("{revised}: {fields}").format(revised=when, fields="; ".join(fields)))
    return "; ".join(parts) if parts else when


def annotate(df: pd.DataFrame, notes: Mapping[tuple[str, str], dict], bounds: Mapping | None = None) -> pd.DataFrame:
    """Add `revised` (the note, empty when never revised) to a page's rows, from the first id
    column it has (figure_id, spec_id, ...)."""
    id_col = next((c for c in ID_COLUMNS if c in df.columns), None)
    if id_col is None or "revised" in df.columns:
        return df
    table = ID_COLUMNS[id_col]
    out = df.copy()
    out["revised"] = pd.Series(
        [note(table, r, notes[(table, r[id_col])]["revised_on"], notes[(table, r[id_col])]["changes"], bounds)
         if (table, r[id_col]) in notes else "" for r in df.to_dict("records")], index=df.index, dtype="str")
    return out


# --- one change, as What's new and the feed say it -------------------------------------------------
def subject(c: Mapping) -> str:
    """What the changed row is, in words, with its bound: 'Chinese approvals: ≥ 400,000 chips
    (H200; shared: Alibaba + ByteDance + Tencent), as of 2026-01-28'."""
    table, what = c["table_name"], text(c.get("what"))
    if not what:   # withdrawn: the row is gone, the log says what it was
        return f"{_(TABLE_WORDS.get(table, table))} {c['row_id']}"
    dated = "" if _blank(c.get("dated")) else labels.day(c["dated"], text(c.get("date_precision")) or "day")
    if table == "trade_figures":
        who = text(c.get("companies"))
        who = (_("shared: {companies} (combined)").format(companies=who)
               if (c.get("n_companies") or 0) > 1 else who) if who else ""
        about = "; ".join(p for p in (text(c.get("chip")), who) if p)
        return f"{_(what)}: {says(table, c)}" + (f" ({about})" if about else "") + (
            ", " + labels.as_of(c["dated"], text(c.get("date_precision")) or "day") if dated else "")
    if table == "chip_specs":
        return f"{text(c.get('chip'))} {what}: {says(table, c)}"
    if table == "reported_ratios":
        return f"{what}: {says(table, c)} ({text(c.get('detail')).replace('_', ' ')})"
    if table == "policy_terms":
        return f"{text(c.get('detail'))}: {what} {says(table, c)}" + (
            " " + _("(effective {day})").format(day=dated) if dated else "")
    if table == "events":
        return f"{dated}: {what}" if dated else what
    return f"{what}: {text(c.get('detail'))}" if text(c.get("detail")) else what


def headline(c: Mapping) -> str:
    """A change in one line: 'Revised: <subject>: value was 75000, now 100000'."""
    line = _("{change}: {subject}").format(change=_(CHANGE_WORDS.get(c["change"], c["change"])), subject=subject(c))
    if c["change"] == "revised":
        line += " — " + _("{field} was {old}, now {new}").format(
            field=text(c.get("field")), old=clip(text(c.get("old_value"))) or _("empty"),
            new=clip(text(c.get("new_value"))) or _("empty"))
    elif c["change"] == "withdrawn" and text(c.get("old_value")):
        line += " " + _("(was {old})").format(old=clip(text(c.get("old_value"))))
    return line


def source(c: Mapping) -> str:
    """'Reuters (H)' for the row's source; the revision's own source, when it has one, after."""
    parts = []
    if text(c.get("publisher")):
        parts.append(f"{text(c['publisher'])} ({text(c.get('grade'))})")
    if text(c.get("change_publisher")):
        parts.append(_("revision source: {publisher}").format(publisher=text(c["change_publisher"])))
    return "; ".join(parts)


def by_day(changes: pd.DataFrame) -> list[tuple[dt.date, pd.DataFrame]]:
    """The changes grouped by day, newest day first, each day in the query's order."""
    if changes.empty:
        return []
    days = pd.to_datetime(changes["changed_on"]).dt.date
    return [(d, changes[days == d]) for d in sorted(set(days), reverse=True)]
