"""The server-start warm-up (views/warmup.py) and app.py as Streamlit's ASGI entry point."""

from __future__ import annotations

import asyncio
import logging
import threading

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.web.server.app_discovery import discover_asgi_app

from soni import pipeline
from tests.test_app_common import APP, ROOT, TIMEOUT, charts
from views import loading, warmup


@pytest.fixture(name="pipeline_runs")
def pipeline_runs_fixture(monkeypatch):
    """Count the calls of soni.pipeline.run (the sample cache is cleared before and after)."""
    calls = []
    real = pipeline.run

    def counting(*args, **kwargs):
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", counting)
    st.cache_data.clear()
    yield calls
    st.cache_data.clear()


def test_streamlit_run_finds_app_py_as_an_st_app():
    """``streamlit run app.py`` starts app.py as an ASGI app (that is what runs the warm-up)."""
    found = discover_asgi_app(ROOT / "app.py")
    assert found.is_asgi_app
    assert found.import_string == "app:app"


def test_the_first_visit_after_the_warm_up_reads_nothing(pipeline_runs):
    warmup.prepare()
    assert pipeline_runs == [threading.current_thread().name]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert {"chart_feld", "chart_aspekt"} <= set(charts(at))
    assert len(pipeline_runs) == 1, "the sample was read a second time"


def test_lifespan_starts_the_warm_up_in_a_thread_and_does_not_wait(monkeypatch):
    started, release = threading.Event(), threading.Event()
    names = []

    def slow_prepare():
        names.append(threading.current_thread().name)
        started.set()
        release.wait(10)

    monkeypatch.setattr(warmup, "prepare", slow_prepare)

    async def serve():
        async with warmup.lifespan(None):
            return started.wait(10)  # the server is up while the warm-up still runs

    try:
        assert asyncio.run(serve())
    finally:
        release.set()
    assert names == [warmup.THREAD_NAME]


def test_a_failed_warm_up_is_logged_without_its_message(monkeypatch, caplog):
    message = "Zelle B7: " + "Frau Muster"  # (the frames quote source lines, not values)

    def broken():
        raise ValueError(message)

    monkeypatch.setattr(warmup, "prepare", broken)
    with caplog.at_level(logging.ERROR, logger=loading.log.name):
        warmup.start().join(10)
    assert "warm-up failed: ValueError" in caplog.text
    assert "Muster" not in caplog.text


def test_only_the_warm_up_threads_missing_context_warning_is_dropped():
    def record(thread_name: str, message: str) -> logging.LogRecord:
        rec = logging.LogRecord("streamlit", logging.WARNING, __file__, 1, message, None, None)
        rec.threadName = thread_name
        return rec

    keep = warmup._NoContextWarning().filter
    assert not keep(record(warmup.THREAD_NAME, "Thread 'soni-warmup': missing ScriptRunContext!"))
    assert keep(record("ScriptRunner.scriptThread", "Thread 'x': missing ScriptRunContext!"))
    assert keep(record(warmup.THREAD_NAME, "something else"))


def test_sample_inventory_is_none_without_the_sample_file(monkeypatch, tmp_path, pipeline_runs):
    from soni import sample

    monkeypatch.setattr(sample, "SAMPLE_PATH", tmp_path / "fehlt.xlsx")
    assert loading.sample_inventory() is None
    warmup.prepare()  # no sample: nothing to prepare, no error
