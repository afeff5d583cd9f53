"""AppTest of the Export page: choices, build with progress, downloads; without a browser."""

from __future__ import annotations

from soni.export import images, package
from tests.test_app_common import app_fixture, run  # noqa: F401 — fixture
from views.keys import Keys


def _no_browser(monkeypatch) -> None:
    monkeypatch.setattr(images, "browser_available", lambda: False)
    monkeypatch.setattr(images, "unavailable_reason", lambda: images.NO_BROWSER_MESSAGE)


def test_without_browser_the_page_says_so_and_offers_no_images(app, monkeypatch):
    _no_browser(monkeypatch)
    run(app)
    run(app, "export")
    assert any(images.NO_BROWSER_MESSAGE in w.value for w in app.warning)
    formats = app.get("button_group")[0]
    options = [str(o) for o in formats.options]
    assert not any("PNG" in o or "SVG" in o for o in options)
    assert any("Excel" in o for o in options) and any("PDF" in o for o in options)


def test_build_excel_and_csv_for_one_quartier(app, monkeypatch):
    _no_browser(monkeypatch)
    seen: dict = {}
    real = package.build_report

    def spy(inventory, **kwargs):
        seen.update(kwargs)
        return real(inventory, **kwargs)

    monkeypatch.setattr(package, "build_report", spy)
    run(app)
    run(app, "export")
    first = app.multiselect(key="w_export_quartiere").options[0]
    app.multiselect(key="w_export_quartiere").set_value([first])
    app.session_state["w_export_formats"] = ["xlsx", "csv"]
    run(app)
    app.button(key="w_export_build").click()
    run(app)
    assert not app.error, [e.value for e in app.error]
    assert seen["quartiere"] == [first] and seen["formats"] == {"xlsx", "csv"} and seen["metric"] == "anzahl"
    assert seen["lesart"] is None  # unedited: the package computes the reading itself
    area = app.text_area[0]
    assert area.value.startswith(f"Quartier {first}")
    area.set_value("Unsere Lesart (erfunden).\n– ein Punkt")
    run(app)
    app.button(key="w_export_build").click()
    run(app)
    assert seen["lesart"].headline == "Unsere Lesart (erfunden)." and seen["lesart"].points == ["ein Punkt"]
    _, files = app.session_state[Keys.EXPORT_RESULT]
    assert set(files) == {package.NAME_XLSX, package.NAME_CSV}
    assert files[package.NAME_XLSX][:2] == b"PK"
    labels = [b.label for b in app.get("download_button")]
    assert package.NAME_XLSX in labels and package.NAME_CSV in labels
    assert any(label.startswith("Alles als ZIP") for label in labels)
