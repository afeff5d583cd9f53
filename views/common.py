"""Shared UI code of the pages (not a page itself): session state, loading, controls, charts.

The pages stay thin: they call ``require_inventory()`` (which stops with a
"no data" note), the control helpers and ``show_chart``; all computation is in
``soni``.

Privacy: uploaded bytes and their pipeline results live only in this session's
``st.session_state`` (keyed by a hash of the file bytes and the chosen options);
only the built-in sample goes through ``st.cache_data``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from soni import aggregate, pipeline, schema, texts
from soni.inventory import Inventory
from soni.report import InputError

log = logging.getLogger(__name__)

# --- session-state keys ---------------------------------------------------------------
UPLOADS = "soni_uploads"  # list[tuple[name, bytes]] of the uploaded files (absent: sample)
DIGESTS = "soni_digests"  # {name: sha256 of the bytes}, computed once at upload
OPTIONS = "soni_options"  # {name: pipeline.Options}
CORRECTIONS = "soni_corrections"  # {Zeilen-ID: (field, aspect | None)}
CORRECTIONS_REV = "soni_corrections_rev"  # bumped on every change of CORRECTIONS
CACHE = "soni_cache"  # {data key: Inventory} — this session's pipeline results
CORRECTED = "soni_corrected"  # ((data key, corrections rev), Inventory)
PIPELINE_RUNS = "soni_pipeline_runs"  # how often this session ran the pipeline
UPLOADER_REV = "soni_uploader_rev"  # part of the file uploader's key (bumped to empty it)
UPLOAD_SIGNATURE = "soni_upload_signature"  # (name, file_id) of the files last processed
LOAD_ERROR = "soni_load_error"  # German message of the last failed load
NOTICE = "soni_notice"  # one-off message for the next run (e.g. after "Daten entfernen")
AUTO_SHEETS = "soni_auto_sheets"  # {file name: sheet the pipeline chose by itself}
EXPORT_RESULT = "soni_export_result"  # (stamp, {name: bytes}) of the last export build

SAMPLE_KEY = "sample"
#: Pipeline results kept per session (current data plus a few recent option variants).
CACHE_SIZE = 3

#: Widget keys whose values survive page switches (see ``keep_widget_state``).
PERSISTENT_KEYS: tuple[str, ...] = (
    "w_quartier", "w_metric", "w_share", "w_traeger", "w_ziel", "w_period_kind", "w_periods",
    "w_cmp_quartiere", "w_diff_a", "w_diff_b", "w_cmp_period_kind", "w_pdiff_a", "w_pdiff_b",
    "w_check_filter", "w_check_quartier", "w_export_quartiere", "w_export_metric", "w_export_formats",
)

PAGE_FILES: dict[str, str] = {
    "quartier": "views/quartier.py",
    "vergleich": "views/vergleich.py",
    "upload": "views/upload.py",
    "pruefen": "views/pruefen.py",
    "export": "views/export.py",
}


# --- state ---------------------------------------------------------------------------


def init_state() -> None:
    """Create every session key once (idempotent)."""
    ss = st.session_state
    ss.setdefault(OPTIONS, {})
    ss.setdefault(DIGESTS, {})
    ss.setdefault(CORRECTIONS, {})
    ss.setdefault(CORRECTIONS_REV, 0)
    ss.setdefault(CACHE, {})
    ss.setdefault(PIPELINE_RUNS, 0)
    ss.setdefault(UPLOADER_REV, 0)


def keep_widget_state() -> None:
    """Keep the values of shared widgets when the user switches pages.

    Streamlit drops the state of widgets that are not drawn in a run; writing the
    value back once per run (before any widget is drawn) keeps it.
    """
    for key in PERSISTENT_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def has_uploads() -> bool:
    return bool(st.session_state.get(UPLOADS))


def upload_names() -> list[str]:
    return [name for name, _ in st.session_state.get(UPLOADS) or []]


def clear_data() -> None:
    """Remove uploaded files, their results and corrections from the session (back to the sample)."""
    ss = st.session_state
    for key in (UPLOADS, DIGESTS, OPTIONS, CORRECTIONS, CACHE, CORRECTED, UPLOAD_SIGNATURE, LOAD_ERROR,
                EXPORT_RESULT, AUTO_SHEETS):
        ss.pop(key, None)
    for key in [k for k in ss if str(k).startswith("w_")]:  # widget values may quote the upload
        del ss[key]
    ss[UPLOADER_REV] = ss.get(UPLOADER_REV, 0) + 1
    ss[CORRECTIONS_REV] = ss.get(CORRECTIONS_REV, 0) + 1
    ss[NOTICE] = texts.CLEAR_DATA_DONE
    init_state()


def _options_signature(options: Mapping[str, pipeline.Options]) -> str:
    parts = []
    for name in sorted(options):
        o = options[name]
        if o.sheet is None and o.header_row is None and not o.mapping and not o.fill_down:
            continue  # the same as no options
        parts.append(repr((name, o.sheet, o.header_row, sorted((k, v or "") for k, v in o.mapping.items()),
                           o.fill_down)))
    return "|".join(parts)


def data_key(names: Sequence[str], digests: Mapping[str, str], options: Mapping[str, pipeline.Options]) -> str:
    """Key of a pipeline result: the files' content hashes and the chosen options."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update(digests[name].encode())
    h.update(_options_signature(options).encode())
    return h.hexdigest()


