"""Plotly figures of the SONI grid, group comparisons, differences and periods.

Every function returns a self-contained ``go.Figure``: title, axis titles, white
background, explicit fonts and colours (no template or page theme needed),
German number separators. Empty input gives a figure with an explanatory note.
Heights are fixed per chart type; widths are left to the page (Streamlit stretches)
— exports should pass ``width=EXPORT_WIDTH`` (see ``export_size``).

Colours: ``FIELD_COLORS`` (Okabe-Ito, colour-blind safe) for fields everywhere;
a single-hue blue scale for amounts (monotonic in lightness, prints in greyscale);
orange-purple (PuOr) diverging around 0 for differences. Cell labels use plotly's
automatic text contrast.

User text (Quartier, Träger, period names, titles built from them) goes through ``escape``
wherever it enters a figure: plotly renders a subset of HTML (``<b>``, ``<br>``, ``<a href>``)
in titles, annotations, tick labels (also category values on an axis) and hover labels.
``customdata`` keeps the raw values: it is data for click handlers and never rendered as such.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from soni import aggregate, grid, schema, texts

#: One colour per field (Okabe-Ito), used by every chart with field colours.
FIELD_COLORS: dict[str, str] = {
    "Sozialstruktur": "#0072B2",  # blue
    "Organisation": "#E69F00",  # orange
    "Netzwerk": "#009E73",  # bluish green
    "Individuum": "#CC79A7",  # reddish purple
    grid.UNKLAR: "#999999",  # grey
    grid.KEIN_BEZUG: "#D9D9D9",  # light grey: outside social work, apart from "unklar"
}
#: Sequential single-hue scale (ColorBrewer Blues), light = little, dark = much.
SEQUENTIAL: list[list[float | str]] = [
    [0.0, "#f7fbff"],
    [0.125, "#deebf7"],
    [0.25, "#c6dbef"],
    [0.375, "#9ecae1"],
    [0.5, "#6baed6"],
    [0.625, "#4292c6"],
    [0.75, "#2171b5"],
    [0.875, "#08519c"],
    [1.0, "#08306b"],
]
#: Diverging scale (ColorBrewer PuOr): orange = below, white = equal, purple = above.
DIVERGING: list[list[float | str]] = [
    [0.0, "#b35806"],
    [0.15, "#e08214"],
    [0.3, "#fdb863"],
    [0.45, "#fee0b6"],
    [0.5, "#f7f7f7"],
    [0.55, "#d8daeb"],
    [0.7, "#b2abd2"],
    [0.85, "#8073ac"],
    [1.0, "#542788"],
]
FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"
TEXT_COLOR = "#222222"
#: Suggested export width in pixels (heights are set on each figure).
EXPORT_WIDTH = 1000
HEIGHTS: dict[str, int] = {"feld": 520, "aspekt": 680, "gruppen_min": 320, "zeitverlauf": 480, "differenz": 680}


# --- helpers ----------------------------------------------------------------------


def escape(text: object) -> str:
    """User text made inert for plotly (titles, annotations, tick labels, hovers).

    ``html.escape`` without quotes: plotly decodes ``&lt;``, ``&gt;``, ``&amp;`` and numeric
    entities but shows ``&quot;`` literally, and quotes are harmless once no tag can open.
    "%" becomes ``&#37;`` (shown as "%"), so a name is never read as a hover variable ``%{…}``.
    """
    return html.escape(str(text), quote=False).replace("%", "&#37;")


def export_size(fig: go.Figure) -> tuple[int, int]:
    """(width, height) to pass to ``fig.write_image`` for a consistent export."""
    width = fig.layout.width or EXPORT_WIDTH
    height = fig.layout.height or HEIGHTS["feld"]
    return int(width), int(height)


def _layout(fig: go.Figure, title: str, height: int, *, margin_left: int = 120, margin_bottom: int = 60) -> None:
    fig.update_layout(
        template="none",
        title={"text": escape(title), "x": 0.01, "xanchor": "left", "font": {"size": 18, "color": TEXT_COLOR}},
        font={"family": FONT_FAMILY, "size": 13, "color": TEXT_COLOR},
        separators=",.",
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin={"l": margin_left, "r": 40, "t": 80, "b": margin_bottom},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)


def _note(fig: go.Figure, text: str, y: float = -0.04) -> None:
    """A small note under the plot area."""
    fig.add_annotation(
        text=text, xref="paper", yref="paper", x=0, y=y, xanchor="left", yanchor="top",
        showarrow=False, align="left", font={"size": 12, "color": "#444444"},
    )


def empty_figure(title: str, message: str = texts.KEINE_DATEN, height: int = 360) -> go.Figure:
    """A figure with only a title and an explanatory message (for empty selections)."""
    fig = go.Figure()
    _layout(fig, title, height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
        font={"size": 15, "color": "#444444"},
    )
    return fig


def _empty_message(metric: str, unclear: float = 0) -> str:
    if unclear and unclear > 0:
        return (
            "Keine Aktivität dieser Auswahl ist einem SONI-Feld zugeordnet "
            f"({texts.fmt_metric(unclear, metric)} unklar)."
        )
    if metric != "anzahl":
        return f"Keine Angaben zu {texts.METRIC_SHORT.get(metric, metric)} in dieser Auswahl."
    return texts.KEINE_DATEN


def _hide_axes_lines(fig: go.Figure) -> None:
    fig.update_xaxes(showgrid=False, zeroline=False, showline=False, ticks="", fixedrange=True)
    fig.update_yaxes(showgrid=False, zeroline=False, showline=False, ticks="", fixedrange=True)


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_color_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` ("rgb(…)" or "#rrggbb") (WCAG ratio)."""
    rgb = pc.hex_to_rgb(fill) if fill.startswith("#") else pc.unlabel_rgb(fill)
    lum = _luminance(rgb)
    on_black = (lum + 0.05) / 0.05
    on_white = 1.05 / (lum + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"


def cell_fill(value: float, zmin: float, zmax: float, colorscale: list[list[float | str]]) -> str:
    """The colour a heatmap cell with ``value`` gets on ``colorscale`` between zmin and zmax."""
    if value is None or not np.isfinite(value):
        return "#ffffff"
    span = zmax - zmin
    with np.errstate(invalid="ignore", over="ignore"):
        frac = 0.0 if not span > 0 else float(np.clip((value - zmin) / span, 0, 1))
    return pc.sample_colorscale(colorscale, [frac if frac == frac else 0.0])[0]  # NaN (inf bounds): low end


def _cell_labels(
    z: np.ndarray | list, text: list[list[str]], x: list, y: list, zmin: float, zmax: float,
    colorscale: list[list[float | str]], *, xref: str = "x", yref: str = "y", size: int = 13,
) -> list[dict]:
    """Annotations writing ``text`` into each heatmap cell with a contrasting colour."""
    z = np.asarray(z, dtype="float64")
    labels = []
    for r, yv in enumerate(y):
        for c, xv in enumerate(x):
            color = text_color_on(cell_fill(z[r][c], zmin, zmax, colorscale))
            labels.append({
                "text": text[r][c], "x": xv, "y": yv, "xref": xref, "yref": yref, "showarrow": False,
                "font": {"size": size, "color": color}, "align": "center",
            })
    return labels


def _add_labels(fig: go.Figure, labels: list[dict]) -> None:
    fig.update_layout(annotations=[*fig.layout.annotations, *labels])


def _share_ticks(zmax: float, n: int = 5) -> dict:
    """Colour bar / axis ticks for shares, labelled in German ("20 %")."""
    step = _nice_step(zmax / (n - 1) if zmax > 0 else 0.25)
    vals = list(np.arange(0, zmax + step / 2, step))
    return {"tickvals": vals, "ticktext": [texts.fmt_share(v) for v in vals]}


#: Smallest half-range of the difference colour bar (0.05 = ±5 percentage points).
MIN_DIFFERENCE_RANGE = 0.05


def points_scale(max_abs: float, minimum: float = MIN_DIFFERENCE_RANGE, max_ticks: int = 5
                 ) -> tuple[float, list[float]]:
    """Symmetric colour range and ticks for differences of shares (0.01 = 1 percentage point).

    The half-range is at least ``minimum`` and a whole number of steps of 1, 2, 5, 10 or
    20 points, with at most ``max_ticks`` ticks on each side of 0: 0.003 → ±5 (ticks every 1),
    0.07 → ±8 (every 2), 0.3 → ±30 (every 10).
    """
    bound = max(max_abs if np.isfinite(max_abs) else 0.0, minimum, 1e-9)
    for step in (0.01, 0.02, 0.05, 0.1, 0.2):
        n = math.ceil(bound / step - 1e-9)
        if n <= max_ticks:
            break
    return round(n * step, 6), [round(k * step, 6) for k in range(-n, n + 1)]


def _nice_step(raw: float) -> float:
    for step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0):
        if raw <= step:
            return step
    return 1.0


