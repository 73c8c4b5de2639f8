"""Text alternatives of the charts (issue 11): one or two sentences made from the very frame a
chart draws, saying what is shown and its headline numbers with their bounds kept in words.

A lower bound reads "at least", an upper bound "at most", a range "between … and …"; "none
reported" is a dated fact, never a zero; a bin says how many reports it stands for. Pure: a
DataFrame in, a string out; numbers and dates through tracker.labels, words through `_`.
ui.chart_block shows the text under its chart ("Describe this chart").
"""
from __future__ import annotations

import pandas as pd
from babel.lists import format_list

from tracker import labels
from tracker.i18n import N_, _, locale, ngettext

BOUND_WORDS = {"about": N_("about {value}"), "at_least": N_("at least {value}"),
               "at_most": N_("at most {value}"), "less_than": N_("less than {value}")}
DIRECTED = ("at_least", "at_most", "less_than")  # a bin of these states its strongest claim


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA or v is pd.NaT


def _text(row, column: str) -> str:
    v = row.get(column) if hasattr(row, "get") else None
    return "" if _missing(v) else str(v)


def joined(items: list[str]) -> str:
    """'a, b and c' in the page's language."""
    items = [i for i in items if i]
    return format_list(items, locale=locale()) if items else ""


def number(row, v: float) -> str:
    """One value with its unit: '$1.2 bn', '700,000 chips', '989 TFLOPS'."""
    kind, prefix = _text(row, "unit_kind"), _text(row, "unit_prefix")
    # A row with the unit vocabulary's words ($ before, ' chips' after) uses them; a bare one
    # (spec rows) names its unit.
    suffix = _text(row, "unit_suffix") if kind else (f" {row['unit']}" if _text(row, "unit") else "")
    return f"{labels.number(v, kind, prefix)}{suffix}"


def amount(row, value: str = "value") -> str:
    """A reported value in words, its bound kept: 'at least 400,000 chips', 'between 5,000
    modules and 10,000 modules', 'none reported' (never 0)."""
    bound = _text(row, "bound")
    if bound == "none_reported":
        return _("none reported")
    if _missing(row.get(value)):
        return _("reported without a number")
    if bound == "range" and not _missing(row.get("value_high")):
        return _("between {low} and {high}").format(low=number(row, row[value]),
                                                   high=number(row, row["value_high"]))
    shown = number(row, row[value])
    return _(BOUND_WORDS[bound]).format(value=shown) if bound in BOUND_WORDS else shown


def bin_amount(row) -> str:
    """A bin of reports in words: its claim, bound kept, and how many reports it stands for."""
    lo, hi, n = row["value_min"], row["value_max"], int(row["reports"])
    if row["bound"] in DIRECTED or lo == hi:
        claim = amount({**row, "value": labels.bin_anchor(row), "value_high": None})
    else:
        claim = _("between {low} and {high}").format(low=number(row, lo), high=number(row, hi))
    return ngettext("{claim} ({n} report)", "{claim} ({n:,} reports)", n).format(claim=claim, n=n)


def _day(row, column: str, precision: str | None = None) -> str:
    return labels.day(row.get(column), precision)


def _span(dates: pd.Series) -> tuple[str, str]:
    d = pd.to_datetime(dates.dropna())
    return (labels.day(d.min()), labels.day(d.max())) if len(d) else (_("undated"), _("undated"))


def nothing(message: str) -> str:
    return message


# --- the charts ---------------------------------------------------------------------------
def pipeline(df: pd.DataFrame) -> str:
    """The headline figure per stage, in the chart's order (demand to delivery)."""
    if df.empty:
        return _("No figure matches the filters.")
    items = []
    for r in df.to_dict("records"):
        item = _("{stage}: {amount}").format(stage=r["stage_label"], amount=amount(r))
        if r.get("n_companies", 0) > 1:
            item = _("{item} (shared by {companies}, not split)").format(item=item, companies=r["companies"])
        if r["bound"] == "none_reported":
            item = _("{item} (as of {date})").format(item=item, date=_day(r, "as_of_date", r.get("as_of_precision")))
        items.append(item)
    return ngettext("Bar chart of the headline H200 figure for {n} stage: {items}.",
                    "Bar chart of the headline H200 figure for each of {n} stages, from demand to "
                    "delivery: {items}.", len(df)).format(n=len(df), items=joined(items))