def current_key() -> str:
    ss = st.session_state
    if not has_uploads():
        return SAMPLE_KEY
    return data_key(upload_names(), ss[DIGESTS], ss[OPTIONS])


def _remember(key: str, inventory: Inventory) -> None:
    cache: dict[str, Inventory] = st.session_state[CACHE]
    cache.pop(key, None)
    cache[key] = inventory
    while len(cache) > CACHE_SIZE:
        oldest = next(k for k in cache if k != SAMPLE_KEY) if len(cache) > 1 else next(iter(cache))
        cache.pop(oldest)


@st.cache_data(show_spinner="Beispieldaten werden vorbereitet …", max_entries=1)
def _sample_inventory() -> Inventory:
    """The built-in (invented) sample, read once per server process."""
    from soni import sample

    return pipeline.run([(sample.SAMPLE_NAME, sample.sample_bytes())])


def sample_inventory() -> Inventory | None:
    """The built-in sample (``st.cache_data``), or None when it cannot be read."""
    try:
        return _sample_inventory()
    except (FileNotFoundError, InputError):
        log.warning("sample data not available")
        return None


def run_pipeline(files: list[tuple[str, bytes]], options: Mapping[str, pipeline.Options], *,
                 progress: Callable[[float, str], None] | None = None) -> Inventory:
    """``soni.pipeline.run`` for this session (counted in ``PIPELINE_RUNS``)."""
    st.session_state[PIPELINE_RUNS] = st.session_state.get(PIPELINE_RUNS, 0) + 1
    return pipeline.run(files, options=dict(options), progress=progress)


def progress_reporter() -> Callable[[float, str], None]:
    """A progress bar with a line of text below it, as the callback ``soni`` functions take."""
    bar = st.progress(0.0)
    line = st.empty()

    def progress(fraction: float, text: str) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0))
        line.text(text)

    return progress


def load_with_progress(files: list[tuple[str, bytes]], options: Mapping[str, pipeline.Options]
                       ) -> Inventory | None:
    """Run the pipeline with a visible progress bar; German error (never a traceback) on failure."""
    names = ", ".join(name for name, _ in files)
    with st.status(f"Lese {md(names)} …", expanded=True) as status:
        progress = progress_reporter()
        try:
            inventory = run_pipeline(files, options, progress=progress)
        except InputError as exc:
            status.update(label="Die Daten konnten nicht gelesen werden.", state="error", expanded=False)
            st.session_state[LOAD_ERROR] = exc.located()
            return None
        except Exception as exc:  # the user gets a German message, the log the details
            log_failure("pipeline failed", exc)
            status.update(label="Die Daten konnten nicht gelesen werden.", state="error", expanded=False)
            st.session_state[LOAD_ERROR] = (
                f"Beim Lesen ist ein unerwarteter Fehler aufgetreten ({type(exc).__name__}). "
                "Bitte prüfen Sie die Datei oder speichern Sie sie neu als .xlsx."
            )
            return None
        status.update(label=f"{len(inventory)} Aktivitäten gelesen.", state="complete", expanded=False)
    st.session_state.pop(LOAD_ERROR, None)
    return inventory


