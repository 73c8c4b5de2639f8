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
from tracker.i18n import N_, _

def _vocab(mapping: dict[str, dict]) -> str:
    return "; ".join(f"{k} = {v.get('label', k)}" for k, v in mapping.items())


def vocabulary_meanings(vocab) -> pd.DataFrame:
    """The coded columns' meanings with their terms spelled out, from the data's own vocabulary
    (a tracker.vocabulary.Vocabulary); pass as bundle(dictionary=...)."""
    rows = [("stage", _("Pipeline stage: {terms}").format(terms=_vocab(vocab.stages))),
            ("unit", _("Unit of value: {terms}").format(terms=_vocab(vocab.units))),
            ("bound", _("How the source bounds the number: {terms}").format(terms=_vocab(vocab.bounds))),
            ("category", _("Event category: {terms}").format(terms=_vocab(vocab.categories))),
            ("grade", _("Source grade: {terms}").format(terms="; ".join(g["label"] for g in vocab.grades.values())))]
    return pd.DataFrame([{"column": c, "meaning": m, "unit": ""} for c, m in rows])


MEANINGS = {  # column -> meaning; "DERIVED" marks our arithmetic, counts or choices
    "figure_id": N_("Our id for one reported figure (one number from one source)"),
    "source_id": N_("Our id for a source; joins to sources.csv"), "event_id": N_("Our id for an event"),
    "spec_id": N_("Our id for one reported chip spec"), "term_id": N_("Our id for one export-rule term"),
    "chip_id": N_("Chip id"), "chip": N_("Chip name"), "vendor": N_("Chip vendor"),
    "stage": N_("Pipeline stage (see the Sources and method page)"), "metric": N_("What the number measures"),
    "measure": N_("Optional id telling apart different quantities of one stage (e.g. per-customer vs total cap)"),
    "value": N_("The number as the source reports it; read it with bound and unit"),
    "reported": N_("The figure in words, with its bound and unit (e.g. '≥ 400,000 chips', 'none reported')"),
    "value_high": N_("Upper end when bound = range; empty otherwise"),
    "unit": N_("Unit of value"), "bound": N_("How the source bounds the number"),
    "as_of_date": N_("The date the figure describes (not when it was published)"),
    "as_of_precision": N_("How precisely the source dates it (day, approx_day, month, quarter, year)"),
    "published_date": N_("When the source was published"), "effective_date": N_("When the rule applies"),
    "date": N_("The event's date"), "date_precision": N_("How precisely the date is known"),
    "category": N_("Event category"),
    "title": N_("Title of the event (event tables) or of the source document (sources.csv)"),
    "source_title": N_("Title of the source document"), "description": N_("What happened"),
    "publisher": N_("Who published the source"), "via": N_("The outlet the source was read through"),
    "grade": N_("Source grade"),
    "url": N_("Link to the source (http/https only; empty when none)"),
    "quote": N_("The source's own words the number is taken from"), "notes": N_("Curator's notes"),
    "companies": N_("Companies named; names joined by ' + ' are one combined figure, not split"),
    "ratio_id": N_("Our id for a ratio a source states itself"),
    "reference_chip": N_("The chip the ratio compares against"), "reference_chip_id": N_("Reference chip id"),
    "basis": N_("The metric the source says the ratio compares, or not stated"),
    "rule": N_("The export rule"), "sparsity": N_("Dense or sparse figure, as the source states"),
    "ref_spec_id": N_("The reference chip's spec used for ratio_to_reference"),
    "ref_chip": N_("The reference chip (ratios are to it = 1)"),
    "ref_value": N_("The reference chip's value"), "ref_bound": N_("The reference value's bound"),
    "ref_publisher": N_("Who published the reference value"),
    "headline_rule": N_("How the headline report is chosen among several"),
    "shared": N_("DERIVED: true when several companies share one combined figure"),
    "n_companies": N_("DERIVED: how many companies the figure names"),
    "ratio_to_reference": N_("DERIVED: value ÷ the reference chip's value of the same metric (ref_value)"),
    "ratio_note": N_("DERIVED: whether the ratio's inputs carry bounds"),
    "derived": N_("DERIVED: true on rows we computed rather than copied from a source"),
    "reports": N_("DERIVED: how many sources report this same quantity"),
    "spread": N_("DERIVED: largest ÷ smallest of those reports"),
    "headline": N_("DERIVED: true for the report the headline uses"),
    **{k: N_("DERIVED: how many {table} rows cite this source") for k in ("figures", "specs", "events", "terms")},
}
UNITS = {**dict.fromkeys(("value", "value_high", "ref_value"), N_("as in the unit column")),
         **dict.fromkeys(("as_of_date", "published_date", "effective_date", "date"), N_("YYYY-MM-DD")),
         **dict.fromkeys(("ratio_to_reference", "spread"), N_("ratio (×)")), "url": N_("http(s) URL"),
         **dict.fromkeys(("n_companies", "reports", "figures", "specs", "events", "terms"), N_("count")),
         **dict.fromkeys(("shared", "headline", "derived"), N_("true/false"))}
UNKNOWN = N_("see the Sources and method page")


def _dictionary(csvs: dict[str, pd.DataFrame], extra: pd.DataFrame | None) -> pd.DataFrame:
    meanings = {k: _(v).format(table=k) for k, v in MEANINGS.items()}  # in the view's language
    units = {k: _(v) for k, v in UNITS.items()}
    for row in ([] if extra is None else extra.to_dict("records")):  # the caller's win
        meanings[row["column"]] = row["meaning"]
        units[row["column"]] = row["unit"] if pd.notna(row.get("unit")) else ""
    return pd.DataFrame([{"table": name, "column": col, "dtype": str(sample(frame)[col].dtype),
                          "meaning": meanings.get(col, _(UNKNOWN)), "unit": units.get(col, "")}
                         for name, frame in csvs.items() for col in sample(frame).columns],
                        columns=["table", "column", "dtype", "meaning", "unit"])


def _readme(view: str, tables: list[str], url: str | None, today: dt.date) -> str:
    width = max(len(n) for n in [*tables, "data_dictionary.csv"]) + 2
    files = [("README.txt", _("this file")), ("CITATION.txt", _("the citation to paste into a memo")),
             ("VIEW_URL.txt", _("the link that reproduces this view, filters included")),
             *[(t, _("rows behind the view, exactly as shown")) for t in tables],
             ("sources.csv", _("the sources, with grade and link")),
             ("data_dictionary.csv", _("every column of every CSV: type, meaning, unit"))]
    origin = flat(url) if url else _("a view whose link was not recorded")
    return "\n".join([f"{TOOL} — {flat(view)}", _("Exported {day} from {origin}").format(
                          day=f"{today:%Y-%m-%d}", origin=origin), "", _("Files:"),
                      *[f"  {n.ljust(width)}{what}" for n, what in files], "",
                      *_("Numbers are as the sources report them: read value with bound and unit.\n"
                         "Columns whose meaning starts with DERIVED are our arithmetic (ratios, spreads,\n"
                         "counts, the headline choice), not figures any source reported.\n"
                         "Text cells starting with = + - @, tab or CR get a leading ' so a spreadsheet\n"
                         "does not run them as formulas.").split("\n"), ""])


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
               ("VIEW_URL.txt", ((flat(url) if url else _("The link to this view was not recorded; "
                                                    "the filters are in CITATION.txt.")) + "\n").encode()),
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
