"""The view's zip: README, CITATION, VIEW_URL, one CSV per table the page showed, sources.csv
and a data dictionary (every column's type, meaning and unit; DERIVED marks our arithmetic)."""
from __future__ import annotations

import datetime as dt
import zipfile
from io import BytesIO

import pandas as pd

from tracker.exports.csv_safety import safe_filename, to_csv_bytes
from tracker.exports.streamed import Streamed, sample
from tracker.exports.text import TOOL, flat

def _vocab(mapping: dict[str, dict]) -> str:
    return "; ".join(f"{k} = {v.get('label', k)}" for k, v in mapping.items())


def vocabulary_meanings(vocab) -> pd.DataFrame:
    """The coded columns' meanings with their terms spelled out, from the data's own vocabulary
    (a tracker.vocabulary.Vocabulary); pass as bundle(dictionary=...)."""
    rows = [("stage", "Pipeline stage: " + _vocab(vocab.stages)),
            ("unit", "Unit of value: " + _vocab(vocab.units)),
            ("bound", "How the source bounds the number: " + _vocab(vocab.bounds)),
            ("category", "Event category: " + _vocab(vocab.categories)),
            ("grade", "Source grade: " + "; ".join(g["label"] for g in vocab.grades.values()))]
    return pd.DataFrame([{"column": c, "meaning": m, "unit": ""} for c, m in rows])


MEANINGS = {  # column -> meaning; "DERIVED" marks our arithmetic, counts or choices
    "figure_id": "Our id for one reported figure (one number from one source)",
    "source_id": "Our id for a source; joins to sources.csv", "event_id": "Our id for an event",
    "spec_id": "Our id for one reported chip spec", "term_id": "Our id for one export-rule term",
    "chip_id": "Chip id", "chip": "Chip name", "vendor": "Chip vendor",
    "stage": "Pipeline stage (see the Sources and method page)", "metric": "What the number measures",
    "measure": "Optional id telling apart different quantities of one stage (e.g. per-customer vs total cap)",
    "value": "The number as the source reports it; read it with bound and unit",
    "reported": "The figure in words, with its bound and unit (e.g. '≥ 400,000 chips', 'none reported')",
    "value_high": "Upper end when bound = range; empty otherwise",
    "unit": "Unit of value", "bound": "How the source bounds the number",
    "as_of_date": "The date the figure describes (not when it was published)",
    "as_of_precision": "How precisely the source dates it (day, approx_day, month, quarter, year)",
    "published_date": "When the source was published", "effective_date": "When the rule applies",
    "date": "The event's date", "date_precision": "How precisely the date is known",
    "category": "Event category",
    "title": "Title of the event (event tables) or of the source document (sources.csv)",
    "source_title": "Title of the source document", "description": "What happened",
    "publisher": "Who published the source", "via": "The outlet the source was read through",
    "grade": "Source grade",
    "url": "Link to the source (http/https only; empty when none)",
    "quote": "The source's own words the number is taken from", "notes": "Curator's notes",
    "companies": "Companies named; names joined by ' + ' are one combined figure, not split",
    "ratio_id": "Our id for a ratio a source states itself",
    "reference_chip": "The chip the ratio compares against", "reference_chip_id": "Reference chip id",
    "basis": "The metric the source says the ratio compares, or not stated",
    "rule": "The export rule", "sparsity": "Dense or sparse figure, as the source states",
    "ref_spec_id": "The reference chip's spec used for ratio_to_reference",
    "ref_chip": "The reference chip (ratios are to it = 1)",
    "ref_value": "The reference chip's value", "ref_bound": "The reference value's bound",
    "ref_publisher": "Who published the reference value",
    "headline_rule": "How the headline report is chosen among several",
    "shared": "DERIVED: true when several companies share one combined figure",
    "n_companies": "DERIVED: how many companies the figure names",
    "ratio_to_reference": "DERIVED: value ÷ the reference chip's value of the same metric (ref_value)",
    "ratio_note": "DERIVED: whether the ratio's inputs carry bounds",
    "derived": "DERIVED: true on rows we computed rather than copied from a source",
    "reports": "DERIVED: how many sources report this same quantity",
    "spread": "DERIVED: largest ÷ smallest of those reports",
    "headline": "DERIVED: true for the report the headline uses",
    **{k: f"DERIVED: how many {k} rows cite this source" for k in ("figures", "specs", "events", "terms")},
}
UNITS = {**dict.fromkeys(("value", "value_high", "ref_value"), "as in the unit column"),
         **dict.fromkeys(("as_of_date", "published_date", "effective_date", "date"), "YYYY-MM-DD"),
         **dict.fromkeys(("ratio_to_reference", "spread"), "ratio (×)"), "url": "http(s) URL",
         **dict.fromkeys(("n_companies", "reports", "figures", "specs", "events", "terms"), "count"),
         **dict.fromkeys(("shared", "headline", "derived"), "true/false")}