def _counted(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["unit"].eq("chips") & df["value"].notna()]


def _extremes(counted: pd.DataFrame) -> str:
    """'The largest is at least 2,000,000 chips (Orders, as of 2026-01-15); the latest …'."""
    big = counted.loc[counted["value"].idxmax()]
    late = counted.sort_values(["as_of_date", "value"]).iloc[-1]
    def one(r) -> dict:
        return dict(amount=amount(r), stage=r["stage_label"], date=_day(r, "as_of_date", r.get("as_of_precision")))
    return _("The largest is {big_amount} ({big_stage}, as of {big_date}); the latest is {late_amount} "
             "({late_stage}, as of {late_date}).").format(
        **{f"big_{k}": v for k, v in one(big).items()}, **{f"late_{k}": v for k, v in one(late).items()})


def over_time(df: pd.DataFrame, events: pd.DataFrame | None = None) -> str:
    counted = _counted(df)
    if counted.empty:
        return _("No chip-count figure matches the filters.")
    start, end = _span(counted["as_of_date"])
    stages = joined(list(dict.fromkeys(counted.sort_values("stage_order")["stage_label"]
                                       if "stage_order" in counted else counted["stage_label"])))
    head = ngettext("Scatter chart of {n} reported chip count by as-of date ({start} to {end}, log scale), "
                    "stages: {stages}.",
                    "Scatter chart of {n:,} reported chip counts by as-of date ({start} to {end}, log "
                    "scale), stages: {stages}.", len(counted)).format(n=len(counted), start=start, end=end,
                                                                      stages=stages)
    return f"{head} {_extremes(counted)}{_events_tail(events)}"


def _events_tail(events: pd.DataFrame | None) -> str:
    if events is None or events.empty:
        return ""
    n = len(events)
    return " " + ngettext("{n} event is marked along the top.", "{n:,} events are marked along the top.",
                          n).format(n=n)


def _bins_text(bins: pd.DataFrame, grain: str) -> str:
    """What a binned chart stands for and its two headline marks (most reports, largest claim)."""
    start, end = _span(pd.concat([pd.to_datetime(bins["bin_start"]), pd.to_datetime(bins["bin_end"])]))
    reports = int(bins["reports"].sum())
    head = _("{reports:,} reported chip counts in {marks:,} marks, one per stage, bound and {grain}, "
             "from {start} to {end} (log scale; nothing is summed).").format(
        reports=reports, marks=len(bins), grain=grain, start=start, end=end)
    most = bins.loc[bins["reports"].idxmax()]
    anchors = bins.apply(labels.bin_anchor, axis=1)
    big = bins.loc[anchors.idxmax()]
    return head + " " + _("The busiest mark: {stage}, {period}, {most}; the largest: {big_stage}, "
                          "{big_period}, {big}.").format(
        stage=most["stage_label"], period=labels.day(most["bin_start"], grain), most=bin_amount(most),
        big_stage=big["stage_label"], big_period=labels.day(big["bin_start"], grain), big=bin_amount(big))


def over_time_bins(bins: pd.DataFrame, events: pd.DataFrame | None, grain: dict) -> str:
    if bins.empty:
        return _("No chip-count figure matches the filters.")
    return _bins_text(bins, grain["grain"]) + _events_tail(events)


def _events_head(events: pd.DataFrame) -> str:
    if events.empty:
        return _("No event matches the filters.")
    start, end = _span(events["date"])
    cats = joined(list(dict.fromkeys(events["category_label"])))
    latest = events.sort_values("date").iloc[-1]
    return ngettext("Timeline of {n} event ({categories}) from {start} to {end}; the latest: {date}, {title}.",
                    "Timeline of {n:,} events in {k} categories ({categories}) from {start} to {end}; "
                    "the latest: {date}, {title}.", len(events)).format(
        n=len(events), k=events["category_label"].nunique(), categories=cats, start=start, end=end,
        date=labels.day(latest["date"], latest.get("date_precision")), title=latest["title"])


def timeline(events: pd.DataFrame, figures: pd.DataFrame) -> str:
    counted = _counted(figures)
    if events.empty and counted.empty:
        return _("No event or figure matches the filters.")
    text = _events_head(events)
    if counted.empty:
        return text
    above = ngettext("Above them, {n} reported chip count (log scale).",
                     "Above them, {n:,} reported chip counts (log scale).", len(counted)).format(n=len(counted))
    return f"{text} {above} {_extremes(counted)}"


