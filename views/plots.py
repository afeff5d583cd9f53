"""Chart plumbing of the pages: render a plotly figure, make heatmap cells clickable, read the click."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
import streamlit as st

from soni import charts, texts
from views.safe_text import md

_SLUG = re.compile(r"[^A-Za-z0-9]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(text: str) -> str:
    """A file-name-safe ASCII form: "Quartier Südviertel" → "quartier-suedviertel"."""
    return _SLUG.sub("-", str(text).translate(_UMLAUTS)).strip("-").lower()[:80] or "diagramm"


def chart_config(filename: str) -> dict:
    """Plotly toolbar config: PNG download in print quality, German toolbar texts (locale handed along,
    nothing fetched), no logo."""
    return {
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": slug(filename)},
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "locale": "de",
        "locales": {"de": texts.PLOTLY_DE},
    }


#: Streamlit adds a "Fullscreen" button to every chart's toolbar with a fixed English title that plotly.js
#: does not translate; its tooltip is CSS (``content: attr(data-title)``), so static CSS (``views/frame.py``)
#: shows the German title instead.
MODEBAR_GERMAN = "".join(
    f'.modebar-btn[data-title="{english}"]::after{{content:"{texts.PLOTLY_DE["dictionary"][english]}"!important}}'
    for english in ("Fullscreen", "Close fullscreen"))


def is_phone() -> bool:
    """True when the browser says it is a phone ("Mobi" in its User-Agent, as the browsers' own convention)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no request (AppTest, warm-up)
        return False
    return "Mobi" in agent


def show_chart(fig: go.Figure, key: str, caption: str, *, filename: str | None = None,
               selectable: bool = False):
    """Render a figure (own colours, full width, PNG button, unique key) with its caption below.

    With ``selectable`` the chart reruns on a click and returns the selection event.
    """
    if is_phone():
        charts.compact(fig)
    kwargs = {"on_select": "rerun", "selection_mode": "points"} if selectable else {}
    event = st.plotly_chart(
        fig, key=key, width="stretch", theme=None, config=chart_config(filename or key), **kwargs
    )
    if caption:
        st.caption(md(caption))
    return event


def add_click_targets(fig: go.Figure, xs: Sequence[object], ys: Sequence[object],
                      keys: Sequence[Sequence[str]], texts_: Sequence[Sequence[str]] | None = None) -> go.Figure:
    """Invisible markers on the cell centres of a heatmap, so that a click selects a cell.

    Plotly heatmaps send no selection events to Streamlit; scatter points do. Each
    marker carries the cell's key in ``customdata``.
    """
    px, py, pk, pt = [], [], [], []
    for r, y in enumerate(ys):
        for c, x in enumerate(xs):
            px.append(x)
            py.append(y)
            pk.append(keys[r][c])
            pt.append(texts_[r][c] if texts_ is not None else "")
    fig.add_trace(
        go.Scatter(
            x=px, y=py, customdata=pk, text=pt, mode="markers", showlegend=False, name="",
            marker={"size": 70, "opacity": 0.0, "color": "#000000"},
            selected={"marker": {"opacity": 0.0}}, unselected={"marker": {"opacity": 0.0}},
            hovertemplate="%{text}<extra></extra>" if texts_ is not None else "<extra></extra>",
        )
    )
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig


def selected_keys(event) -> list[str]:
    """Cell keys (customdata) of the points selected in a chart event."""
    try:
        points = event.selection.points  # type: ignore[union-attr]
    except AttributeError:
        try:
            points = event["selection"]["points"]
        except (KeyError, TypeError):
            return []
    out = []
    for p in points or []:
        value = p.get("customdata") if isinstance(p, Mapping) else None
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if value:
            out.append(str(value))
    return out