UNKNOWN = "see the Sources and method page"


def _dictionary(csvs: dict[str, pd.DataFrame], extra: pd.DataFrame | None) -> pd.DataFrame:
    meanings, units = dict(MEANINGS), dict(UNITS)
    for row in ([] if extra is None else extra.to_dict("records")):  # the caller's win
        meanings[row["column"]] = row["meaning"]
        units[row["column"]] = row["unit"] if pd.notna(row.get("unit")) else ""
    return pd.DataFrame([{"table": name, "column": col, "dtype": str(sample(frame)[col].dtype),
                          "meaning": meanings.get(col, UNKNOWN), "unit": units.get(col, "")}
                         for name, frame in csvs.items() for col in sample(frame).columns],
                        columns=["table", "column", "dtype", "meaning", "unit"])


def _readme(view: str, tables: list[str], url: str | None, today: dt.date) -> str:
    width = max(len(n) for n in [*tables, "data_dictionary.csv"]) + 2
    files = [("README.txt", "this file"), ("CITATION.txt", "the citation to paste into a memo"),
             ("VIEW_URL.txt", "the link that reproduces this view, filters included"),
             *[(t, "rows behind the view, exactly as shown") for t in tables],
             ("sources.csv", "the sources, with grade and link"),
             ("data_dictionary.csv", "every column of every CSV: type, meaning, unit")]
    return "\n".join([f"{TOOL} — {flat(view)}", f"Exported {today:%Y-%m-%d} from "
                      + (flat(url) if url else "a view whose link was not recorded"), "", "Files:",
                      *[f"  {n.ljust(width)}{what}" for n, what in files], "",
                      "Numbers are as the sources report them: read value with bound and unit.",
                      "Columns whose meaning starts with DERIVED are our arithmetic (ratios, spreads,",
                      "counts, the headline choice), not figures any source reported.",
                      "Text cells starting with = + - @, tab or CR get a leading ' so a spreadsheet",
                      "does not run them as formulas.", ""])


def bundle(view: str, tables: dict[str, pd.DataFrame | Streamed], sources: pd.DataFrame, citation: str,
           url: str | None, dictionary: pd.DataFrame | None = None, *,
           today: dt.date | None = None) -> bytes:
    """A zip: README, CITATION, VIEW_URL, one CSV per table (in the given order), sources.csv,
    data_dictionary.csv. dictionary adds or overrides meanings (columns: column, meaning, unit).
    A Streamed table is written into the zip batch by batch, never held whole."""
    today = today or dt.date.today()
    named: dict[str, pd.DataFrame | Streamed] = {}
    for name, frame in tables.items():
        stem, n = safe_filename(name)[:-4], 1
        while (member := f"{stem}{'' if n == 1 else f'-{n}'}.csv") in named or member == "sources.csv":
            n += 1
        named[member] = frame
    csvs = {**named, "sources.csv": sources}
    members = [("README.txt", _readme(view, list(named), url, today).encode()),
               ("CITATION.txt", (citation.rstrip("\n") + "\n").encode()),
               ("VIEW_URL.txt", ((flat(url) if url else "The link to this view was not recorded; "
                                  "the filters are in CITATION.txt.") + "\n").encode()),
               *[(m, f if isinstance(f, Streamed) else to_csv_bytes(f)) for m, f in csvs.items()],
               ("data_dictionary.csv", to_csv_bytes(_dictionary(csvs, dictionary)))]
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members:  # fixed timestamp: same inputs, same bytes on a given day
            info = zipfile.ZipInfo(member, date_time=(today.year, today.month, today.day, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            if isinstance(data, Streamed):
                with zf.open(info, "w", force_zip64=True) as member_file:
                    data.write(member_file)
            else:
                zf.writestr(info, data)
    return buf.getvalue()
