"""Regenerate tests/fixtures/hostile/ from tests/fixtures/data/ (run from the project root):

    .venv/bin/python tests/e2e/make_hostile.py

Same ids, numbers, dates, URLs and grades as the tiny fixture (so `python -m etl check` passes
and the charts have the same shape); only free-text cells carry payloads: HTML/script tags,
markdown and bare javascript: links, and spreadsheet formula prefixes (= + - @ tab CR).
The payload strings are imported by the e2e tests, so keep them here, in one place.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC, DST = ROOT / "tests" / "fixtures" / "data", ROOT / "tests" / "fixtures" / "hostile"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "<svg onload=alert(1)>"
MD_LINK = "[click](javascript:alert(1))"
MD_IMG = "![x](javascript:alert(1))"
A_TAG = '<a href="javascript:alert(1)">click</a>'
JS = "javascript:alert(1)"
HYPERLINK = '=HYPERLINK("http://x","click")'
PLUS = "+cmd|' /C calc'!A0"
MINUS = "-2+3"
AT = "@SUM(A1)"
TAB = "\t=1+1 leading tab"
CR = "\r=1+1 leading CR"
FORMULAS = (HYPERLINK, PLUS, MINUS, AT, TAB, CR)
HTML = (SCRIPT, IMG, SVG, A_TAG)

# table -> {row key (first column) -> {column: payload}}
PAYLOADS: dict[str, dict[str, dict[str, str]]] = {
    "companies": {
        "bytedance": {"name": SCRIPT},
        "alibaba": {"name": IMG},
        "tencent": {"name": HYPERLINK},
        "nvidia": {"name": MD_LINK},
    },
    "chips": {
        "h20": {"name": SVG, "notes": PLUS},
    },
    "sources": {
        "reuters_20260128_approvals": {"publisher": SCRIPT, "title": MD_LINK, "notes": HYPERLINK},
        "reuters_20260114_orders": {"publisher": JS, "title": IMG, "notes": AT},
        "heise_20251222_shipments": {"publisher": HYPERLINK, "title": A_TAG, "notes": TAB},
        "trendforce_20251223_bytedance": {"publisher": PLUS, "title": MD_IMG},
        "morgan_lewis_20260116_bis": {"publisher": MINUS, "title": SCRIPT, "notes": CR},
        "nvidia_h200_datasheet": {"publisher": AT, "title": JS},
        "chinacrunch_bernstein_tpp": {"publisher": TAB, "title": HYPERLINK},
    },
    "trade_figures": {
        "a01": {"metric": SCRIPT, "quote": HYPERLINK, "notes": MD_LINK},
        "a04": {"metric": IMG, "quote": PLUS, "notes": JS},
        "a05": {"metric": MD_LINK, "quote": MINUS, "notes": AT},
        "a11": {"metric": HYPERLINK, "quote": TAB, "notes": A_TAG},
        "a15": {"metric": A_TAG, "quote": AT, "notes": CR},
        "a20": {"metric": JS, "quote": SCRIPT, "notes": MINUS},
    },
    "events": {
        "bis_rule_20260113": {"title": SCRIPT, "description": HYPERLINK},
        "cn_approvals_20260128": {"title": MD_LINK, "description": IMG},
    },
    "chip_specs": {
        "h200_fp16_dense": {"quote": HYPERLINK, "notes": SCRIPT},
        "h20_tpp": {"quote": AT, "notes": MD_LINK},
    },
    "reported_ratios": {
        "six_times": {"quote": MD_IMG, "notes": HYPERLINK},
    },
    "policy_terms": {
        "b04": {"rule": SCRIPT, "quote": PLUS, "notes": HYPERLINK},
        "b05": {"rule": MD_LINK, "quote": TAB},
        "b03": {"rule": HYPERLINK, "notes": IMG},
    },
    "revisions": {
        "r001": {"reason": MD_LINK},
        "r002": {"old_value": SCRIPT, "reason": HYPERLINK},
    },
    "expected_reports": {
        "nvda_q1fy27_results": {"what": SCRIPT, "why_it_matters": MD_LINK, "would_update": HYPERLINK},
    },
}


def main() -> None:
    DST.mkdir(parents=True, exist_ok=True)
    for src in sorted(SRC.glob("*.csv")):
        table = src.stem
        with src.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            fields, rows = reader.fieldnames, list(reader)
        changes = PAYLOADS.get(table, {})
        for row in rows:
            row.update(changes.get(row[fields[0]], {}))
        with (DST / src.name).open("w", newline="", encoding="utf-8") as fh:
            # CRLF, as a spreadsheet saves it; it also makes the csv module quote the leading-CR cells
            writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\r\n")
            writer.writeheader()
            writer.writerows(rows)
    for extra in SRC.iterdir():
        if extra.suffix != ".csv" and extra.is_file():
            shutil.copy2(extra, DST / extra.name)


if __name__ == "__main__":
    main()