def _unclear_note(unclear: object, metric: str, no_social: object = 0) -> str:
    parts = []
    if unclear and float(unclear) > 0:  # type: ignore[arg-type]
        parts.append(f"Nicht zugeordnet (unklar): {texts.fmt_metric(unclear, metric)}")
    if no_social and float(no_social) > 0:  # type: ignore[arg-type]
        parts.append(f"{grid.KEIN_BEZUG}: {texts.fmt_metric(no_social, metric)}")
    if parts:
        return " · ".join(parts)
    return ""


# --- 2×2 grid ---------------------------------------------------------------------


def soni_grid_figure(grid2x2: aggregate.FieldGrid, metric: str, title: str, share: bool = False) -> go.Figure:
    """The 2×2 SONI heatmap: System above, Lebenswelt below; S top-left, O top-right, N bottom-left,
    I bottom-right. Each cell shows field name, reference, value and share. ``grid2x2`` from
    ``aggregate.field_grid``; ``share`` colours (and leads with) the shares.
    """
    unclear = grid2x2.unklar
    table = grid2x2.table
    values = table.to_numpy(dtype="float64") if table.size else np.zeros((2, 2))
    total = float(np.nansum(values))
    if table.shape != (2, 2) or total <= 0:
        return empty_figure(title, _empty_message(metric, unclear), HEIGHTS["feld"])
    shares = values / total
    names = aggregate.grid_field_names()
    text = [[_grid_cell_text(names[r][c], values[r][c], shares[r][c], metric, share) for c in range(2)]
            for r in range(2)]
    z = shares if share else values
    zmax = float(z.max())
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[0, 1], y=[0, 1], text=text, customdata=names,
            hovertemplate="%{text}<extra></extra>", colorscale=SEQUENTIAL, zmin=0,
            zmax=zmax, showscale=False, xgap=4, ygap=4,
        )
    )
    _layout(fig, title, HEIGHTS["feld"])
    _add_labels(fig, _cell_labels(z, text, [0, 1], [0, 1], 0, zmax, SEQUENTIAL, size=15))
    _hide_axes_lines(fig)
    fig.update_xaxes(visible=False, range=[-0.5, 1.5])
    fig.update_yaxes(
        tickvals=[0, 1], ticktext=[f"<b>{lvl}</b>" for lvl in grid.LEVELS], autorange="reversed",
        tickfont={"size": 15}, title={"text": "Ebene"},
    )
    note = _unclear_note(unclear, metric, grid2x2.kein_sozialbezug)
    if note:
        _note(fig, note)
    return fig


