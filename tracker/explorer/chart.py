"""Pure chart builder for an explorer result: a quick look, not a publication chart."""
from __future__ import annotations

import html

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from tracker.i18n import _

MAX_POINTS = 1_000  # a 10,000-bar chart is slow in the browser and unreadable anyway


def _numeric(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def build_chart(frame: pd.DataFrame) -> go.Figure | None:
    """Line over the first date column, else bars over the first text column, else bars by row,
    of the first numeric column. None when there is no numeric column or no rows."""
    if frame is None or frame.empty:
        return None
    cols = [str(c) for c in frame.columns]
    data = frame.head(MAX_POINTS).copy()
    data.columns = cols
    numeric = [c for c in cols if _numeric(data[c])]
    if not numeric:
        return None
    y = numeric[0]
    dates = [c for c in cols if pd.api.types.is_datetime64_any_dtype(data[c])]
    texts = [c for c in cols if c not in numeric and c not in dates]
    # Labels come from user data and user SQL: escape them, plotly renders some HTML in text.
    label = {c: html.escape(c) for c in cols}
    if dates:
        x = dates[0]
        fig = px.line(data.sort_values(x), x=x, y=y, markers=True, labels=label)
    elif texts:
        x = texts[0]
        data[x] = data[x].map(lambda v: html.escape(str(v)), na_action="ignore")
        fig = px.bar(data, x=x, y=y, labels=label)
    else:
        data = data.reset_index(names="row")
        x = "row"
        fig = px.bar(data, x=x, y=y, labels=label)
    title = (_("{y} by {x} (first {n} rows)").format(y=y, x=x, n=f"{MAX_POINTS:,}") if len(frame) > MAX_POINTS
             else _("{y} by {x}").format(y=y, x=x))
    fig.update_layout(title=html.escape(title), margin=dict(t=40, b=10))
    return fig
