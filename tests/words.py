"""Test helper: give hand-made rows the words the database views add (stage_label,
bound_symbol, unit_suffix, ...), read from the fixture's reference CSVs, so unit tests of pure
builders use the data's vocabulary instead of spelling it again."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

REFERENCE = Path(__file__).resolve().parent / "fixtures" / "data"
JOINS = {  # key column -> (file, {file column: added column})
    "stage": ("stages", {"label": "stage_label", "colour": "stage_colour", "stage_order": "stage_order"}),
    "bound": ("bounds", {"label": "bound_label", "symbol": "bound_symbol"}),
    "unit": ("units", {"kind": "unit_kind", "prefix": "unit_prefix", "suffix": "unit_suffix"}),
    "category": ("categories", {"label": "category_label", "colour": "category_colour"}),
}


@lru_cache(maxsize=None)
def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / f"{name}.csv", dtype=str, keep_default_na=False, na_values=[""])


def subject_chips() -> set[str]:
    roles = reference("chip_roles")
    return set(roles.loc[roles["role"] == "subject", "chip_id"])


def with_words(rows):
    """A DataFrame (or one dict row) with the vocabulary columns of its coded columns."""
    one = isinstance(rows, dict)
    frame = pd.DataFrame([rows]) if one else rows.copy()
    for key, (name, columns) in JOINS.items():
        if key in frame:
            ref = reference(name).set_index(key)
            for source, target in columns.items():
                frame[target] = frame[key].map(ref[source])
                if target.endswith("_order"):
                    frame[target] = frame[target].astype("Int64")  # an INTEGER column in the views
    if "chip_id" in frame:
        frame["is_subject"] = frame["chip_id"].isin(subject_chips())
    if one:
        return {k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in frame.iloc[0].items()}
    return frame