def _grid_cell_text(name: str, value: float, share_value: float, metric: str, share: bool) -> str:
    field = grid.FIELD_BY_NAME[name]
    amount = texts.fmt_metric(value, metric)
    pct = texts.fmt_share(share_value)
    first, second = (pct, amount) if share else (amount, pct)
    refers_to = texts.wrap_label(field.refers_to, 20, sep="</i><br><i>")  # "Kommunalpolitik und -verwaltung"
    return f"<b>{name}</b><br><i>{refers_to}</i><br><b>{first}</b><br>{second}"


# --- 4×3 aspects ------------------------------------------------------------------


def aspect_figure(aspect_grid: aggregate.AspectGrid, metric: str, title: str, share: bool = False) -> go.Figure:
    """The 4×3 heatmap: rows S, O, N, I; columns the three aspects of each field, labelled in the cells.

    Shares are relative to the assigned total (including rows with a field but no aspect).
    """
    unclear = aspect_grid.unklar
    table = aspect_grid.table
    values = table.to_numpy(dtype="float64") if table.size else np.zeros((4, 3))
    no_aspect = aspect_grid.ohne_aspekt
    total = float(aspect_grid.gesamt)
    if table.shape != (4, 3) or total <= 0:
        return empty_figure(title, _empty_message(metric, unclear), HEIGHTS["aspekt"])
    shares = values / total
    labels = aggregate.aspect_labels().to_numpy()
    keys = aggregate.aspect_keys().to_numpy()
    text = []
    for r in range(4):
        row = []
        for c in range(3):
            amount = texts.fmt_metric(values[r][c], metric)
            pct = texts.fmt_share(shares[r][c])
            first, second = (pct, amount) if share else (amount, pct)
            row.append(f"{texts.wrap_label(labels[r][c], 22)}<br><b>{first}</b> ({second})")
        text.append(row)
    z = shares if share else values
    zmax = float(z.max()) or 1.0
    xs, ys = list(aggregate.ASPECT_POSITIONS), list(grid.FIELD_NAMES)
    fig = go.Figure(
        go.Heatmap(
            z=z, x=xs, y=ys, text=text, customdata=keys, hovertemplate="%{text}<extra></extra>",
            colorscale=SEQUENTIAL, zmin=0, zmax=zmax, showscale=False, xgap=3, ygap=3,
        )
    )
    _layout(fig, title, HEIGHTS["aspekt"], margin_left=150, margin_bottom=80)
    _add_labels(fig, _cell_labels(z, text, xs, ys, 0, zmax, SEQUENTIAL, size=13))
    _hide_axes_lines(fig)
    fig.update_xaxes(
        tickvals=list(aggregate.ASPECT_POSITIONS), ticktext=[f"Aspekt {p}" for p in aggregate.ASPECT_POSITIONS],
        side="top",
    )
    fig.update_yaxes(
        tickvals=list(grid.FIELD_NAMES),
        ticktext=[f"<b>{f.name}</b><br>{f.level}" for f in grid.FIELDS],
        autorange="reversed",
    )
    notes = []
    without = [(k, v) for k, v in no_aspect.items() if v and float(v) > 0]
    if without:
        notes.append("Ohne Aspekt: " + ", ".join(f"{k} {texts.fmt_metric(v, metric)}" for k, v in without))
    note = _unclear_note(unclear, metric, aspect_grid.kein_sozialbezug)
    if note:
        notes.append(note)
    if notes:
        _note(fig, "<br>".join(notes))
    return fig


