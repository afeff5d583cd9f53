"""Issue #16, point 6: a session's memory is capped (views/results.py, views/loading.py).

A session keeps its uploaded bytes and its pipeline results; the results cache gives older option
variants up when the session holds more than ``results.SESSION_BUDGET_MB``, data that alone need
more are refused with a German message (the previous data stay), and files chosen together beyond
``results.SESSION_UPLOAD_MB`` are not read at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from soni import pipeline
from tests.test_app_common import (  # noqa: F401 — fixture
    app_fixture,
    csv_bytes,
    run,
    sample_upload,
    small_inventory,
    upload,
)
from views import results
from views.keys import Keys


def _needed_mb(name: str, data: bytes) -> float:
    """What a session holds for ``data`` alone, as ``views.loading`` counts it."""
    return len(data) / 1e6 + results.inventory_mb(pipeline.run([(name, data)]))


def _own_results(at) -> list[str]:
    return [key for key in at.session_state[Keys.CACHE] if key != results.SAMPLE_KEY]


def test_data_beyond_the_session_budget_are_refused_and_the_previous_data_stay(app, monkeypatch):
    small = csv_bytes(small_inventory(12))
    big = small_inventory(3000)
    big["Beschreibung"] = big["Beschreibung"] + " Notizen zum Ablauf und zur Nachbarschaft." * 20
    big_bytes = csv_bytes(big)
    need_small, need_big = _needed_mb("klein.csv", small), _needed_mb("gross.csv", big_bytes)
    assert need_big > 20 * need_small
    monkeypatch.setattr(results, "SESSION_BUDGET_MB", (need_small + need_big) / 2)

    upload(app, ("klein.csv", small, "text/csv"))
    assert not app.error
    runs = app.session_state[Keys.PIPELINE_RUNS]
    app.file_uploader[0].set_value(("gross.csv", big_bytes, "text/csv"))
    run(app)
    assert app.session_state[Keys.PIPELINE_RUNS] == runs + 1  # read, then refused
    message = app.error[0].value
    assert "zu groß für eine Sitzung" in message and "Spalten" in message
    assert [name for name, _ in app.session_state[Keys.UPLOADS]] == ["klein.csv"]  # the data before stay
    assert len(_own_results(app)) == 1
    run(app, "quartier")
    assert app.sidebar.text[0].value == "klein.csv"


def test_files_chosen_together_beyond_the_upload_cap_are_not_read(app, monkeypatch):
    one = csv_bytes(small_inventory(40))
    monkeypatch.setattr(results, "SESSION_UPLOAD_MB", 1.5 * len(one) / 1e6)
    upload(app, ("a.csv", one, "text/csv"))  # one file fits
    runs, rev = app.session_state[Keys.PIPELINE_RUNS], app.session_state[Keys.UPLOADER_REV]
    app.file_uploader[0].set_value([("b.csv", one, "text/csv"), ("c.csv", one, "text/csv")])
    run(app)
    assert app.session_state[Keys.PIPELINE_RUNS] == runs  # not read at all
    assert app.session_state[Keys.UPLOADER_REV] == rev + 1  # a fresh uploader: Streamlit drops the files
    assert "Zusammen zu groß" in app.error[0].value
    assert [name for name, _ in app.session_state[Keys.UPLOADS]] == ["a.csv"]


def test_older_option_variants_go_when_the_session_holds_more_than_its_budget(app, monkeypatch):
    upload(app, sample_upload())
    sheet_box = next(s for s in app.selectbox if s.label == "Tabellenblatt")
    first = _own_results(app)
    monkeypatch.setattr(results, "SESSION_BUDGET_MB", results.session_mb_of(app.session_state))  # no room more
    sheet_box.set_value("Hinweis")
    run(app)
    assert len(_own_results(app)) == 1 and _own_results(app) != first  # the first variant gave way
    monkeypatch.setattr(results, "SESSION_BUDGET_MB", 10_000)
    next(s for s in app.selectbox if s.label == "Tabellenblatt").set_value("Aktivitäten")
    run(app)
    assert len(_own_results(app)) == 2  # within the budget both stay (up to CACHE_SIZE)


def test_frame_size_estimate_is_close_to_the_deep_count():
    rng = np.random.default_rng(7)
    words = np.array(["Treff", "Beratung im Quartier", "Chor", "Offener Mittagstisch für alle Nachbarn"])
    frame = pd.DataFrame({
        "text": pd.Series(rng.choice(words, 20_000), dtype=object),
        "mixed": pd.Series([i if i % 3 else f"Wert {i}" for i in range(20_000)], dtype=object),
        "zahl": rng.random(20_000),
        "str": pd.Series(rng.choice(words, 20_000), dtype="str"),
    })
    deep = frame.memory_usage(deep=True).sum() / 1e6
    assert abs(results.frame_mb(frame) - deep) < 0.1 * deep
    assert results.frame_mb(frame.iloc[:0]) < 0.01