def log_failure(what: str, exc: BaseException) -> None:
    """Log an unexpected error for the operator: its type and where it happened, never its message.

    Messages of parsers and pandas may quote cells of the user's file, and uploads must not reach
    the server's log.
    """
    frames = "".join(traceback.format_tb(exc.__traceback__))
    log.error("%s: %s (Meldung nicht protokolliert)\n%s", what, type(exc).__name__, frames)


def accept_uploads(files: list[tuple[str, bytes]], options: Mapping[str, pipeline.Options] | None = None
                   ) -> bool:
    """Read new uploads; on success they become the session's data (corrections are reset)."""
    options = dict(options or {})
    inventory = load_with_progress(files, options)
    if inventory is None:
        return False
    ss = st.session_state
    ss[UPLOADS] = list(files)
    ss[DIGESTS] = {name: hashlib.sha256(data).hexdigest() for name, data in files}
    ss[OPTIONS] = options
    ss[CORRECTIONS] = {}
    ss[CORRECTIONS_REV] = ss.get(CORRECTIONS_REV, 0) + 1
    ss[CACHE] = {}
    ss.pop(CORRECTED, None)
    ss[AUTO_SHEETS] = {str(info.get("file")): info.get("sheet") for info in inventory.sources.values()}
    _remember(current_key(), inventory)
    return True


def apply_options(options: Mapping[str, pipeline.Options]) -> bool:
    """Re-read the current uploads with changed options (sheet, mapping); corrections are kept."""
    ss = st.session_state
    files = list(ss.get(UPLOADS) or [])
    key = data_key([n for n, _ in files], ss[DIGESTS], options)
    if key not in ss[CACHE]:
        inventory = load_with_progress(files, options)
        if inventory is None:
            return False
        _remember(key, inventory)
    ss[OPTIONS] = dict(options)
    return True


def raw_inventory() -> Inventory | None:
    """The session's pipeline result before corrections (sample without uploads), or None."""
    ss = st.session_state
    init_state()
    key = current_key()
    cached = ss[CACHE].get(key)
    if cached is not None:
        return cached
    if has_uploads():
        inventory = load_with_progress(list(ss[UPLOADS]), ss[OPTIONS])
    else:
        inventory = sample_inventory()
    if inventory is not None:
        _remember(key, inventory)
    return inventory


def inventory() -> Inventory | None:
    """The session's data with the user's corrections applied (cached per corrections revision)."""
    raw = raw_inventory()
    if raw is None:
        return None
    corrections: dict = st.session_state[CORRECTIONS]
    if not corrections:
        return raw
    stamp = (current_key(), st.session_state[CORRECTIONS_REV])
    cached = st.session_state.get(CORRECTED)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    from soni.classify import apply_corrections

    ids = set(raw.activities[schema.ZEILEN_ID].astype(str))
    relevant = {k: v for k, v in corrections.items() if k in ids}
    activities = apply_corrections(raw.activities, relevant) if relevant else raw.activities
    corrected = dataclasses.replace(raw, activities=activities)
    st.session_state[CORRECTED] = (stamp, corrected)
    return corrected


def inventory_xlsx(inv: Inventory) -> bytes:
    """The classified inventory as xlsx: every original column plus the five SONI columns.

    Uploading it again gives the same assignment (the file contract of ``pipeline.export_frame``).
    """
    from soni.export import safe

    return safe.to_xlsx_bytes({"Aktivitäten": pipeline.export_frame(inv)})


def inventory_csv(inv: Inventory) -> bytes:
    """Like ``inventory_xlsx`` as CSV (formula-safe)."""
    from soni.export import safe

    return safe.to_csv_bytes(pipeline.export_frame(inv))


def set_corrections(corrections: Mapping[str, tuple[str, str | None]]) -> None:
    st.session_state[CORRECTIONS] = dict(corrections)
    st.session_state[CORRECTIONS_REV] = st.session_state.get(CORRECTIONS_REV, 0) + 1


def require_inventory() -> Inventory:
    """The data, or a "no data" note with a link to the upload page and ``st.stop()``."""
    inv = inventory()
    if inv is None or len(inv) == 0:
        error = st.session_state.get(LOAD_ERROR)
        if error:
            st.error(error)
        st.info(texts.NO_DATA)
        st.page_link(PAGE_FILES["upload"], label=texts.NO_DATA_LINK, icon=":material/upload_file:")
        st.stop()
    return inv