# --- Quartiere side by side ---------------------------------------------------------


def small_multiples(
    df: pd.DataFrame,
    metric: str,
    quartiere: Iterable[str] | None = None,
    share: bool = False,
    title: str | None = None,
    *,
    cols: int = 3,
    by: str = schema.QUARTIER,
) -> go.Figure:
    """One 2×2 grid per Quartier (or per value of ``by``), side by side on one shared colour scale
    (``quartiere`` None = all)."""
    title = title or texts.chart_title("quartiere", metric, share)
    table = aggregate.by_group(df, by, metric).table if len(df) else None
    names = list(quartiere) if quartiere is not None else (list(table.index) if table is not None else [])
    if table is None or not names:
        return empty_figure(title, texts.KEINE_DATEN)
    table = table.reindex(names, fill_value=0)
    fields = table[list(grid.FIELD_NAMES)].astype("float64")
    if float(fields.to_numpy().sum()) <= 0:
        return empty_figure(title, _empty_message(metric, float(table[grid.UNKLAR].sum())))
    shares = aggregate.row_shares(fields)
    z_all = shares if share else fields
    zmax = float(z_all.to_numpy().max()) or 1.0
    cols = max(1, min(cols, len(names)))
    rows = -(-len(names) // cols)
    subtitles = [
        f"<b>{escape(q)}</b><br><sup>{texts.fmt_metric(fields.loc[q].sum(), metric)} zugeordnet</sup>"
        for q in names
    ]
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=subtitles, horizontal_spacing=0.04, vertical_spacing=0.12 / rows + 0.04
    )
    pos = aggregate.grid_field_names()
    labels: list[dict] = []
    for i, q in enumerate(names):
        r, c = divmod(i, cols)
        z = [[z_all.at[q, pos[row][col]] for col in range(2)] for row in range(2)]
        text = [
            [
                f"<b>{pos[row][col]}</b><br>"
                + (texts.fmt_share(shares.at[q, pos[row][col]]) if share
                   else texts.fmt_number(fields.at[q, pos[row][col]]))
                for col in range(2)
            ]
            for row in range(2)
        ]
        fig.add_trace(
            go.Heatmap(
                z=z, x=[0, 1], y=[0, 1], text=text, customdata=pos,
                hovertemplate=f"{escape(q)}<br>%{{text}}<extra></extra>", coloraxis="coloraxis", xgap=3,
                ygap=3, name=escape(q),
            ),
            row=r + 1, col=c + 1,
        )
        n_axis = "" if i == 0 else str(i + 1)
        labels.extend(
            _cell_labels(z, text, [0, 1], [0, 1], 0, zmax, SEQUENTIAL, xref=f"x{n_axis}", yref=f"y{n_axis}",
                         size=12)
        )
        fig.update_yaxes(
            tickvals=[0, 1], ticktext=list(grid.LEVELS) if c == 0 else ["", ""], autorange="reversed",
            row=r + 1, col=c + 1,
        )
    _layout(fig, title, 130 + 300 * rows, margin_left=100)
    _hide_axes_lines(fig)
    fig.update_xaxes(visible=False, range=[-0.5, 1.5])
    fig.update_layout(
        coloraxis={
            "colorscale": SEQUENTIAL, "cmin": 0, "cmax": zmax,
            "colorbar": {
                "title": {"text": "Anteil" if share else texts.METRIC_SHORT.get(metric, metric)},
                "thickness": 14,
                **(_share_ticks(zmax) if share else {"tickformat": ",.0f"}),
            },
        }
    )
    fig.update_annotations(font={"size": 14})
    _add_labels(fig, labels)
    return fig


