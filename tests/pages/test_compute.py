"""Compute equivalence and scenarios: DERIVED numbers with their inputs and bounds."""
import pytest

from tests.pages.helpers import charts, download_frame, downloads, run  # noqa: F401


def metrics(at):
    """Cards by role: the equivalents card is named after the reference chip."""
    return {("DERIVED: H20-equivalents" if m.label.endswith("-equivalents") else m.label): m.value
            for m in at.metric}


def test_sourced_quantity_carries_its_bound_through():
    at = run("compute")
    assert at.selectbox(key="w_qty_figure").value == "a01"  # the approved 400,000 by default
    got = metrics(at)
    # fixture: H200 989 TFLOPS dense, H20 148 → 400,000 × 989 / 148
    assert got["DERIVED: H20-equivalents"] == f"≥ {400_000 * 989 / 148:,.0f}"
    assert got["DERIVED: aggregate FP16/BF16 tensor"] == f"≥ {400_000 * 989 / 1000:,.0f} PFLOPS"
    inputs = at.dataframe[0].value
    assert list(inputs["input"]) == ["quantity", "chip value", "reference value"]
    assert inputs["url"].str.startswith("https://").all()


def test_typed_quantity_and_metric_change_the_result():
    at = run("compute")
    at.radio(key="w_qty_mode").set_value("typed").run()  # options are keys, shown translated
    at.number_input(key="w_qty").set_value(100).run()
    at.selectbox(key="w_calc_metric").set_value("tpp").run()
    got = metrics(at)
    assert got["DERIVED: H20-equivalents"] == f"{100 * 15832 / 2368:,.0f}"  # exact in, exact out
    at.selectbox(key="w_qty_bound").set_value("at_most").run()
    assert metrics(at)["DERIVED: H20-equivalents"].startswith("≤ ")


def test_missing_spec_says_unknown_not_zero():
    at = run("compute")
    at.selectbox(key="w_calc_metric").set_value("fp8_tflops").run()
    assert any("cannot be computed" in w.value for w in at.warning)
    assert "DERIVED: H20-equivalents" not in metrics(at)


def table_with(at, column):
    (frame,) = [d.value for d in at.dataframe if column in d.value.columns]
    return frame


def test_six_times_explainer_shows_the_sourced_claim_before_our_arithmetic(downloads):
    at = run("compute")
    (claim,) = table_with(at, "reference_chip").to_dict("records")
    assert (claim["chip"], claim["reference_chip"], claim["reported"], claim["basis"]) == \
        ("Nvidia H200", "Nvidia H20", "≈ 6×", "not_stated")
    assert claim["publisher"] == "The Business Times" and claim["url"].startswith("https://")
    assert "six times" in claim["quote"]
    csv = download_frame(at, "dl_reported-ratios", downloads)
    assert list(csv["ratio_id"]) == ["six_times"] and csv["quote"].str.contains("six times").all()
    # as known before the source was published: no claim yet, and a message, not an empty table
    at = run("compute", {"known": "2026-01-20"})
    assert not [d for d in at.dataframe if "reference_chip" in d.value.columns]
    assert any("ratio stated by a source" in i.value for i in at.info)


def test_six_times_explainer_names_the_metrics_that_match():
    table = table_with(run("compute"), "gives “about six times”?").set_index("metric")
    assert table.loc["Total processing performance (TPP)", "gives “about six times”?"] == "yes"
    assert table.loc["Memory (GB)", "gives “about six times”?"] == "no"
    assert table.loc["Memory (GB)", "ratio (DERIVED)"] == f"{141 / 96:.2f}×"
    assert table.loc["FP8 tensor (TFLOPS)", "ratio (DERIVED)"] == "—"  # not found: no number, not 0


def test_scenario_is_prefilled_from_sources_and_labelled():
    at = run("compute")
    assert at.number_input(key="w_sc_orders").value == 2_000_000
    assert at.number_input(key="w_sc_stock").value == 700_000
    spec = [c for c in charts(at) if "SCENARIO" in c["layout"]["title"]["text"]][0]
    assert "not met" in spec["layout"]["title"]["text"]  # no output assumed: stock never covers orders
    at.number_input(key="w_sc_monthly").set_value(100_000).run()
    spec = [c for c in charts(at) if "SCENARIO" in c["layout"]["title"]["text"]][0]
    assert "orders met in month 13" in spec["layout"]["title"]["text"]


def test_scenario_without_sourced_orders_gives_no_answer():
    at = run("compute", {"company": ["tencent"]})  # the fixture's orders name no company
    assert at.number_input(key="w_sc_orders").value == 0
    assert not [c for c in charts(at) if "SCENARIO" in c["layout"]["title"]["text"]]
    assert any("no sourced order count" in i.value for i in at.info)
    assert any("Orders: no sourced chip count" in c.value for c in at.caption)
    at.number_input(key="w_sc_orders").set_value(500_000).run()
    assert [c for c in charts(at) if "SCENARIO" in c["layout"]["title"]["text"]]