def source_label() -> str:
    """``texts.SAMPLE_SOURCE`` or the uploaded file names."""
    if has_uploads():
        return ", ".join(upload_names())
    return texts.SAMPLE_SOURCE


def source_names(inv: Inventory) -> list[str]:
    """File names for chart captions (the sample says so)."""
    if not has_uploads():
        return [texts.SAMPLE_SOURCE]
    return upload_names()


# --- safe text -----------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:>])")


def md(text: object) -> str:
    """User text made inert for Markdown widgets (st.markdown, st.caption, st.info, …).

    Markdown/HTML characters are escaped, so a title like ``<script>`` or ``**x**`` appears literally.
    """
    s = str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("\n", "  \n")


def keep_units(text: str) -> str:
    """No line break between a number and its unit ("25 %", "1.200 €"): a no-break space before them."""
    return re.sub(r"(?<=\d) (?=%|€|Prozentpunkte|%-Pkt)", "\u00a0", text)


def show_notice() -> None:
    """Show (once) a message left by an action of the previous run."""
    message = st.session_state.pop(NOTICE, None)
    if message:
        st.toast(message, icon=":material/info:")


# --- controls --------------------------------------------------------------------------


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


def values_of(df: pd.DataFrame, column: str) -> list[str]:
    """Distinct non-empty values of a text column, sorted (German-friendly casefold)."""
    if column not in df.columns:
        return []
    s = df[column]
    values = s.cat.categories if isinstance(s.dtype, pd.CategoricalDtype) else s.unique()
    present = set(s.unique()) if isinstance(s.dtype, pd.CategoricalDtype) else None
    out = {str(v) for v in values if not pd.isna(v) and str(v).strip() and (present is None or v in present)}
    return sorted(out, key=lambda v: (v == schema.OHNE_QUARTIER, v.casefold()))


def quartiere_of(df: pd.DataFrame) -> list[str]:
    return values_of(df, schema.QUARTIER)


def quartier_picker(df: pd.DataFrame, *, label: str = "Quartier", key: str = "w_quartier") -> str | None:
    """Selectbox ``texts.ALL_QUARTIERE`` + each Quartier; returns None for all."""
    options = [texts.ALL_QUARTIERE, *quartiere_of(df)]
    choice_state(key, options)
    choice = st.selectbox(label, options, key=key)
    return None if choice == texts.ALL_QUARTIERE else choice


def metric_picker(*, key: str = "w_metric", label: str = texts.METRIC_PICKER_LABEL) -> str:
    """Radio Anzahl/Stunden/Teilnehmende/Kosten; returns the metric key."""
    options = list(schema.METRICS)
    choice_state(key, options)
    return st.radio(
        label, options, key=key, horizontal=True, format_func=lambda m: texts.METRIC_SHORT.get(m, m),
        help=texts.METRIC_HELP,
    )


def share_toggle(*, key: str = "w_share") -> bool:
    return st.toggle(texts.SHARE_TOGGLE_LABEL, key=key, help=texts.SHARE_TOGGLE_HELP)


def empty_note(df: pd.DataFrame) -> None:
    """Say so when the filters leave no activity (the charts then show only their empty message)."""
    if len(df) == 0:
        st.info(texts.EMPTY_SELECTION, icon=":material/filter_alt_off:")