# --- groups × fields ----------------------------------------------------------------


def group_field_heatmap(groups_table: aggregate.GroupTable | None, title: str) -> go.Figure:
    """Groups (Quartiere or periods) × fields S, O, N, I, coloured by each row's field shares.

    Works with ``aggregate.by_group`` output in either mode (shares are recomputed per row).
    """
    frame = groups_table.table if groups_table is not None else None
    if frame is None or len(frame) == 0 or not set(grid.FIELD_NAMES) <= set(frame.columns):
        return empty_figure(title, texts.KEINE_DATEN, HEIGHTS["gruppen_min"])
    fields = frame[list(grid.FIELD_NAMES)].astype("float64")
    keep = fields.sum(axis=1) > 0
    if not keep.any():
        return empty_figure(title, "Keine Aktivität dieser Auswahl ist einem SONI-Feld zugeordnet.",
                            HEIGHTS["gruppen_min"])
    shares = aggregate.row_shares(fields)
    metric = groups_table.metric
    absolute = not groups_table.share
    groups = [str(g) for g in frame.index]
    if absolute:
        ylabels = [f"{escape(g)} ({texts.fmt_number(fields.iloc[i].sum())})" for i, g in enumerate(groups)]
    else:
        ylabels = [escape(g) for g in groups]
    text = [[texts.fmt_share(v) if keep.iloc[i] else "–" for v in shares.iloc[i]] for i in range(len(groups))]
    z = shares.where(keep, np.nan).to_numpy()
    zmax = float(np.nanmax(z)) or 1.0
    xs = list(grid.FIELD_NAMES)
    fig = go.Figure(
        go.Heatmap(
            z=z, x=xs, y=ylabels, text=text, customdata=[[g] * 4 for g in groups],
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>", colorscale=SEQUENTIAL, zmin=0,
            zmax=zmax, xgap=2, ygap=2,
            colorbar={"title": {"text": "Anteil"}, "thickness": 14, **_share_ticks(zmax)},
        )
    )
    _add_labels(fig, _cell_labels(z, text, xs, ylabels, 0, zmax, SEQUENTIAL, size=13))
    by = frame.index.name or groups_table.by
    height = max(HEIGHTS["gruppen_min"], 150 + 34 * len(groups))
    _layout(fig, title, height, margin_left=200)
    _hide_axes_lines(fig)
    fig.update_yaxes(autorange="reversed", type="category", title={"text": escape(by), "standoff": 12})
    fig.update_xaxes(side="top", type="category")
    notes = []
    if absolute:
        notes.append(f"In Klammern: {texts.METRIC_LABELS.get(metric, metric)}, den Feldern zugeordnet.")
    notes.append("Anteile je Zeile, bezogen auf die zugeordneten Aktivitäten.")
    _note(fig, " ".join(notes), y=-0.02)
    return fig


