"""Frames the chart tests share, and the figure as the browser gets it."""
import json

import pandas as pd
import plotly.io as pio

from tests.words import with_words


def figures_frame():
    return with_words(pd.DataFrame({
        "figure_id": ["a04", "a01", "a20", "a11"],
        "stage": ["ordered", "cn_approved", "shipped", "planned_shipment"],
        "value": [2_000_000.0, 400_000.0, None, 5000.0],
        "value_high": [None, None, None, 10000.0],
        "unit": ["chips", "chips", "chips", "modules"],
        "bound": ["at_least", "at_least", "none_reported", "range"],
        "as_of_date": pd.to_datetime(["2025-12-31", "2026-01-28", "2026-01-28", "2025-12-22"]),
        "as_of_precision": ["approx_day", "day", "day", "day"],
        "companies": ["", "Alibaba + ByteDance + <script>x</script>", "", ""],
        "n_companies": [0, 3, 0, 0],
        "publisher": ["Paraluman", "Business Times", "Business Times", "heise"],
        "grade": ["H", "H", "H", "M"],
    }))


def spec(fig):
    """The figure as the browser gets it (plotly JSON)."""
    return json.loads(pio.to_json(fig))
