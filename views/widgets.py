"""Controls shared by the pages: pickers, the filter expander, progress."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

import pandas as pd
import streamlit as st

from soni import aggregate, schema, texts
from views.keys import Keys


def choice_state(key: str, options: Sequence[object], default: object = None) -> None:
    """Make the remembered value of a single-choice widget valid before the widget is drawn.

    A value that is no longer among the options (e.g. after new data) is replaced by
    ``default`` (or dropped, so the widget shows its first option). Widgets then get no
    ``index``/``default`` argument: their start value lives in the session state.
    """
    ss = st.session_state
    if key in ss and ss[key] in options:
        return
    if default is not None and default in options:
        ss[key] = default
    else:
        ss.pop(key, None)


def choices_state(key: str, options: Sequence[object]) -> None:
    """Drop remembered values of a multiselect that are no longer among the options."""
    if key in st.session_state:
        allowed = set(options)
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]


def quartier_picker(df: pd.DataFrame, *, label: str = texts.QUARTIER_LABEL, key: str = Keys.QUARTIER) -> str | None:
    """Selectbox ``texts.ALL_QUARTIERE`` + each Quartier; returns None for all."""
    options = [texts.ALL_QUARTIERE, *aggregate.quartiere_of(df)]
    choice_state(key, options)
    choice = st.selectbox(label, options, key=key)
    return None if choice == texts.ALL_QUARTIERE else choice


def metric_picker(*, key: str = Keys.METRIC, label: str = texts.METRIC_PICKER_LABEL) -> str:
    """Radio Anzahl/Stunden/Teilnehmende/Kosten; returns the metric key."""
    options = list(schema.METRICS)
    choice_state(key, options)
    return st.radio(
        label, options, key=key, horizontal=True, format_func=lambda m: texts.METRIC_SHORT.get(m, m),
        help=texts.METRIC_HELP,
    )


def share_toggle(*, key: str = Keys.SHARE) -> bool:
    return st.toggle(texts.SHARE_TOGGLE_LABEL, key=key, help=texts.SHARE_TOGGLE_HELP)


@dataclasses.dataclass
class Filters:
    traeger: list[str]
    zielgruppen: list[str]
    period_col: str | None
    periods: list[str]

    def apply(self, df: pd.DataFrame, quartiere: Iterable[str] | None = None) -> pd.DataFrame:
        return aggregate.filter_activities(
            df, quartiere=list(quartiere) if quartiere else None, traeger=self.traeger or None,
            zielgruppen=self.zielgruppen or None, period_col=self.period_col, periods=self.periods or None,
        )

    def active(self) -> bool:
        return bool(self.traeger or self.zielgruppen or self.periods)


def filter_controls(df: pd.DataFrame) -> Filters:
    """Träger, Zielgruppe and Zeitraum filters in an expander (shared across pages)."""
    traeger_opts = aggregate.values_of(df, schema.TRAEGER)
    ziel_opts = aggregate.values_of(df, schema.ZIELGRUPPE)
    choices_state(Keys.TRAEGER, traeger_opts)
    choices_state(Keys.ZIEL, ziel_opts)
    active = any(st.session_state.get(k) for k in (Keys.TRAEGER, Keys.ZIEL, Keys.PERIODS))
    with st.expander(texts.FILTER_TITLE + (texts.FILTER_ACTIVE if active else ""), expanded=active):
        c1, c2, c3 = st.columns([2, 2, 3])
        # no "Select all" (English, and redundant: an empty filter means all)
        traeger = c1.multiselect(schema.TRAEGER, traeger_opts, key=Keys.TRAEGER, select_all=False,
                                 placeholder=texts.ALL_TRAEGER)
        ziel = c2.multiselect(schema.ZIELGRUPPE, ziel_opts, key=Keys.ZIEL, select_all=False,
                              placeholder=texts.ALL_ZIELGRUPPEN)
        kinds = list(schema.PERIODS)
        choice_state(Keys.PERIOD_KIND, kinds, "Jahr")
        with c3:
            kind = st.segmented_control(texts.PERIOD_KIND_LABEL, kinds, key=Keys.PERIOD_KIND)
            kind = kind or "Jahr"
            column = schema.PERIODS[kind]
            period_opts = aggregate.period_values(df, column)
            choices_state(Keys.PERIODS, period_opts)
            periods = st.multiselect(kind, period_opts, key=Keys.PERIODS, select_all=False,
                                     placeholder=texts.ALL_PERIODS,
                                     help=texts.PERIOD_FILTER_HELP)
    traeger, ziel, periods = _unless_all(traeger, traeger_opts), _unless_all(ziel, ziel_opts), \
        _unless_all(periods, period_opts)
    return Filters(traeger, ziel, column if periods else None, [str(p) for p in periods])


def _unless_all(chosen: Sequence[object], options: Sequence[object]) -> list:
    """The choice of a filter, empty when every option is chosen ("Select all" = no filter: "alle Träger")."""
    return [] if options and set(chosen) >= set(options) else list(chosen)


def progress_reporter() -> Callable[[float, str], None]:
    """A progress bar with a line of text below it, as the callback ``soni`` functions take."""
    bar = st.progress(0.0)
    line = st.empty()

    def progress(fraction: float, text: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0))
        line.text(text)

    return progress