# --- differences --------------------------------------------------------------------


def difference_figure(difference: aggregate.Difference | None, title: str) -> go.Figure:
    """Differences of shares (``aggregate.difference``): rows S, O, N, I; columns the field as a whole
    and its three aspects; diverging colours centred on 0 (purple = more, orange = less).
    """
    diff = difference.table if difference is not None else None
    if diff is None or len(diff) == 0 or diff["Differenz"].isna().all():
        return empty_figure(title, texts.KEINE_DATEN, HEIGHTS["differenz"])
    a = escape(difference.a)
    b_raw = difference.b
    # "… als der Durchschnitt aller Quartiere" / "… als Nordstadt"
    averages = {texts.average_label(by) for by in (schema.QUARTIER, difference.by)}
    b = f"der {escape(b_raw)}" if b_raw in averages else escape(b_raw)
    z, text, keys = [], [], []
    for f in grid.FIELDS:
        rows = diff[diff["Feld"] == f.name]
        field_row = rows[rows["Ebene"] == "Feld"].iloc[0]
        aspect_rows = rows[rows["Ebene"] == "Aspekt"]
        z.append([field_row["Differenz"], *aspect_rows["Differenz"].tolist()])
        keys.append([field_row["Schlüssel"], *aspect_rows["Schlüssel"].tolist()])
        line = [f"<b>{f.name} gesamt</b><br><b>{texts.fmt_points(field_row['Differenz'])}</b>"]
        for _, r in aspect_rows.iterrows():
            line.append(f"{texts.wrap_label(r['Aspekt'], 20)}<br><b>{texts.fmt_points(r['Differenz'])}</b>")
        text.append(line)
    zarr = np.array(z, dtype="float64")
    bound, tickvals = points_scale(float(np.nanmax(np.abs(zarr))) if np.isfinite(zarr).any() else 0.0)
    xs, ys = [0, 1, 2, 3], list(grid.FIELD_NAMES)
    fig = go.Figure(
        go.Heatmap(
            z=zarr, x=xs, y=ys, text=text, customdata=keys, hovertemplate="%{text}<extra></extra>",
            colorscale=DIVERGING, zmid=0, zmin=-bound, zmax=bound, xgap=3, ygap=3,
            colorbar={
                "title": {"text": "Prozentpunkte", "side": "right"}, "thickness": 14, "tickvals": tickvals,
                "ticktext": [texts.fmt_points(v).replace(" %-Pkt.", "") for v in tickvals], "ticks": "outside",
            },
        )
    )
    _add_labels(fig, _cell_labels(zarr, text, xs, ys, -bound, bound, DIVERGING, size=12))
    _layout(fig, title, HEIGHTS["differenz"], margin_left=130, margin_bottom=90)
    _hide_axes_lines(fig)
    fig.update_xaxes(
        tickvals=[0, 1, 2, 3], ticktext=["<b>Feld gesamt</b>", "Aspekt 1", "Aspekt 2", "Aspekt 3"], side="top"
    )
    fig.update_yaxes(autorange="reversed", tickvals=list(grid.FIELD_NAMES),
                     ticktext=[f"<b>{n}</b>" for n in grid.FIELD_NAMES])
    _note(
        fig,
        f"Lila: {a} hat hier einen höheren Anteil als {b}; orange: einen niedrigeren.<br>"
        "Anteile bezogen auf die jeweils zugeordneten Aktivitäten.",
    )
    return fig


