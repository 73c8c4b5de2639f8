"""tracker/charts/common.py: What every chart shares: data text escaped, the hover's facts, the empty chart's message."""
import plotly.io as pio

from tests.tracker.charts.frames import figures_frame, spec
from tracker import charts


def test_data_strings_are_escaped():
    text = pio.to_json(charts.pipeline(figures_frame()))
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_hover_has_value_bound_date_publisher():
    bar = [t for t in spec(charts.pipeline(figures_frame()))["data"] if t["type"] == "bar"][0]
    hover = bar["hovertext"][bar["y"].index("Chinese approvals")]
    for part in ("≥ 400,000 chips", "lower bound", "as of 2026-01-28", "Business Times",
                 "shared figure"):
        assert part in hover


def test_empty_frames_give_a_message_not_an_empty_axis():
    fig = spec(charts.pipeline(figures_frame().iloc[0:0]))
    assert fig["data"] == [] and "No figure matches" in fig["layout"]["annotations"][0]["text"]
