"""What the pages show about the chosen activities: notes on the selection and the activity table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from soni import aggregate, schema, texts


def empty_note(df: pd.DataFrame) -> None:
    """Say so when the filters leave no activity (the charts then show only their empty message)."""
    if len(df) == 0:
        st.info(texts.EMPTY_SELECTION, icon=":material/filter_alt_off:")


def missing_note(df: pd.DataFrame, metric: str) -> None:
    """Say how many rows lack the chosen metric (they are not counted)."""
    if metric == "anzahl" or len(df) == 0:
        return
    missing = int(aggregate.metric_values(df, metric).isna().sum())
    if missing:
        st.caption(texts.missing_metric_note(missing, len(df), metric))


def activity_table(df: pd.DataFrame, metric: str | None = None, *, limit: int = 500, key: str | None = None,
                   height: int | str = "auto") -> None:
    """A read-only table of activities (user text is shown as data, never as Markdown)."""
    columns = [schema.TITEL, schema.QUARTIER, schema.TRAEGER, schema.ZIELGRUPPE, schema.BEGINN]
    if metric and schema.METRICS.get(metric):
        columns.append(schema.METRICS[metric])
    columns += [schema.SONI_FELD, schema.SONI_ASPEKT, schema.SONI_KONFIDENZ, schema.SONI_BEGRUENDUNG,
                schema.ZEILEN_ID]
    columns = [c for c in columns if c in df.columns]
    if len(df) == 0:  # Streamlit would draw an empty grid with the English word "empty"
        st.caption(texts.NO_ROWS)
        return
    shown = df[columns].head(limit)
    if schema.BEGINN in shown.columns:  # a missing date as an empty cell, not "None"
        dates = pd.to_datetime(shown[schema.BEGINN], errors="coerce")
        shown = shown.assign(**{schema.BEGINN: dates.dt.strftime("%d.%m.%Y").fillna("")})
    if schema.SONI_KONFIDENZ in shown.columns:
        shown = shown.assign(**{schema.SONI_KONFIDENZ: (shown[schema.SONI_KONFIDENZ] * 100).round()})
    st.dataframe(
        shown, hide_index=True, width="stretch", key=key, height=height,
        column_config={
            schema.SONI_KONFIDENZ: st.column_config.ProgressColumn(
                texts.KONFIDENZ_LABEL, min_value=0, max_value=100, format="%d %%"),
            schema.BEGINN: st.column_config.TextColumn(schema.BEGINN, width="small"),
            schema.STUNDEN: st.column_config.NumberColumn(format="localized"),
            schema.KOSTEN: st.column_config.NumberColumn(texts.KOSTEN_LABEL, format="localized"),
            schema.TEILNEHMENDE: st.column_config.NumberColumn(format="localized"),
        },
    )
    if len(df) > limit:
        st.caption(texts.first_of(limit, len(df)))