def timeline_bins(events: pd.DataFrame, bins: pd.DataFrame, grain: dict) -> str:
    if events.empty and bins.empty:
        return _("No event or figure matches the filters.")
    text = _events_head(events)
    return text if bins.empty else f"{text} {_bins_text(bins, grain['grain'])}"


def _words(v: object) -> str:
    return "" if _missing(v) or v == "n/a" else str(v).replace("_", " ")


def _spread(x: float) -> str:
    """Largest ÷ smallest, two decimals unless whole (1.0005 reads 1.00)."""
    return labels.number(float(x))


def reports(df: pd.DataFrame, group: list[str]) -> str:
    """Several reports of one quantity side by side: how many, and the widest spread."""
    if df.empty:
        return _("No quantity is reported by more than one source under these filters.")
    keys = [c for c in group if c in df]
    quantities = df.groupby(keys, dropna=False, sort=False)
    widest = df.loc[df["spread"].idxmax()]
    same = df
    for c in keys:
        same = same[same[c].isna()] if _missing(widest[c]) else same[same[c] == widest[c]]
    lo, hi = same.loc[same["value"].idxmin()], same.loc[same[["value"]].max(axis=1).idxmax()]
    head = same[same["headline"].astype(bool)]
    text = ngettext("{n:,} reports of {q} quantity reported more than once (marker colour and "
                    "letter: grade; shape: bound; ring: the headline report).",
                    "{n:,} reports of {q:,} quantities reported more than once, one row per quantity "
                    "(marker colour and letter: grade; shape: bound; ring: the headline report).",
                    quantities.ngroups).format(n=len(df), q=quantities.ngroups)
    spread = _("The widest spread: {quantity}, {k:,} reports from {low} to {high} (largest ÷ smallest "
               "{spread}×, DERIVED)").format(
        quantity=" · ".join(w for w in (_words(widest[c]) for c in keys) if w), k=len(same),
        low=amount(lo), high=amount(hi), spread=_spread(widest["spread"]))
    if not head.empty:
        h = head.iloc[0]
        spread = _("{spread}; its headline: {amount} ({publisher})").format(
            spread=spread, amount=amount(h), publisher=h["publisher"])
    return f"{text} {spread}."


def report_bins(bins: pd.DataFrame, group: list[str]) -> str:
    if bins.empty:
        return _("No quantity is reported by more than one source under these filters.")
    q = bins.groupby(["chip_id", "stage", "unit", "companies"], dropna=False).ngroups
    widest = bins.loc[bins["spread"].idxmax()]
    same = bins[(bins["chip_id"] == widest["chip_id"]) & (bins["stage"] == widest["stage"])
                & (bins["unit"] == widest["unit"])]
    return _("{n:,} reports of {q:,} quantities in {marks:,} marks, one per quantity, grade and bound. "
             "The widest spread: {quantity}, {k:,} reports (largest ÷ smallest {spread}×, DERIVED), "
             "from {low} to {high}.").format(
        n=int(bins["reports"].sum()), q=q, marks=len(bins),
        quantity=" · ".join(w for w in (_words(widest.get(c)) for c in group) if w),
        k=int(widest["quantity_reports"]), spread=_spread(widest["spread"]),
        low=number(widest, float(same["value_min"].min())), high=number(widest, float(same["value_max"].max())))


def ratio(r) -> str:
    """A DERIVED ratio with the bound of the value it divides ('at least 6.2×'); a ratio of two
    bounded values has no bound and says so."""
    shown = f"{labels.number(round(float(r['ratio_to_reference']), 2))}×"
    ref = _text(r, "ref_bound") or "exact"
    if ref != "exact" and _text(r, "bound") != "exact":
        return _("{ratio} (indicative: both values are bounds)").format(ratio=shown)
    bound = r["bound"] if ref == "exact" else {"at_least": "at_most", "at_most": "at_least"}.get(ref, ref)
    return _(BOUND_WORDS[bound]).format(value=shown) if bound in BOUND_WORDS else shown


