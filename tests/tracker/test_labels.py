"""Numbers as analysts read them: the bound is always in the words."""
import datetime as dt

import pytest

from tests.words import with_words
from tracker import labels


def row(**kw):
    base = {"bound": "exact", "unit": "chips", "value": 700000.0, "value_high": None}
    return with_words({**base, **kw})


@pytest.mark.parametrize("kw, text", [
    ({"bound": "at_least", "value": 400000.0}, "≥ 400,000 chips"),
    ({"bound": "at_most", "value": 75000.0}, "≤ 75,000 chips"),
    ({"bound": "about"}, "≈ 700,000 chips"),
    ({"bound": "range", "value": 5000.0, "value_high": 10000.0, "unit": "modules"}, "5,000–10,000 modules"),
    ({"bound": "none_reported", "value": None}, "none reported"),
    ({"bound": "not_quantified", "value": None}, "reported, no number given"),
    ({"unit": "usd", "value": 400_000_000.0}, "$400.0 m"),
    ({"unit": "usd", "value": 10e9, "bound": "about"}, "≈ $10.0 bn"),
    ({"unit": "usd_per_chip", "value": 27000.0, "bound": "about"}, "≈ $27,000 per chip"),
    ({"unit": "percent", "value": 1.0, "bound": "at_most"}, "≤ 1%"),
])
def test_value_keeps_the_bound(kw, text):
    assert labels.value(row(**kw)) == text


def test_day_respects_precision():
    d = dt.date(2026, 1, 1)
    assert labels.day(d, "month") == "Jan 2026"
    assert labels.day(d, "quarter") == "Q1 2026"
    assert labels.day(d, "approx_day") == "c. 2026-01-01"
    assert labels.day(None) == "undated"


def test_shared_figures_say_so():
    text = labels.short({**row(bound="at_least", value=400000.0), "n_companies": 3,
                         "companies": "Alibaba + ByteDance + Tencent"})
    assert text == "≥ 400,000 chips · shared: Alibaba + ByteDance + Tencent"
