"""tracker/charts/timelines.py: Time charts: bound shapes on a log axis, other chips named, the legend's order and its shape key."""
import pandas as pd

from tests.words import with_words
from tests.tracker.charts.frames import figures_frame, spec
from tracker import charts


def test_over_time_uses_bound_shapes_and_a_log_axis():
    fig = spec(charts.over_time(figures_frame()))
    symbols = [s for t in fig["data"] if t.get("marker", {}).get("symbol")
               for s in t["marker"]["symbol"]]
    assert symbols.count("triangle-up") == 2
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert "chips" in fig["layout"]["yaxis"]["title"]["text"]


def test_time_charts_name_the_chip_of_non_h200_points():
    df = with_words(figures_frame().assign(
        chip_id=["h200", "h200", "h200", "h20"], chip=["H200 SXM", "H200 SXM", "H200 SXM", "H20"],
        metric=["orders", "approved", "shipped", "planned"], unit="chips",
        value=[2_000_000.0, 400_000.0, None, 5000.0]))
    for fig in (spec(charts.over_time(df)), spec(charts.timeline(df.iloc[:0].assign(
            event_id=[], date=[], date_precision=[], category=[], category_label=[],
            category_colour=[], title=[]), df))):
        points = [t for t in fig["data"] if t.get("name") in ("Orders", "Planned shipments")]
        text = {t["name"]: t["text"] for t in points}
        # each point names its stage (colour is not the only carrier) and a context chip
        assert text == {"Orders": ["Orders"], "Planned shipments": ["Planned shipments · H20"]}
        hover = next(t["hovertext"][0] for t in points if t["name"] == "Planned shipments")
        assert "H20" in hover and "planned" in hover


def test_time_chart_legend_follows_stage_order_and_leaves_room_for_names():
    fig = spec(charts.over_time(figures_frame().iloc[::-1]))  # approvals' row first
    names = [t["name"] for t in fig["data"] if t.get("name")]
    order = list(with_words(pd.DataFrame({"stage": ["cn_approved", "ordered"]}))
                 .sort_values("stage_order")["stage_label"])
    assert [n for n in names if n in order] == order  # demand → delivery, whatever the row order
    right = pd.Timestamp(fig["layout"]["xaxis"]["range"][1])
    assert right > figures_frame()["as_of_date"].max()  # a name drawn right of the last point fits


def test_time_chart_legend_explains_bound_shapes_in_words():
    df = with_words(figures_frame())
    fig = spec(charts.over_time(df))
    keys = {t["name"]: t["marker"]["symbol"] for t in fig["data"] if t.get("legendgroup") == "bounds"}
    drawn = {b for b in df.loc[df["value"].notna() & df["unit"].eq("chips"), "bound"]}
    assert keys and len(keys) == len(drawn)
    assert keys.get("▲ lower bound (at least)", "triangle-up") == "triangle-up"
    assert all(t["x"] == [None] for t in fig["data"] if t.get("legendgroup") == "bounds")  # legend only


def test_the_date_axis_leaves_room_for_the_longest_name_at_the_right():
    def right_end(chip: str) -> pd.Timestamp:
        df = with_words(figures_frame().assign(  # the latest point (approvals) names another chip
            chip=["H200 SXM", chip, "H200 SXM", "H200 SXM"], is_subject=[True, False, True, True], unit="chips",
            value=[2_000_000.0, 400_000.0, None, 5000.0]))
        return pd.Timestamp(spec(charts.over_time(df))["layout"]["xaxis"]["range"][1])

    short, long = right_end("H20"), right_end("GH200 Grace Hopper Superchip (context)")
    assert long > short > figures_frame()["as_of_date"].max()