def normalised(df: pd.DataFrame, metric_label: str, reference: str) -> str:
    if df.empty:
        return _("No value of this metric for the chosen chips, or no {ref} reference.").format(ref=reference)
    ref = df["ref_chip"].iloc[0]
    hi = df.loc[df["ratio_to_reference"].idxmax()]
    lo = df.loc[df["ratio_to_reference"].idxmin()]
    return ngettext(
        "DERIVED bar chart of {n} reported {metric} value relative to the {ref} (= 1): {chip} at {high} ({publisher}).",
        "DERIVED bar chart of {n} reported {metric} values relative to the {ref} (= 1). The highest: {chip} "
        "at {high} ({publisher}); the lowest: {low_chip} at {low} ({low_publisher}).", len(df)).format(
        n=len(df), metric=metric_label, ref=ref, chip=hi["chip"], high=ratio(hi), publisher=hi["publisher"],
        low_chip=lo["chip"], low=ratio(lo), low_publisher=lo["publisher"])


def against_threshold(df: pd.DataFrame, threshold: pd.Series | None, metric_label: str,
                      scale: float = 1.0) -> str:
    """How many reported values sit at or above the rule's limit, and which."""
    if df.empty:
        return _("No reported value for the chosen chips.")
    rows = df.assign(value=df["value"] * scale, value_high=df.get("value_high", pd.Series(dtype=float)) * scale)
    unit = _text(threshold, "unit") if threshold is not None else ""
    def item(r) -> str:
        return _("{chip} {amount} ({publisher})").format(
            chip=r["chip"], amount=amount({**r, "unit": unit} if unit else r), publisher=r["publisher"])
    if threshold is None:
        return ngettext("Bar chart of {n} reported {metric} value.", "Bar chart of {n} reported {metric} "
                        "values.", len(rows)).format(n=len(rows), metric=metric_label)
    limit = float(threshold["value"])
    over = rows[~rows["value"].lt(limit)]
    head = ngettext("Bar chart of {n} reported {metric} value against the limit of {rule}, {limit} "
                    "(effective {date}).",
                    "Bar chart of {n} reported {metric} values against the limit of {rule}, {limit} "
                    "(effective {date}).", len(rows)).format(
        n=len(rows), metric=metric_label, rule=threshold["rule"], limit=amount(threshold),
        date=labels.day(threshold["effective_date"]))
    if over.empty:
        tail = _("All are below it.")
    else:
        tail = ngettext("{k} is at or above it: {items}.", "{k} are at or above it: {items}.",
                        len(over)).format(k=len(over), items=joined([item(r) for r in over.to_dict("records")]))
    return f"{head} {tail}"


def scenario(frame: pd.DataFrame, filled: int | None) -> str:
    """SCENARIO, not data: where the supply starts and ends against the orders."""
    orders, supply = float(frame["orders"].iloc[0]), frame["cumulative_supply"]
    verdict = (_("the orders are met in month {m}").format(m=filled) if filled is not None
               else _("the orders are not met within {m} months").format(m=int(frame["month"].max())))
    cap = frame["cap_total"].dropna()
    text = _("SCENARIO, not data: line chart of cumulative supply month by month, from {start} chips to "
             "{end} chips, against orders of {orders} chips; {verdict}.").format(
        start=labels.number(float(supply.iloc[0])), end=labels.number(float(supply.iloc[-1])),
        orders=labels.number(orders), verdict=verdict)
    if not cap.empty:
        text += " " + _("The US cap for all customers is {cap} chips.").format(cap=labels.number(float(cap.iloc[0])))
    return text


def query_chart(fig) -> str:
    """The explorer's chart of a user's query: what it plots and the range of the values."""
    trace = fig.data[0]
    ys = [v for v in (trace.y if trace.y is not None else []) if not _missing(v)]
    x_title = fig.layout.xaxis.title.text or "x"
    y_title = fig.layout.yaxis.title.text or "y"
    if not ys:
        return _("Chart of your query's result: {y} by {x}, no values.").format(x=x_title, y=y_title)
    return ngettext("Chart of your query's result: {y} by {x}, {n} point, {low}.",
                    "Chart of your query's result: {y} by {x}, {n:,} points, from {low} to {high}.",
                    len(ys)).format(x=x_title, y=y_title, n=len(ys), low=labels.number(float(min(ys))),
                                    high=labels.number(float(max(ys))))
