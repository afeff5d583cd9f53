"""Web-server settings that Streamlit has no option for (``app.py`` applies them at import),
and memory given back to the system after sessions end or data are replaced.

Uploads in memory: Streamlit 1.67 serves the app with Starlette, whose multipart parser keeps an
uploaded file in memory only up to 1 MB (``MultiPartParser.spool_max_size``) and writes the rest
to an unnamed temporary file in the temp folder. Raising that threshold above Streamlit's own cap
on an upload request (``server.maxUploadSize`` plus 1 MB of multipart framing, enforced while the
body streams in) keeps every accepted upload in memory, so no upload byte is written to disk.

Security headers: ``SecurityHeaders`` (ASGI middleware given to ``st.App``) sets X-Frame-Options,
Content-Security-Policy, X-Content-Type-Options and Referrer-Policy on every HTTP response.

The chart component's plotly.js (1.5 MB): ``ChartBundle`` serves it gzip-compressed once per process
instead of through Streamlit's gzip middleware, which compresses every response anew at level 9 in the
server's event loop (0.1–0.26 s of CPU per request for this file, twice per new visitor: one per chart).
"""

from __future__ import annotations

import ctypes
import gc
import gzip
import threading
import time
from pathlib import Path
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
    2,460 MB after three 50 MB uploads, and it stayed there). Returns False where there is no glibc.
    """
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


def inline_script_hashes() -> str:
    """CSP sources for the inline scripts of Streamlit's index.html (1.67: one line,
    ``window.prerenderReady = false``), read from the installed Streamlit so that they fit its version."""
    import base64
    import hashlib
    import re

    import streamlit

    index = Path(streamlit.__file__).with_name("static") / "index.html"
    scripts = re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), flags=re.DOTALL)
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts)


#: Sent with every HTTP response of the app's server (not the WebSocket). The page may be framed only by
#: its own origin (Streamlit's component iframes come from there); scripts (and Streamlit's own inline
#: script by its hash), styles, fonts and connections only from the own server. Streamlit's frontend needs
#: inline styles (emotion) and data:/blob: URLs (icons, downloads); checked in the browser test (no CSP
#: violation on upload → heatmap → click).
SECURITY_HEADERS: dict[str, str] = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": (
        f"default-src 'self'; script-src 'self' {inline_script_hashes()}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
        "frame-src 'self' blob: data:; media-src 'self' blob: data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'self'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """ASGI middleware (``st.App(middleware=…)``): adds ``SECURITY_HEADERS`` to each HTTP response
    that does not set the header itself."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                from starlette.datastructures import MutableHeaders

                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- the chart component's plotly.js, compressed once ------------------------------------------
#: The vendored bundle (views/chart_component/README.md); its name carries its version, so it may be cached for good.
CHART_BUNDLE = Path(__file__).with_name("chart_component") / "plotly-cartesian-4.1.1.min.js"
#: How its URL ends (Streamlit serves components v1 at ``[baseUrlPath]/component/<module>.<name>/<file>``).
CHART_BUNDLE_URL_END = f"/component/views.plots.soni_chart/{CHART_BUNDLE.name}"
_bundle_gz: bytes | None = None
_bundle_lock = threading.Lock()


def chart_bundle_gzip() -> bytes:
    """The chart bundle, gzip-compressed once per process (zlib runs without the GIL)."""
    global _bundle_gz
    with _bundle_lock:
        if _bundle_gz is None:
            # level 6: 0.2 % larger than 9 for 40 % of the CPU (measured on this file)
            _bundle_gz = gzip.compress(CHART_BUNDLE.read_bytes(), compresslevel=6, mtime=0)
        return _bundle_gz


class ChartBundle:
    """ASGI middleware (``st.App(middleware=…)``): answers GET for the chart bundle itself, compressed
    once (``chart_bundle_gzip``, in a worker thread, never in the event loop), cached by browsers for a
    year; every other request goes on to Streamlit."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].endswith(CHART_BUNDLE_URL_END):
            await self.app(scope, receive, send)
            return
        import anyio
        from starlette.datastructures import Headers
        from starlette.responses import Response

        headers = {"Cache-Control": "public, max-age=31536000, immutable", "Vary": "Accept-Encoding"}
        if "gzip" in Headers(scope=scope).get("accept-encoding", ""):
            body = await anyio.to_thread.run_sync(chart_bundle_gzip)
            headers["Content-Encoding"] = "gzip"
        else:
            body = await anyio.to_thread.run_sync(CHART_BUNDLE.read_bytes)
        await Response(body, media_type="text/javascript", headers=headers)(scope, receive, send)
