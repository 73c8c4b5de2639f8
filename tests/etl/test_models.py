import datetime as dt

import pytest
from pydantic import ValidationError

from etl.models import MODELS, SPEC_UNITS, TERM_UNITS, parse_date, parse_number
from etl.tables import TABLES


def test_models_mirror_table_columns():
    for t in TABLES:
        assert tuple(MODELS[t.name].model_fields) == t.columns, t.name


@pytest.mark.parametrize("s,ok", [("2026-01-28", True), ("2024-02-29", True), ("2026-02-29", False),
                                  ("2026-1-28", False), ("20260128", False), ("2026-01-28T00:00", False)])
def test_parse_date(s, ok):
    if ok:
        assert parse_date(s) == dt.date.fromisoformat(s)
    else:
        with pytest.raises(Exception):
            parse_date(s)


@pytest.mark.parametrize("s,want", [("0", 0.0), ("4.8", 4.8), ("1e3", 1000.0), ("-5", -5.0)])
def test_parse_number_accepts(s, want):
    assert parse_number(s) == want


@pytest.mark.parametrize("s", ["1,000", "1 000", "NaN", "-inf", "Infinity", "1e999", ".5", "5.", "0x10", ""])
def test_parse_number_rejects(s):
    with pytest.raises(Exception):
        parse_number(s)


def test_schema_vocabularies_match_models():
    """The schema CHECKs and the models must allow the same metrics and units."""
    from pathlib import Path
    schema = (Path(__file__).resolve().parents[2] / "etl" / "schema.sql").read_text()
    for metric, unit in {**SPEC_UNITS, **TERM_UNITS}.items():
        assert f"'{metric}'" in schema and f"'{unit}'" in schema


def test_trade_figure_cross_field_rules():
    base = dict(figure_id="a", chip_id="h200", stage="shipped", metric="m", value=None, value_high=None,
                unit="chips", bound="none_reported", as_of_date="2026-01-28", as_of_precision="day",
                published_date="2026-01-28", source_id="s", quote="q", notes=None)
    assert list(MODELS["trade_figures"].model_validate(base).checks()) == []
    bad = {**base, "value": "0"}
    assert [c for c, _ in MODELS["trade_figures"].model_validate(bad).checks()] == ["value"]
    with pytest.raises(ValidationError):
        MODELS["trade_figures"].model_validate({**base, "value": "-1"})
