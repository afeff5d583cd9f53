"""The app's own ASGI middleware, given to ``st.App(middleware=…)`` by ``app.py``.

Security headers: ``SecurityHeaders`` sets X-Frame-Options, Content-Security-Policy,
X-Content-Type-Options and Referrer-Policy on every HTTP response.

The chart component's plotly.js (1.5 MB): ``ChartBundle`` serves it gzip-compressed once per process
instead of through Streamlit's gzip middleware, which compresses every response anew at level 9 in the
server's event loop (0.1–0.26 s of CPU per request for this file, twice per new visitor: one per chart).
"""

from __future__ import annotations

import gzip
import threading
from pathlib import Path


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
