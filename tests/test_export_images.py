"""Chart images through the shared export browser (skipped without Chromium)."""

from __future__ import annotations

import threading

import plotly.graph_objects as go
import pytest
from defusedxml import ElementTree

from soni.export import images

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _fig(title: str = "Aktivitäten „im Quartier“ – Größe €") -> go.Figure:
    fig = go.Figure(go.Bar(x=["Nordstadt", "Südviertel"], y=[3, 5]))
    fig.update_layout(title=title)
    return fig


needs_browser = pytest.mark.skipif(
    not images.browser_available(),
    reason=f"kein Chromium für den Bildexport gefunden ({images.unavailable_reason()})",
)


def test_png_size_reads_header():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (37, 11), "white").save(buffer, format="PNG")
    assert images.png_size(buffer.getvalue()) == (37, 11)
    with pytest.raises(ValueError):
        images.png_size(b"GIF89a" + b"\x00" * 30)


def test_find_browser_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "gibt-es-nicht"))
    assert images.find_browser() is None
    exe = tmp_path / "fake-chromium"
    exe.write_text("#!/bin/sh\nexit 1\n")
    exe.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(exe))
    assert images.find_browser() == str(exe)


def test_no_browser_gives_german_error(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "gibt-es-nicht"))
    browser = images._ExportBrowser()  # a private instance: the shared one stays untouched
    with pytest.raises(images.ImageExportError) as info:
        browser.render([({"data": []}, {"format": "png"})])
    assert str(info.value) == images.NO_BROWSER_MESSAGE
    assert "Chromium" in images.NO_BROWSER_MESSAGE and "Excel" in images.NO_BROWSER_MESSAGE


@pytest.mark.browser
@pytest.mark.slow
def test_broken_browser_fails_clearly_and_is_not_retried_at_once(monkeypatch, tmp_path):
    exe = tmp_path / "kaputt"
    exe.write_text("#!/bin/sh\nexit 3\n")
    exe.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(exe))
    browser = images._ExportBrowser()
    with pytest.raises(images.ImageExportError) as info:
        browser.render([({"data": []}, {"format": "png"})])
    assert "ließ sich nicht starten" in str(info.value)
    assert not browser.running and browser.starts == 0
    with pytest.raises(images.ImageExportError):  # remembered: no second slow start
        browser.start()


@needs_browser
@pytest.mark.browser
def test_png_print_size_and_magic():
    data = images.figure_to_png(_fig())
    assert data[:8] == PNG_MAGIC
    assert images.png_size(data) == (
        int(images.PRINT_WIDTH * images.PRINT_SCALE),
        int(images.PRINT_HEIGHT * images.PRINT_SCALE),
    )
    small = images.figure_to_png(_fig(), width=400, height=300, scale=1)
    assert images.png_size(small) == (400, 300)


@needs_browser
@pytest.mark.browser
def test_svg_is_xml_with_the_text():
    data = images.figure_to_svg(_fig(), width=500, height=300)
    root = ElementTree.fromstring(data)
    assert root.tag.endswith("svg")
    text = data.decode("utf-8")
    assert "Südviertel" in text and "Größe" in text


@needs_browser
@pytest.mark.browser
def test_batch_keeps_order_and_one_browser():
    images.start_browser()
    starts = images._BROWSER.starts
    figs = [_fig(f"Nr. {i}").update_layout(width=300 + 10 * i, height=200) for i in range(4)]
    out = images.figures_to_png(figs, scale=1)
    assert [images.png_size(b)[0] for b in out] == [300, 310, 320, 330]
    assert images.figures_to_png([]) == []
    images.figure_to_png(_fig(), width=200, height=100, scale=1)
    assert images._BROWSER.starts == starts  # no new browser per image


@needs_browser
@pytest.mark.browser
def test_threads_get_their_own_image():
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = images.figure_to_png(_fig(), width=200 + 20 * i, height=120, scale=1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert {i: images.png_size(b)[0] for i, b in results.items()} == {i: 200 + 20 * i for i in range(5)}


@needs_browser
@pytest.mark.browser
def test_restart_after_stop():
    images.stop_browser()
    assert not images._BROWSER.running
    assert images.figure_to_png(_fig(), width=100, height=80, scale=1)[:8] == PNG_MAGIC
    assert images._BROWSER.running



@needs_browser
@pytest.mark.browser
def test_idle_browser_is_closed(monkeypatch):
    import time

    monkeypatch.setattr(images, "IDLE_STOP", 0.3)
    browser = images._ExportBrowser()  # private instance: the shared one stays untouched
    out = browser.render([(_fig().to_dict(), {"format": "png", "width": 100, "height": 80, "scale": 1})])
    assert out[0][:8] == PNG_MAGIC and browser.running
    deadline = time.monotonic() + 20
    while browser.running and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not browser.running
    browser.stop()
