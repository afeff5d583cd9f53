"""Chart images (PNG for print, SVG) from plotly figures, rendered by one shared headless Chromium.

Kaleido 1.x renders plotly figures in a Chromium browser. Starting that browser
costs a few seconds, so this module keeps **one** export browser for the whole
process (Streamlit serves every session from one process) and renders all images
in it, one at a time (a lock), in a single tab.

Why not kaleido's own ``start_sync_server()``: its server thread dies silently
when the browser cannot start (e.g. a broken Chromium), and every later call then
waits forever on a queue; its call is also not safe from several threads (the
answers of two concurrent callers can be swapped). Here the same kaleido object
(``kaleido.Kaleido``) runs in our own event-loop thread, every call has a time
limit, and a failed browser is restarted once before an error is raised.

The browser is found like this: the environment variable ``BROWSER_PATH``, else
``chromium`` / ``chromium-browser`` / ``google-chrome`` on ``PATH``, else
``/usr/bin/chromium``. MathJax is switched off (no internet; no chart uses LaTeX);
plotly.js comes from the installed plotly package.

Without a browser :func:`browser_available` is False and the renderers raise
:class:`ImageExportError` with :data:`NO_BROWSER_MESSAGE`, so callers can still
offer the formats that need no images.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import struct
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

#: German message for the user when no browser is available.
_CONSEQUENCE = (
    "Excel- und CSV-Dateien lassen sich weiterhin herunterladen; "
    "PDF und PowerPoint enthalten dann einen Hinweis statt der Diagramme."
)
NO_BROWSER_MESSAGE = (
    "Diagramme können gerade nicht als Bild erzeugt werden: Auf dem Server ist kein "
    "Chromium-Browser verfügbar. " + _CONSEQUENCE
)

#: Print size: an A4 page is ~8.3 inch wide, 1200 px × 2.5 = 3000 px ≈ 360 dpi across
#: the full page width (≈ 300 dpi once margins are subtracted … ≈ 430 dpi in a 17 cm column).
PRINT_WIDTH = 1200
PRINT_HEIGHT = 750
PRINT_SCALE = 2.5

START_TIMEOUT = 60.0  # seconds to start the browser
RETRY_AFTER = 300.0  # seconds after a failed start before the next attempt
IDLE_STOP = 900.0  # close the browser after this many seconds without an image (frees ~200 MB)
RENDER_TIMEOUT = 60.0  # seconds for one image

_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FALLBACK_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


class ImageExportError(RuntimeError):
    """An image could not be rendered. ``str(error)`` is a German message for the user."""


def find_browser() -> str | None:
    """Path of the Chromium used for export, or None (see the module docstring for the order)."""
    env = os.environ.get("BROWSER_PATH", "").strip()
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    for name in _BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for path in _FALLBACK_PATHS:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


async def _cancel_pending() -> None:
    """Cancel what the browser library left running in our loop (watchdogs, readers)."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class _ExportBrowser:
    """One kaleido browser in its own event-loop thread; calls are serialised by a lock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.failed: str | None = None  # last start failure (German), cleared on success
        self.failed_at = 0.0
        self.last_used = 0.0
        self._idle_timer: threading.Timer | None = None
        self.starts = 0  # how many browsers were started (for tests and the bench)

    # -- lifecycle ------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        """Start the browser if it is not running (raises ImageExportError if it cannot)."""
        with self._lock:
            if self._kaleido is not None:
                return
            if self.failed and time.monotonic() - self.failed_at < RETRY_AFTER:
                raise ImageExportError(self.failed)
            path = find_browser()
            if path is None:
                raise ImageExportError(NO_BROWSER_MESSAGE)
            import kaleido  # late import: the module loads plotly.js helpers

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="soni-export-browser", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread

            async def _open() -> Any:
                k = kaleido.Kaleido(path=path, n=1, timeout=RENDER_TIMEOUT, mathjax=False)
                await k.open()
                return k

            try:
                self._kaleido = self._run(_open(), START_TIMEOUT)
            except Exception as exc:
                self._shutdown_loop()
                self.failed = (
                    "Diagramme können gerade nicht als Bild erzeugt werden: Der Browser für den "
                    f"Bildexport ({path}) ließ sich nicht starten ({type(exc).__name__}). " + _CONSEQUENCE
                )
                self.failed_at = time.monotonic()
                raise ImageExportError(self.failed) from exc
            self.failed = None
            self.starts += 1

    def _schedule_idle_stop(self) -> None:
        """(Re)arm a timer that closes the browser once it has been idle for IDLE_STOP seconds."""
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        timer = threading.Timer(IDLE_STOP + 1.0, self._stop_if_idle)
        timer.daemon = True
        timer.start()
        self._idle_timer = timer

    def _stop_if_idle(self) -> None:
        with self._lock:
            if self.running and time.monotonic() - self.last_used >= IDLE_STOP:
                self.stop()

    def stop(self) -> None:
        """Close the browser and its thread (safe to call when nothing runs)."""
        with self._lock:
            if self._idle_timer is not None:
                self._idle_timer.cancel()
                self._idle_timer = None
            if self._kaleido is not None and self._loop is not None:
                k, self._kaleido = self._kaleido, None
                with contextlib.suppress(Exception):  # a broken browser may fail to close
                    self._run(k.close(), 20.0)
            self._shutdown_loop()

    def _shutdown_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._kaleido = None
        if loop is not None and loop.is_running():
            with contextlib.suppress(Exception):  # best effort; the loop is stopped next
                self._run(_cancel_pending(), 10.0)
        self._loop = self._thread = None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(timeout=10)
            if not loop.is_running():
                loop.close()

    def _run(self, coro: Any, timeout: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    # -- rendering ------------------------------------------------------------------
    def render(self, specs: Sequence[tuple[dict, dict]]) -> list[bytes]:
        """Render (figure dict, opts) pairs in order; one restart of the browser on failure."""
        import kaleido.errors as kerrors

        with self._lock:
            for attempt in (1, 2):
                self.start()
                results: list[bytes] = []
                try:
                    for fig, opts in specs:
                        results.append(self._run(self._kaleido.calc_fig(fig, opts=opts),
                                                 RENDER_TIMEOUT + 5))
                    self.last_used = time.monotonic()
                    self._schedule_idle_stop()
                    return results
                except kerrors.KaleidoError as exc:  # the figure itself is faulty (JS error)
                    raise ImageExportError(f"Das Diagramm ließ sich nicht zeichnen: {exc}") from exc
                except Exception as exc:
                    self.stop()  # browser crashed, hung or closed: start afresh
                    if attempt == 2:
                        raise ImageExportError(
                            f"Der Bildexport ist fehlgeschlagen ({type(exc).__name__}). "
                            "Bitte später erneut versuchen."
                        ) from exc
            raise AssertionError("unreachable")


_BROWSER = _ExportBrowser()
atexit.register(_BROWSER.stop)


def browser_available() -> bool:
    """True if a Chromium for image export is found (and did not just fail to start)."""
    if _BROWSER.running:
        return True
    recently_failed = _BROWSER.failed and time.monotonic() - _BROWSER.failed_at < RETRY_AFTER
    return find_browser() is not None and not recently_failed


def unavailable_reason() -> str:
    """German reason why images cannot be made ("" if they can)."""
    if browser_available():
        return ""
    return NO_BROWSER_MESSAGE if find_browser() is None else (_BROWSER.failed or NO_BROWSER_MESSAGE)


def start_browser() -> None:
    """Start the shared export browser now (e.g. at app start) instead of on the first image."""
    _BROWSER.start()


def stop_browser() -> None:
    """Close the shared export browser; the next image starts it again."""
    _BROWSER.stop()


def reset_failure() -> None:
    """Forget a failed start, so the next call tries again (e.g. after installing Chromium)."""
    _BROWSER.failed = None


def png_size(data: bytes) -> tuple[int, int]:
    """Pixel width and height of PNG bytes (from the IHDR chunk); ValueError if not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        raise ValueError("Keine PNG-Datei.")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _as_dict(fig: Any) -> dict:
    """A plain figure dict, made in the caller's thread (plotly objects are not thread-safe)."""
    if hasattr(fig, "to_dict"):
        return fig.to_dict()
    if isinstance(fig, dict) and "data" in fig:
        return fig
    raise TypeError("Erwartet wird eine plotly-Figur oder ihr dict.")