# --- periods ------------------------------------------------------------------------


def period_figure(
    by_period: aggregate.GroupTable | None, metric: str, share: bool = False, title: str | None = None
) -> go.Figure:
    """Stacked bars per period (``aggregate.by_group`` by Jahr/Halbjahr/Quartal), fields S, O, N, I
    in ``FIELD_COLORS`` (+ "unklar" in grey for absolute values). ``share`` stacks to 100 %.
    The group without a period ("ohne Zeitangabe", "ohne Quartal …") is left out and mentioned in a note.
    """
    title = title or texts.chart_title("zeitverlauf", metric, share)
    frame = by_period.table if by_period is not None else None
    if frame is None or len(frame) == 0 or not set(grid.FIELD_NAMES) <= set(frame.columns):
        return empty_figure(title, texts.KEINE_DATEN, HEIGHTS["zeitverlauf"])
    undated = frame.loc[[i for i in frame.index if texts.is_undated(i)]]
    frame = frame.loc[[i for i in frame.index if not texts.is_undated(i)]]
    absolute_input = not by_period.share
    if len(frame) == 0:
        return empty_figure(title, "Keine Aktivität dieser Auswahl hat eine Zeitangabe.", HEIGHTS["zeitverlauf"])
    periods = [escape(i) for i in frame.index]
    columns = list(grid.FIELD_NAMES)
    if share:
        data = aggregate.row_shares(frame)
    else:
        data = frame[columns].astype("float64")
        for apart in (grid.UNKLAR, grid.KEIN_BEZUG):
            if apart in frame.columns and float(frame[apart].sum()) > 0 and absolute_input:
                columns.append(apart)
                data[apart] = frame[apart].astype("float64")
    if float(data.to_numpy().sum()) <= 0:
        return empty_figure(title, _empty_message(metric), HEIGHTS["zeitverlauf"])
    fig = go.Figure()
    for name in columns:
        values = data[name].to_numpy()
        labels = [texts.fmt_share(v) if share else texts.fmt_metric(v, metric) for v in values]
        fig.add_trace(
            go.Bar(
                x=periods, y=values, name=name, marker={"color": FIELD_COLORS[name]}, customdata=labels,
                hovertemplate=f"{name}<br>%{{x}}: %{{customdata}}<extra></extra>",
            )
        )
    _layout(fig, title, HEIGHTS["zeitverlauf"], margin_left=80, margin_bottom=90)
    by = by_period.table.index.name or by_period.by or "Zeitraum"
    fig.update_layout(
        barmode="stack", bargap=0.25,
        legend={"orientation": "h", "x": 0, "y": 1.02, "xanchor": "left", "yanchor": "bottom",
                "traceorder": "normal"},
    )
    fig.update_xaxes(type="category", title={"text": escape(by)}, showgrid=False, ticks="outside")
    fig.update_yaxes(
        title={"text": "Anteil" if share else texts.METRIC_LABELS.get(metric, metric)},
        **(_share_ticks(1.0) if share else {"tickformat": ",.0f"}),
        range=[0, 1] if share else None, gridcolor="#e5e5e5",
        zeroline=True, zerolinecolor="#999999",
    )
    if len(undated) and absolute_input:
        cols = [c for c in aggregate.FIELD_COLUMNS if c in undated.columns]
        n = float(undated[cols].sum(axis=1).iloc[0])
        if n > 0:
            label = str(undated.index[0])
            _note(fig, f"{label[:1].upper()}{label[1:]}, nicht dargestellt: {texts.fmt_metric(n, metric)}", y=-0.16)
    return fig


