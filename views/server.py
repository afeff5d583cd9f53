"""Web-server settings that Streamlit has no option for (``app.py`` applies them at import),
and memory given back to the system after sessions end or data are replaced.

Uploads in memory: Streamlit 1.67 serves the app with Starlette, whose multipart parser keeps an
uploaded file in memory only up to 1 MB (``MultiPartParser.spool_max_size``) and writes the rest
to an unnamed temporary file in the temp folder. Raising that threshold above Streamlit's own cap
on an upload request (``server.maxUploadSize`` plus 1 MB of multipart framing, enforced while the
body streams in) keeps every accepted upload in memory, so no upload byte is written to disk.

The app's HTTP middleware (security headers, the chart bundle) is in ``views/middleware.py``.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import time
from typing import Any

from soni.intake import guard

#: Streamlit's cap on an upload request: maxUploadSize (= guard.MAX_FILE_MB) in binary megabytes, as
#: its server counts them, plus its framing margin (starlette_routes).
UPLOAD_BODY_CAP = guard.MAX_FILE_MB * 1024 * 1024 + 1024 * 1024


def keep_uploads_in_memory() -> None:
    """Let Starlette's multipart parser hold a whole upload in memory (never spool it to disk)."""
    from starlette.formparsers import MultiPartParser

    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, UPLOAD_BODY_CAP + 1)


# --- memory given back -------------------------------------------------------------------------
#: Seconds between two returns of freed memory to the system (sessions end without a hook).
TRIM_INTERVAL = 60.0
_trimmer: threading.Thread | None = None


def release_memory() -> bool:
    """Collect garbage and hand freed heap memory back to the system (glibc ``malloc_trim``).

    pandas frames of a replaced upload or an ended session are freed by Python, but glibc keeps
    the pages in its arenas, so the server's resident size never shrank (issue #16: 462 MB →
    2,460 MB after three 50 MB uploads, and it stayed there). The intake's caches of cell texts
    (``soni.columns.clear_caches``) are emptied first. Returns False where there is no glibc.
    """
    from soni import columns

    columns.clear_caches()  # users' texts leave with their session (up to 27 MB)
    gc.collect()
    import pyarrow as pa

    pa.default_memory_pool().release_unused()  # Arrow's own allocator (mimalloc) keeps freed pages too
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    libc.malloc_trim(0)
    return True


def end_expired_sessions(manager: Any = None) -> int:
    """Shut down the sessions whose time for reconnecting has run out; returns how many.

    Streamlit keeps a closed tab's session for reconnecting (2 minutes, ``MemorySessionStorage``),
    but when that time is over it drops the session only at the next write to that store (another
    tab closing) and without shutting it down: the files in its uploader stay in Streamlit's upload
    store and its state (uploaded bytes, pipeline results) in memory, on a quiet server for good.
    The state is cleared as well, since Streamlit's message loop keeps a reference to the session it
    flushed last (measured with ``bench/session_end.py``: without that, one session's data stayed and
    its objects, spread over Python's memory arenas, kept most of the others' pages from the system).
    ``manager``: Streamlit's session manager (default: the running server's). Uses its internals
    (``_session_storage._cache``, ``_storage_lock``; tests/test_server.py checks they are there) and
    does nothing without them. Must run on the server's event loop, as Streamlit touches the store.
    """
    if manager is None:
        from streamlit import runtime

        if not runtime.exists():
            return 0
        manager = getattr(runtime.get_instance(), "_session_mgr", None)
    cache = getattr(getattr(manager, "_session_storage", None), "_cache", None)
    lock = getattr(manager, "_storage_lock", None)
    if lock is None or not callable(getattr(cache, "expire", None)):
        return 0
    with lock:
        expired = cache.expire()
    for _session_id, info in expired:
        session = info.session
        session.shutdown()  # its uploads leave Streamlit's store
        # Streamlit's message loop keeps the last session it flushed in a loop variable until another
        # session connects: its state (uploaded bytes, pipeline results) and unsent messages go now.
        session.session_state.clear()
        session.flush_browser_queue()
    return len(expired)


def _end_expired_sessions_on_the_event_loop(timeout: float = 10.0) -> None:
    from streamlit import runtime

    if not runtime.exists():
        return
    try:
        loop = runtime.get_instance()._get_async_objs().eventloop
    except (AttributeError, RuntimeError):
        return
    done = threading.Event()

    def reap() -> None:
        try:
            end_expired_sessions()
        finally:
            done.set()

    try:
        loop.call_soon_threadsafe(reap)
    except RuntimeError:  # the loop is closed: the server is stopping
        return
    done.wait(timeout)


def _trim_forever() -> None:
    while True:
        time.sleep(TRIM_INTERVAL)
        _end_expired_sessions_on_the_event_loop()
        release_memory()


def start_trimmer() -> None:
    """Once per process: every TRIM_INTERVAL seconds end the sessions whose reconnect time ran out
    (``end_expired_sessions``) and return freed memory."""
    global _trimmer
    if _trimmer is None:
        _trimmer = threading.Thread(target=_trim_forever, name="soni-trim", daemon=True)
        _trimmer.start()
