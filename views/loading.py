"""Reading data for the session: uploads and options through the pipeline, with progress and German errors.

Privacy: uploaded bytes and their pipeline results live only in this session's
``st.session_state`` (``views.results``); only the built-in sample goes through ``st.cache_data``.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Callable, Mapping

import streamlit as st

from soni import pipeline, texts, years
from soni.inventory import Inventory
from soni.report import InputError
from views import results, server
from views.keys import Keys
from views.safe_text import md
from views.widgets import progress_reporter

log = logging.getLogger(__name__)


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
        needed = sum(len(data) for _, data in files) / 1e6 + results.inventory_mb(inventory)
        if needed > results.SESSION_BUDGET_MB:  # read, but too large to keep: refused, memory given back
            del inventory
            status.update(label=texts.READ_FAILED, state="error", expanded=False)
            st.session_state[Keys.LOAD_ERROR] = texts.session_too_large(needed, results.SESSION_BUDGET_MB)
            server.release_memory()
            return None
        status.update(label=texts.read_done(len(inventory)), state="complete", expanded=False)
    st.session_state.pop(Keys.LOAD_ERROR, None)
    return inventory


def uploads_fit(sizes: list[int]) -> bool:
    """Whether files of ``sizes`` bytes chosen at once fit ``results.SESSION_UPLOAD_MB``; if not, the
    load error says so and the uploader is renewed (Streamlit drops the files it holds)."""
    total = sum(sizes) / 1e6
    if total <= results.SESSION_UPLOAD_MB:
        return True
    st.session_state[Keys.LOAD_ERROR] = texts.uploads_too_large(total, results.SESSION_UPLOAD_MB)
    st.session_state[Keys.UPLOADER_REV] = st.session_state.get(Keys.UPLOADER_REV, 0) + 1
    return False


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
    if ss[Keys.CORRECTIONS]:
        ss[Keys.NOTICE] = texts.WS_LEARN_APPLIED.format(n=len(ss[Keys.CORRECTIONS]))
    ss[Keys.CORRECTIONS_REV] = ss.get(Keys.CORRECTIONS_REV, 0) + 1
    ss[Keys.CACHE] = {}
    ss.pop(Keys.CORRECTED, None)
    ss[Keys.AUTO_SHEETS] = {str(info.get("file")): info.get("sheet") for info in inventory.sources.values()}
    results.remember(results.current_key(), inventory)
    server.release_memory()  # the frames of the replaced data go back to the system
    return True


def apply_options(options: Mapping[str, pipeline.Options]) -> bool:
    """Re-read the current uploads with changed options (sheet, mapping); corrections are kept."""
    ss = st.session_state
    files = list(ss.get(Keys.UPLOADS) or [])
    key = results.data_key([n for n, _ in files], ss[Keys.DIGESTS], options)
    if key not in ss[Keys.CACHE]:
        inventory = load_with_progress(files, options)
        if inventory is None:
            return False
        results.remember(key, inventory)
    ss[Keys.OPTIONS] = dict(options)
    return True