# --- phones -------------------------------------------------------------------------------

#: Width of a phone screen in CSS pixels that ``compact`` lays figures out for.
PHONE_WIDTH = 390
_TAG = re.compile(r"<[^>]+>")


_UNIT_WORD = re.compile(r"(?<=\d)\s+[^\d\s(%][^\s()]*")


def _short_label(text: str) -> str:
    """A cell label for a phone: its number without unit words ("6 Aktivitäten (3 %)" → "6 (3 %)");
    a label that opens with a bold name (the 2×2 grid's field) keeps that name."""
    lines = [line for line in re.split(r"<br\s*/?>", text or "") if _TAG.sub("", line).strip()]
    if not lines:
        return ""
    number = _UNIT_WORD.sub("", _TAG.sub("", lines[-1]))
    named = len(lines) >= 3 and lines[0].startswith("<b>")  # "<b>Netzwerk</b><br><i>Gemeinwesen</i>…"
    return f"{lines[0]}<br>{number}" if named else number


def compact(fig: go.Figure) -> go.Figure:
    """The same figure laid out for a phone (about 390 px wide), in place; returns it.

    Cell labels keep only their number (the name of a cell is on its axis and in its hover
    text), axis titles and colour bars go, tick labels and notes get smaller, the title wraps,
    margins shrink. The data are unchanged.
    """
    annotations = []
    for a in fig.layout.annotations:
        if a.xref == "paper" and a.yref == "paper":  # a note under the plot (or a subplot title)
            annotations.append(a.update(font={"size": 10}, text=texts.wrap_label(_TAG.sub("", a.text or ""), 52)
                                        if a.yanchor == "top" else a.text))
        else:  # a label inside a heatmap cell
            annotations.append(a.update(text=_short_label(a.text), font={"size": 11}))
    fig.update_layout(annotations=annotations)
    title = _TAG.sub("", fig.layout.title.text or "")
    fig.update_layout(
        title={"text": texts.wrap_label(title, 34), "font": {"size": 14}},
        margin={"l": 8, "r": 8, "t": 100, "b": 60},  # room for a wrapped title and subplot titles
        font={"size": 11},
        legend={"font": {"size": 10}},
    )
    fig.update_traces(showscale=False, selector={"type": "heatmap"})
    fig.update_coloraxes(showscale=False)
    fig.update_xaxes(title={"text": ""}, tickfont={"size": 10}, tickangle=0)
    if fig.layout.xaxis.type == "category" and not fig.layout.xaxis.ticktext:  # field names side by side
        fig.update_xaxes(tickangle=-40)
        fig.update_layout(margin={"t": 150})
    fig.update_yaxes(title={"text": ""}, tickfont={"size": 10})
    for axis in ("xaxis", "yaxis"):
        layout_axis = getattr(fig.layout, axis)
        ticktext = layout_axis.ticktext
        if ticktext:  # "Aspekt 1" → "1", "<b>Feld gesamt</b>" → "Feld"
            short = [_TAG.sub("", re.split(r"<br\s*/?>", str(t))[0]).replace("Aspekt ", "").replace(" gesamt", "")
                     for t in ticktext]
            setattr(fig.layout, axis, layout_axis.update(ticktext=short))
    return fig
