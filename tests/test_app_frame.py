"""AppTest of the frame (app.py): first visit, sidebar, "Daten entfernen", the no-data path."""

from __future__ import annotations

import pytest

from soni import sample, texts
from tests.test_app_common import ROOT, app_fixture, charts, run, sample_upload, upload  # noqa: F401 — fixture
from views import results
from views.keys import PAGE_FILES, Keys

PAGES = ("quartier", "vergleich", "upload", "pruefen", "export")


def test_first_visit_shows_the_quartier_heatmaps_on_the_sample(app):
    run(app)
    assert [t.value for t in app.title] == ["Quartier im SONI-Modell"] == [texts.PAGE_TITLES["quartier"]]
    figs = charts(app)
    assert {"chart_feld", "chart_aspekt"} <= set(figs)
    assert app.sidebar.text[0].value == "Beispieldaten (erfunden)"
    assert not [b for b in app.sidebar.button if b.key == "w_clear_data"]  # nothing to remove yet
    assert any("Beispieldaten" in i.value for i in app.info)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_sample_without_errors(app, page):
    run(app)
    run(app, page)
    assert [t.value for t in app.title] == [texts.PAGE_TITLES[page]], page
    assert not app.error, [e.value for e in app.error]
    assert not app.get("plotly_chart"), page  # charts use the app's own component (cartesian plotly.js)


def test_ui_strings_live_in_texts_only():
    """The pages take these strings from soni.texts: no copy of them is left in app.py or views/."""
    strings = [texts.SAMPLE_NOTE, texts.NO_DATA, texts.NO_UPLOAD_YET, texts.METRIC_HELP, texts.CLEAR_DATA_HELP,
               texts.CLEAR_DATA_DONE, texts.SAMPLE_CORRECTIONS_NOTE, texts.SHARE_TOGGLE_HELP,
               *texts.PAGE_INTROS.values(), *texts.CHECK_VIEWS.values(), *texts.PAGE_TITLES.values()]
    paths = [ROOT / "app.py", *(ROOT / "views").glob("*.py")]
    sources = {path.name: path.read_text(encoding="utf-8") for path in paths}
    for text in strings:
        # long strings are split over source lines: their start is enough
        needle = f'"{text}"' if len(text) <= 28 else f'"{text[:28]}'
        for name, source in sources.items():
            assert needle not in source, (name, needle)
    # every page of the navigation has a label and a section
    assert set(texts.NAV_LABELS) == set(PAGE_FILES) == {p for ps in texts.NAV_SECTIONS.values() for p in ps}


def test_no_data_pages_say_so_and_stop(app, monkeypatch, tmp_path):
    monkeypatch.setattr(sample, "SAMPLE_PATH", tmp_path / "fehlt.xlsx")
    for page in ("quartier", "vergleich", "pruefen", "export"):
        run(app) if page == "quartier" else run(app, page)
        assert any(texts.NO_DATA in i.value for i in app.info), page
        assert not charts(app), page
        assert not app.data_editor
    run(app, "upload")
    assert app.file_uploader, "the upload page still offers the upload"


def test_daten_entfernen_frees_the_upload_and_returns_to_the_sample(app):
    upload(app, sample_upload())
    assert app.session_state[Keys.UPLOADS][0][0] == "inventar.xlsx"
    run(app, "quartier")
    assert app.sidebar.text[0].value == "inventar.xlsx"
    uploader_rev = app.session_state[Keys.UPLOADER_REV]
    button = next(b for b in app.sidebar.button if b.key == "w_clear_data")
    button.click()
    run(app)
    assert Keys.UPLOADS not in app.session_state
    assert all(key == results.SAMPLE_KEY for key in app.session_state[Keys.CACHE])
    assert app.session_state[Keys.CORRECTIONS] == {}
    assert app.session_state[Keys.UPLOADER_REV] == uploader_rev + 1  # the uploader widget is emptied too
    assert app.sidebar.text[0].value == "Beispieldaten (erfunden)"
    assert {"chart_feld", "chart_aspekt"} <= set(charts(app))
