"""Server start: prepare what the first page needs, in the background (``app.py`` starts it).

Without it the first visitor of a fresh server waits for the imports (pandas, plotly, soni),
the sample pipeline and plotly's first figure, about 0.8 s, on top of loading the page. The
thread starts when the server starts and does that while the browser is still loading
Streamlit's scripts; the first visitor then finds the sample in ``st.cache_data`` (a visitor
who comes earlier waits for the same computation instead of starting a second one).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import AsyncIterator

log = logging.getLogger(__name__)

THREAD_NAME = "soni-warmup"


class _NoContextWarning(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warning for the warm-up thread only.

    The sample's ``st.cache_data`` spinner looks for a page to draw on; the warm-up has
    none, and that is expected (nothing is drawn).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == THREAD_NAME and "ScriptRunContext" in record.getMessage())


def prepare() -> None:
    """Import the first page's modules, compress the charts' plotly.js, read the sample and build its
    first heatmap once."""
    from soni import aggregate, charts, insights  # noqa: F401 — imported for the first page
    from views import loading, middleware

    # zlib runs without the GIL: on the other core, beside the sample's pipeline
    threading.Thread(target=middleware.chart_bundle_gzip, name="soni-chart-gzip", daemon=True).start()

    inv = loading.sample_inventory()
    if inv is None:
        return
    grid = aggregate.field_grid(inv.activities, "anzahl")
    charts.soni_grid_figure(grid, "anzahl", "", share=False).to_json()  # plotly loads its validators once


def _run() -> None:
    try:
        prepare()
    except Exception as exc:  # the first visitor then computes it; the server goes on
        from views import loading

        loading.log_failure("warm-up failed", exc)


_FILTER = _NoContextWarning()


def start() -> threading.Thread:
    """Start ``prepare`` in a daemon thread."""
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if _FILTER not in context_log.filters:
        context_log.addFilter(_FILTER)
    thread = threading.Thread(target=_run, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


@contextlib.asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """``st.App`` lifespan: start the warm-up, do not wait for it (the server answers at once)."""
    start()
    from views import server

    server.start_trimmer()
    yield