def missing_note(df: pd.DataFrame, metric: str) -> None:
    """Say how many rows lack the chosen metric (they are not counted)."""
    if metric == "anzahl" or len(df) == 0:
        return
    values = aggregate.metric_values(df, metric)
    missing = int(values.isna().sum())
    if missing:
        st.caption(
            f"Für {texts.fmt_number(missing)} von {texts.fmt_number(len(df))} Aktivitäten fehlt die Angabe "
            f"{texts.METRIC_SHORT[metric]}; sie zählen bei dieser Kennzahl nicht mit."
        )


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
    traeger_opts = values_of(df, schema.TRAEGER)
    ziel_opts = values_of(df, schema.ZIELGRUPPE)
    choices_state("w_traeger", traeger_opts)
    choices_state("w_ziel", ziel_opts)
    active = any(st.session_state.get(k) for k in ("w_traeger", "w_ziel", "w_periods"))
    with st.expander("Filter: Träger, Zielgruppe, Zeitraum" + (" (aktiv)" if active else ""), expanded=active):
        c1, c2, c3 = st.columns([2, 2, 3])
        traeger = c1.multiselect("Träger", traeger_opts, key="w_traeger", placeholder="alle Träger")
        ziel = c2.multiselect("Zielgruppe", ziel_opts, key="w_ziel", placeholder="alle Zielgruppen")
        kinds = list(schema.PERIODS)
        choice_state("w_period_kind", kinds, "Jahr")
        with c3:
            kind = st.segmented_control("Zeitraum nach", kinds, key="w_period_kind")
            kind = kind or "Jahr"
            column = schema.PERIODS[kind]
            period_opts = period_values(df, column)
            choices_state("w_periods", period_opts)
            periods = st.multiselect(kind, period_opts, key="w_periods", placeholder="alle Zeiträume",
                                     help="Nach dem Beginn der Aktivität. Aktivitäten ohne Datum fallen "
                                          "heraus, sobald ein Zeitraum gewählt ist.")
    return Filters(list(traeger), list(ziel), column if periods else None, [str(p) for p in periods])


def period_values(df: pd.DataFrame, column: str) -> list[str]:
    """Known values of a period column as text, in time order."""
    if column not in df.columns:
        return []
    s = df[column]
    if column == schema.JAHR:
        return [str(int(y)) for y in sorted(pd.to_numeric(s, errors="coerce").dropna().unique())]
    return sorted(v for v in values_of(df, column) if v)


# --- charts --------------------------------------------------------------------------

_SLUG = re.compile(r"[^A-Za-z0-9]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(text: str) -> str:
    """A file-name-safe ASCII form: "Quartier Südviertel" → "quartier-suedviertel"."""
    return _SLUG.sub("-", str(text).translate(_UMLAUTS)).strip("-").lower()[:80] or "diagramm"


def chart_config(filename: str) -> dict:
    """Plotly toolbar config: PNG download in print quality, German-friendly, no logo."""
    return {
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": slug(filename)},
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def show_chart(fig: go.Figure, key: str, caption: str, *, filename: str | None = None,
               selectable: bool = False):
    """Render a figure (own colours, full width, PNG button, unique key) with its caption below.

    With ``selectable`` the chart reruns on a click and returns the selection event.
    """
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


def activity_table(df: pd.DataFrame, metric: str | None = None, *, limit: int = 500, key: str | None = None) -> None:
    """A read-only table of activities (user text is shown as data, never as Markdown)."""
    columns = [schema.TITEL, schema.QUARTIER, schema.TRAEGER, schema.ZIELGRUPPE, schema.BEGINN]
    if metric and schema.METRICS.get(metric):
        columns.append(schema.METRICS[metric])
    columns += [schema.SONI_FELD, schema.SONI_ASPEKT, schema.SONI_KONFIDENZ, schema.SONI_BEGRUENDUNG,
                schema.ZEILEN_ID]
    columns = [c for c in columns if c in df.columns]
    shown = df[columns].head(limit)
    if schema.SONI_KONFIDENZ in shown.columns:
        shown = shown.assign(**{schema.SONI_KONFIDENZ: (shown[schema.SONI_KONFIDENZ] * 100).round()})
    st.dataframe(
        shown, hide_index=True, width="stretch", key=key,
        column_config={
            schema.SONI_KONFIDENZ: st.column_config.ProgressColumn(
                "Konfidenz", min_value=0, max_value=100, format="%d %%"),
            schema.BEGINN: st.column_config.DateColumn("Beginn", format="DD.MM.YYYY"),
            schema.STUNDEN: st.column_config.NumberColumn(format="localized"),
            schema.KOSTEN: st.column_config.NumberColumn("Kosten (€)", format="localized"),
            schema.TEILNEHMENDE: st.column_config.NumberColumn(format="localized"),
        },
    )
    if len(df) > limit:
        st.caption(f"Die ersten {texts.fmt_number(limit)} von {texts.fmt_number(len(df))} Aktivitäten.")