def _size(fig: dict, width: int | None, height: int | None) -> tuple[int, int]:
    layout = fig.get("layout") or {}
    return (int(width or layout.get("width") or PRINT_WIDTH),
            int(height or layout.get("height") or PRINT_HEIGHT))


def _png_spec(fig: Any, width: int | None, height: int | None, scale: float) -> tuple[dict, dict]:
    data = _as_dict(fig)
    w, h = _size(data, width, height)
    return data, {"format": "png", "width": w, "height": h, "scale": scale}


def figure_to_png(fig: Any, *, width: int | None = None, height: int | None = None,
                  scale: float = PRINT_SCALE) -> bytes:
    """PNG bytes of a plotly figure; default size 1200 × 750 px × 2.5 (print quality).

    Width/height default to the figure's layout size, else the print size.
    Raises :class:`ImageExportError` (German message) when no browser is available.
    """
    return _BROWSER.render([_png_spec(fig, width, height, scale)])[0]


def figure_to_svg(fig: Any, *, width: int | None = None, height: int | None = None) -> bytes:
    """SVG bytes (UTF-8 XML) of a plotly figure."""
    data = _as_dict(fig)
    w, h = _size(data, width, height)
    return _BROWSER.render([(data, {"format": "svg", "width": w, "height": h, "scale": 1})])[0]


def figures_to_png(figs: Iterable[Any], *, width: int | None = None, height: int | None = None,
                   scale: float = PRINT_SCALE) -> list[bytes]:
    """PNG bytes for several figures in one go (one lock, one browser), in order."""
    specs = [_png_spec(fig, width, height, scale) for fig in figs]
    return _BROWSER.render(specs) if specs else []
