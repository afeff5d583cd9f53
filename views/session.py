"""The session's data service: uploads, pipeline results (cached per session), corrections, messages.

Privacy: uploaded bytes and their pipeline results live only in this session's
``st.session_state`` (keyed by a hash of the file bytes and the chosen options);
only the built-in sample goes through ``st.cache_data``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import traceback
from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from soni import pipeline, schema, texts, years
from soni.inventory import Inventory
from soni.report import InputError
from views import server
from views.keys import PAGE_FILES, Keys
from views.safe_text import md
from views.widgets import progress_reporter

log = logging.getLogger(__name__)

SAMPLE_KEY = "sample"
#: Pipeline results kept per session (current data plus a few recent option variants).
CACHE_SIZE = 3


def init_state() -> None:
    """Create every session key once (idempotent)."""
    ss = st.session_state
    ss.setdefault(Keys.OPTIONS, {})
    ss.setdefault(Keys.DIGESTS, {})
    ss.setdefault(Keys.CORRECTIONS, {})
    ss.setdefault(Keys.CORRECTIONS_REV, 0)
    ss.setdefault(Keys.CACHE, {})
    ss.setdefault(Keys.PIPELINE_RUNS, 0)
    ss.setdefault(Keys.UPLOADER_REV, 0)


def keep_widget_state() -> None:
    """Keep the values of shared widgets when the user switches pages.

    Streamlit drops the state of widgets that are not drawn in a run; writing the
    value back once per run (before any widget is drawn) keeps it.
    """
    for key in Keys.PERSISTENT:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def has_uploads() -> bool:
    return bool(st.session_state.get(Keys.UPLOADS))


def is_sample() -> bool:
    """The session shows the built-in sample (no uploads, no saved inventory opened)."""
    return not has_uploads() and Keys.OPENED not in st.session_state


def upload_names() -> list[str]:
    return [name for name, _ in st.session_state.get(Keys.UPLOADS) or []]


def clear_data() -> None:
    """Remove uploaded files, their results and corrections from the session (back to the sample)."""
    ss = st.session_state
    for key in Keys.DATA:
        ss.pop(key, None)
    for key in [k for k in ss if str(k).startswith(Keys.WIDGET_PREFIX)]:  # widget values may quote the upload
        del ss[key]
    ss[Keys.UPLOADER_REV] = ss.get(Keys.UPLOADER_REV, 0) + 1
    ss[Keys.CORRECTIONS_REV] = ss.get(Keys.CORRECTIONS_REV, 0) + 1
    ss[Keys.NOTICE] = texts.CLEAR_DATA_DONE
    init_state()
    server.release_memory()  # the frames of the removed upload go back to the system


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
    return data_key(upload_names(), ss[Keys.DIGESTS], ss[Keys.OPTIONS])


def _remember(key: str, inventory: Inventory) -> None:
    cache: dict[str, Inventory] = st.session_state[Keys.CACHE]
    cache.pop(key, None)
    cache[key] = inventory
    while len(cache) > CACHE_SIZE:
        oldest = next(k for k in cache if k != SAMPLE_KEY) if len(cache) > 1 else next(iter(cache))
        cache.pop(oldest)


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    """The empty template (built once per process).

    Here, not in the upload page: a cached function keeps the globals of the script that defines
    it alive, and a page script's globals hold the last visitor's data (issue #16: an upload stayed
    in memory after its session ended).
    """
    from soni.template import build_template

    return build_template()


@st.cache_data(show_spinner=texts.SAMPLE_LOADING, max_entries=1)
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
    """``soni.pipeline.run`` for this session (counted in ``Keys.PIPELINE_RUNS``)."""
    st.session_state[Keys.PIPELINE_RUNS] = st.session_state.get(Keys.PIPELINE_RUNS, 0) + 1
    learn = st.session_state.get(Keys.LEARN)  # the workspace's own terms, when the user switched them on
    return pipeline.run(files, options=dict(options), progress=progress,
                        extra_terms=learn[0] if learn and len(learn[0]) else None)


def load_with_progress(files: list[tuple[str, bytes]], options: Mapping[str, pipeline.Options]
                       ) -> Inventory | None:
    """Run the pipeline with a visible progress bar; German error (never a traceback) on failure."""
    names = ", ".join(name for name, _ in files)
    with st.status(texts.reading(md(names)), expanded=True) as status:
        progress = progress_reporter()
        try:
            inventory = run_pipeline(files, options, progress=progress)
        except InputError as exc:
            status.update(label=texts.READ_FAILED, state="error", expanded=False)
            st.session_state[Keys.LOAD_ERROR] = exc.located()
            return None
        except Exception as exc:  # the user gets a German message, the log the details
            log_failure("pipeline failed", exc)
            status.update(label=texts.READ_FAILED, state="error", expanded=False)
            st.session_state[Keys.LOAD_ERROR] = texts.read_unexpected(type(exc).__name__)
            return None
        status.update(label=texts.read_done(len(inventory)), state="complete", expanded=False)
    st.session_state.pop(Keys.LOAD_ERROR, None)
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
    ss[Keys.UPLOADS] = list(files)
    ss[Keys.DIGESTS] = {name: hashlib.sha256(data).hexdigest() for name, data in files}
    ss[Keys.OPTIONS] = options
    ss.pop(Keys.OPENED, None)
    learn = ss.get(Keys.LEARN)  # what the workspace learnt goes to the same activities of the new data
    ss[Keys.CORRECTIONS] = years.carry_corrections(inventory.activities, learn[1]) if learn else {}
    ss[Keys.CORRECTIONS_REV] = ss.get(Keys.CORRECTIONS_REV, 0) + 1
    ss[Keys.CACHE] = {}
    ss.pop(Keys.CORRECTED, None)
    ss[Keys.AUTO_SHEETS] = {str(info.get("file")): info.get("sheet") for info in inventory.sources.values()}
    _remember(current_key(), inventory)
    server.release_memory()  # the frames of the replaced data go back to the system
    return True


def apply_options(options: Mapping[str, pipeline.Options]) -> bool:
    """Re-read the current uploads with changed options (sheet, mapping); corrections are kept."""
    ss = st.session_state
    files = list(ss.get(Keys.UPLOADS) or [])
    key = data_key([n for n, _ in files], ss[Keys.DIGESTS], options)
    if key not in ss[Keys.CACHE]:
        inventory = load_with_progress(files, options)
        if inventory is None:
            return False
        _remember(key, inventory)
    ss[Keys.OPTIONS] = dict(options)
    return True


def raw_inventory() -> Inventory | None:
    """The session's pipeline result before corrections (sample without uploads), or None."""
    ss = st.session_state
    init_state()
    if Keys.OPENED in ss:
        return ss[Keys.OPENED][1]
    key = current_key()
    cached = ss[Keys.CACHE].get(key)
    if cached is not None:
        return cached
    if has_uploads():
        inventory = load_with_progress(list(ss[Keys.UPLOADS]), ss[Keys.OPTIONS])
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
    corrections: dict = st.session_state[Keys.CORRECTIONS]
    if not corrections:
        return raw
    stamp = (current_key(), st.session_state[Keys.CORRECTIONS_REV])
    cached = st.session_state.get(Keys.CORRECTED)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    from soni.classify import apply_corrections

    ids = set(raw.activities[schema.ZEILEN_ID].astype(str))
    relevant = {k: v for k, v in corrections.items() if k in ids}
    activities = apply_corrections(raw.activities, relevant) if relevant else raw.activities
    corrected = dataclasses.replace(raw, activities=activities)
    st.session_state[Keys.CORRECTED] = (stamp, corrected)
    return corrected


