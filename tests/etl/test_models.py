import datetime as dt

import pytest
from pydantic import ValidationError

from etl.models import MODELS, Vocab, parse_date, parse_number
from etl.tables import TABLES


def test_models_mirror_table_columns():
    for t in TABLES:
        assert set(MODELS[t.name].model_fields) == set(t.columns), t.name


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


VOCAB = Vocab(bound_has_value={"none_reported": False, "exact": True},
              spec_metrics={"memory_gb": ("GB", "none"), "fp8_tflops": ("TFLOPS", "throughput")})


def test_trade_figure_cross_field_rules():
    base = dict(figure_id="a", chip_id="h200", stage="shipped", metric="m", value=None, value_high=None,
                unit="chips", bound="none_reported", as_of_date="2026-01-28", as_of_precision="day",
                published_date="2026-01-28", source_id="s", quote="q", notes=None, added_on="2026-12-01")
    assert list(MODELS["trade_figures"].model_validate(base).checks(VOCAB)) == []
    bad = {**base, "value": "0"}  # unknown is not zero: the bound's has_value (reference data) says so
    assert [c for c, _ in MODELS["trade_figures"].model_validate(bad).checks(VOCAB)] == ["value"]
    assert [c for c, _ in MODELS["trade_figures"].model_validate({**base, "bound": "exact"}).checks(VOCAB)] == ["value"]
    with pytest.raises(ValidationError):
        MODELS["trade_figures"].model_validate({**base, "value": "-1"})


def test_spec_rules_read_the_metric_vocabulary():
    base = dict(spec_id="p", chip_id="h200", metric="memory_gb", value="141", value_high=None, unit="GB",
                bound="exact", sparsity="n/a", source_id="s", quote="q", notes=None, added_on="2026-12-01")
    assert list(MODELS["chip_specs"].model_validate(base).checks(VOCAB)) == []
    wrong = MODELS["chip_specs"].model_validate({**base, "unit": "TB/s", "sparsity": "dense"}).checks(VOCAB)
    assert [c for c, _ in wrong] == ["unit", "sparsity"]
    throughput = MODELS["chip_specs"].model_validate({**base, "metric": "fp8_tflops", "unit": "TFLOPS"})
    assert [c for c, _ in throughput.checks(VOCAB)] == ["sparsity"]  # a throughput needs dense/sparse