def corrections() -> dict[str, tuple[str, str | None]]:
    """A copy of the session's corrections {Zeilen-ID: (field, aspect)}."""
    return dict(st.session_state[Keys.CORRECTIONS])


def corrections_rev() -> int:
    return int(st.session_state[Keys.CORRECTIONS_REV])


def set_corrections(corrections: Mapping[str, tuple[str, str | None]]) -> None:
    st.session_state[Keys.CORRECTIONS] = dict(corrections)
    st.session_state[Keys.CORRECTIONS_REV] = st.session_state.get(Keys.CORRECTIONS_REV, 0) + 1


def inventory_xlsx(inv: Inventory) -> bytes:
    """The classified inventory as xlsx: every original column plus the five SONI columns.

    Uploading it again gives the same assignment (the file contract of ``pipeline.export_frame``).
    """
    from soni.export import safe

    return safe.to_xlsx_bytes({texts.ACTIVITIES_SHEET: pipeline.export_frame(inv)})


def inventory_csv(inv: Inventory) -> bytes:
    """Like ``inventory_xlsx`` as CSV (formula-safe)."""
    from soni.export import safe

    return safe.to_csv_bytes(pipeline.export_frame(inv))


def require_inventory() -> Inventory:
    """The data, or a "no data" note with a link to the upload page and ``st.stop()``."""
    inv = inventory()
    if inv is None or len(inv) == 0:
        error = st.session_state.get(Keys.LOAD_ERROR)
        if error:
            st.error(md(error))  # names the file, sheet or zip part: never markup
        st.info(texts.NO_DATA)
        st.page_link(PAGE_FILES["upload"], label=texts.NO_DATA_LINK, icon=":material/upload_file:")
        st.stop()
    return inv


def source_label() -> str:
    """``texts.SAMPLE_SOURCE`` or the uploaded file names."""
    if Keys.OPENED in st.session_state:
        return st.session_state[Keys.OPENED][0]
    if has_uploads():
        return ", ".join(upload_names())
    return texts.SAMPLE_SOURCE


def source_names(inv: Inventory) -> list[str]:
    """File names for chart captions (the sample says so)."""
    if Keys.OPENED in st.session_state:
        return [st.session_state[Keys.OPENED][0]]
    if not has_uploads():
        return [texts.SAMPLE_SOURCE]
    return upload_names()


def show_notice() -> None:
    """Show (once) a message left by an action of the previous run."""
    message = st.session_state.pop(Keys.NOTICE, None)
    if message:
        st.toast(md(message), icon=":material/info:")  # may name an uploaded file
