"""AppTest of the upload page: files in, summary, report, sheet and mapping, errors, caching."""

from __future__ import annotations

import pandas as pd

from soni import classify, pipeline, schema, texts
from soni.report import FEHLER
from tests.test_app_common import (  # noqa: F401 — fixture
    XLSX_MIME,
    app_fixture,
    charts,
    csv_bytes,
    current_inventory,
    run,
    sample_upload,
    small_inventory,
    upload,
    xlsx_bytes,
)
from views.keys import Keys


def _inventory(at):
    return current_inventory(at)


def test_upload_xlsx_reads_it_and_summarises(app):
    frame = small_inventory(24)
    upload(app, ("liste.xlsx", xlsx_bytes(frame), XLSX_MIME))
    assert not app.error, [e.value for e in app.error]
    inv = _inventory(app)
    assert len(inv) == 24
    summary = app.success[0].value
    assert summary.startswith("24 Aktivitäten aus 1 Datei")
    assert app.session_state[Keys.UPLOADS][0][0] == "liste.xlsx"
    # the mapping found "Stadtteil" as Quartier and offers it per canonical column
    quartier_box = next(s for s in app.selectbox if s.label == schema.QUARTIER)
    assert quartier_box.value == "Stadtteil"
    # the report is a table
    report = app.dataframe[0].value
    assert list(report.columns) == ["Stufe", "Datei", "Blatt", "Zeile", "Spalte", "Meldung"]


def test_two_files_are_merged_and_listed(app):
    a, b = small_inventory(10), small_inventory(6)
    upload(app, ("a.csv", csv_bytes(a), "text/csv"), ("b.csv", csv_bytes(b), "text/csv"))
    inv = _inventory(app)
    assert len(inv) == 16
    assert sorted(inv.activities[schema.DATEI].astype(str).unique()) == ["a.csv", "b.csv"]
    assert app.success[0].value.startswith("16 Aktivitäten aus 2 Dateien")
    run(app, "quartier")
    assert app.sidebar.text[0].value == "a.csv, b.csv"


def test_unusable_file_shows_a_german_error_and_keeps_the_sample(app):
    upload(app, ("kaputt.xlsx", b"das ist keine Tabelle \x00\x01\x02" * 20, XLSX_MIME))
    assert app.error, "an error message is shown"
    message = app.error[0].value
    assert "kaputt\\.xlsx" in message and "Traceback" not in message  # escaped: shown literally
    assert Keys.UPLOADS not in app.session_state
    run(app, "quartier")
    assert app.sidebar.text[0].value == "Beispieldaten (erfunden)"
    assert {"chart_feld", "chart_aspekt"} <= set(charts(app))


def test_report_lists_errors_first(app):
    bad = pd.DataFrame({"Titel": ["Treff (erfunden)", "Beratung (erfunden)"], "Quartier": ["Nord", "Süd"],
                        "Stunden": ["zehn", "12"]})
    upload(app, ("ok.csv", csv_bytes(small_inventory(5)), "text/csv"),
           ("broken.xlsx", b"PK\x03\x04 kaputt", XLSX_MIME), ("stunden.csv", csv_bytes(bad), "text/csv"))
    report = app.dataframe[0].value
    levels = list(report["Stufe"])
    assert FEHLER in levels
    order = {"Fehler": 0, "Warnung": 1, "Hinweis": 2}
    assert [order[x] for x in levels] == sorted(order[x] for x in levels)
    assert (report.loc[report["Stufe"] == FEHLER, "Datei"] == "broken.xlsx").any()
    assert len(_inventory(app)) == 7  # the two usable files are read
    widths = app.dataframe[0].proto.columns  # the message column is the wide one
    assert "Meldung" in widths
    app.pills(key="w_report_levels").set_value([])
    run(app)
    assert texts.NO_ROWS in [c.value for c in app.caption]  # not Streamlit's English "empty"


def test_sheet_choice_rereads_and_switching_back_uses_the_session_cache(app):
    upload(app, sample_upload())
    sheet_box = next(s for s in app.selectbox if s.label == "Tabellenblatt")
    assert sheet_box.options == ["Aktivitäten", "Hinweis"]
    n_first = len(_inventory(app))
    runs = app.session_state[Keys.PIPELINE_RUNS]
    sheet_box.set_value("Hinweis")
    run(app)
    assert app.session_state[Keys.OPTIONS]["inventar.xlsx"].sheet == "Hinweis"
    assert set(_inventory(app).activities[schema.BLATT].astype(str)) == {"Hinweis"}
    assert app.session_state[Keys.PIPELINE_RUNS] == runs + 1
    next(s for s in app.selectbox if s.label == "Tabellenblatt").set_value("Aktivitäten")
    run(app)
    assert len(_inventory(app)) == n_first
    assert app.session_state[Keys.PIPELINE_RUNS] == runs + 1  # read before in this session: cached


def test_mapping_override_rereads_and_keeps_corrections(app):
    upload(app, ("liste.csv", csv_bytes(small_inventory(12)), "text/csv"))
    inv = _inventory(app)
    row_id = str(inv.activities[schema.ZEILEN_ID].iloc[0])
    app.session_state[Keys.CORRECTIONS] = {row_id: ("Sozialstruktur", "Sozialraumplanung")}
    app.session_state[Keys.CORRECTIONS_REV] = 99
    runs = app.session_state[Keys.PIPELINE_RUNS]
    box = next(s for s in app.selectbox if s.label == schema.QUARTIER)
    box.set_value(box.options[0])  # "– nicht zugeordnet –"
    next(b for b in app.button if b.label == "Zuordnung übernehmen").click()
    run(app)
    assert app.session_state[Keys.PIPELINE_RUNS] == runs + 1
    options = app.session_state[Keys.OPTIONS]["liste.csv"]
    assert options.mapping.get(schema.QUARTIER) is None and schema.QUARTIER in options.mapping
    # the uploader box may look empty now: the page says what is loaded
    assert any(c.value.startswith("Geladen: liste") for c in app.caption)
    run(app, "quartier")
    corrected = common_inventory(app)
    assert set(corrected.activities[schema.QUARTIER].astype(str)) == {schema.OHNE_QUARTIER}
    row = corrected.activities[corrected.activities[schema.ZEILEN_ID].astype(str) == row_id].iloc[0]
    assert (row[schema.SONI_FELD], row[schema.SONI_ASPEKT], row[schema.SONI_QUELLE]) == \
        ("Sozialstruktur", "Sozialraumplanung", schema.QUELLE_MANUELL)


def common_inventory(at):
    """The corrected inventory the pages last used."""
    stamp_inv = at.session_state.get(Keys.CORRECTED, None)
    return stamp_inv[1] if stamp_inv else _inventory(at)


def test_switching_quartier_metric_and_filter_does_not_rerun_the_pipeline(app, monkeypatch):
    calls = {"run": 0, "classify": 0}
    real_run, real_classify = pipeline.run, classify.classify

    def counting_run(*args, **kwargs):
        calls["run"] += 1
        return real_run(*args, **kwargs)

    def counting_classify(*args, **kwargs):
        calls["classify"] += 1
        return real_classify(*args, **kwargs)

    monkeypatch.setattr(pipeline, "run", counting_run)
    monkeypatch.setattr(classify, "classify", counting_classify)
    run(app)  # the sample
    calls.update(run=0, classify=0)
    upload(app, ("liste.csv", csv_bytes(small_inventory(30)), "text/csv"))
    assert calls == {"run": 1, "classify": 1}
    runs = app.session_state[Keys.PIPELINE_RUNS]
    run(app, "quartier")
    app.selectbox(key="w_quartier").set_value("Nordstadt")
    run(app)
    app.radio(key="w_metric").set_value("stunden")
    run(app)
    app.multiselect(key="w_traeger").set_value(["Diakonie Musterstadt"])
    run(app)
    app.toggle(key="w_share").set_value(True)
    run(app)
    run(app, "vergleich")
    run(app, "pruefen")
    run(app, "quartier")
    assert calls == {"run": 1, "classify": 1}
    assert app.session_state[Keys.PIPELINE_RUNS] == runs


def test_user_text_is_never_rendered_as_markdown(app):
    frame = small_inventory(6)
    frame.loc[0, "Titel"] = "<script>alert(1)</script> **fett**"
    frame["Stadtteil"] = "<b>Nord</b> **Stadt**"
    upload(app, ("<i>liste</i>.csv", csv_bytes(frame), "text/csv"))
    pages = ("upload", "quartier", "vergleich", "pruefen", "export")
    for page in pages:
        run(app, page)
        for element in [*app.markdown, *app.caption, *app.success, *app.info, *app.warning, *app.error,
                        *app.subheader, *app.title]:
            text = element.value
            assert "<script>" not in text and "<b>" not in text and "<i>" not in text, (page, text)
            assert "**Stadt**" not in text and "**fett**" not in text, (page, text)
        for expander in app.expander:
            assert "<i>" not in expander.label, (page, expander.label)
    assert app.sidebar.text[0].value == "<i>liste</i>.csv"  # shown literally as text


def test_mapping_offers_every_header_of_the_sheet_even_empty_columns(app):
    frame = small_inventory(8)
    frame.insert(2, "Notizen (leer)", "")  # a column without any value
    frame["Kosten in Euro"] = ""
    upload(app, ("liste.xlsx", xlsx_bytes(frame), XLSX_MIME))
    inv = _inventory(app)
    (info,) = inv.sources.values()
    assert "Notizen (leer)" in info["headers"]
    box = next(s for s in app.selectbox if s.label == schema.TITEL)
    offered = box.options[1:]  # after "– nicht zugeordnet –"
    assert offered == [str(h) for h in info["headers"]]
    assert {"Notizen (leer)", "Kosten in Euro", "Titel", "Stadtteil"} <= set(offered)
    # an empty column can be chosen; the form re-reads with that mapping
    box = next(s for s in app.selectbox if s.label == schema.ZIELGRUPPE)
    assert box.value == "Zielgruppe"
    box.set_value("Notizen (leer)")
    next(b for b in app.button if b.label == "Zuordnung übernehmen").click()
    run(app)
    assert app.session_state[Keys.OPTIONS]["liste.xlsx"].mapping[schema.ZIELGRUPPE] == "Notizen (leer)"
    assert set(_inventory(app).activities[schema.ZIELGRUPPE].astype(str)) == {""}


def test_fill_down_is_suggested_and_accepted_and_the_mapping_file_round_trips(app):
    from soni import mappingfile
    from tests import office

    name, data = office.parish_xlsx(merged=False)
    upload(app, (name, data, XLSX_MIME))
    inv = _inventory(app)
    assert (inv.activities[schema.QUARTIER].astype(str) == schema.OHNE_QUARTIER).sum() == 36
    fill = next(m for m in app.multiselect if m.label.startswith("Leere Zellen mit dem Wert darüber"))
    assert fill.value == []
    assert any(c.value.startswith("Vorschlag\\: Wo \\(Bezirk/Viertel\\), Wer macht's") for c in app.caption)
    fill.set_value(["Wo (Bezirk/Viertel)"])
    run(app)
    inv = _inventory(app)
    assert inv.activities[schema.QUARTIER].astype(str).tolist() == [r[2] for r in office.ACTIVITIES]
    assert app.session_state[Keys.OPTIONS][name].fill_down == ("Wo (Bezirk/Viertel)",)
    # a saved mapping (description from the remarks, Träger not mapped) is loaded and applied
    saved = mappingfile.SavedMapping(
        {schema.BESCHREIBUNG: "Bemerkungen", schema.TRAEGER: None, schema.ENDE: "Gibt's nicht"},
        ("Wo (Bezirk/Viertel)", "Wer macht's"))
    app.file_uploader[1].set_value(("zuordnung.json", mappingfile.dumps(saved).encode(), "application/json"))
    run(app)
    mapping = next(iter(_inventory(app).mappings.values()))
    assert mapping[schema.BESCHREIBUNG] == "Bemerkungen" and schema.TRAEGER not in mapping
    assert schema.ENDE not in mapping
    assert app.session_state[Keys.OPTIONS][name].fill_down == ("Wo (Bezirk/Viertel)", "Wer macht's")
    assert any(d.proto.label == "Spaltenzuordnung speichern" for d in app.get("download_button"))


def test_markup_in_a_file_name_never_reaches_the_error_box(app):
    """Issue #16: the load error names the file; Markdown, HTML and colour syntax in it stay text."""
    import re

    names = ("![x](http://example.invalid/a.png).xlsx", "[klick](http://example.invalid).xlsx",
             ":red[rot] <img src=x onerror=alert(1)>.xlsx")
    for name in names:
        upload(app, (name, b"das ist keine Tabelle \x00\x01\x02" * 20, XLSX_MIME))
        body = app.error[0].value
        assert "Traceback" not in body
        # every Markdown bracket, colon and angle bracket from the name arrives escaped
        assert not re.search(r"(?<!\\)[\[\]():<>!]", body.split(":", 1)[0].replace("&lt;", "").replace("&gt;", "")
                             ), body
        assert "<img" not in body and "](http" not in body and ":red[" not in body


#: Markdown (bold, link), Streamlit colour syntax and HTML, as a file, sheet or zip part could be named.
HOSTILE_NAME = "**fett** :red[rot] <img src=x onerror=alert(1)> [klick](http:example.invalid)"
_RAW_MARKUP = ("**fett**", ":red[", "<img", "](http")
_MARKDOWN_ELEMENTS = ("markdown", "caption", "error", "warning", "info", "success", "toast", "title", "header",
                      "subheader")


def _markdown_bodies(at) -> list[str]:
    """Every text the page renders as Markdown (element bodies, expander and tab labels)."""
    bodies = [str(e.value) for kind in _MARKDOWN_ELEMENTS for e in at.get(kind)]
    return bodies + [e.label for e in at.get("expander")] + [t.label for t in at.tabs]


def _named_sheet(data: bytes, placeholder: str = "PLATZHALTER") -> bytes:
    """``data`` (an xlsx whose sheet is called ``placeholder``) with the sheet renamed to HOSTILE_NAME."""
    from xml.sax.saxutils import escape

    from tests import hostile

    name = escape(HOSTILE_NAME, {'"': "&quot;"}).encode()
    return hostile.rewrite(data, "xl/workbook.xml", lambda old: old.replace(placeholder.encode(), name))


def test_markup_in_file_sheet_and_zip_part_names_stays_text_on_every_page(app):
    """Issue #16, point 2: wherever a file, sheet or zip part name is shown (error box, report, captions,
    expanders, sources on every page), Markdown, colour syntax and HTML in it arrive escaped."""
    from tests import hostile

    rows = [hostile.HEADER, *hostile.ROWS, ["Treff", "Offener Treff", "Nordstadt", "viele"]]
    good = _named_sheet(hostile.xlsx(rows, sheet="PLATZHALTER"))
    far = _named_sheet(hostile._add_cell(hostile.xlsx([hostile.HEADER, *hostile.ROWS], sheet="PLATZHALTER"),
                                         1048576, "XFD1048576"))
    part = hostile.huge_shared_strings_xlsx()[1]  # its table claims 4 billion texts; under a hostile name
    part = hostile.raw_zip([(f"xl/{HOSTILE_NAME}sharedStrings.xml" if name == "xl/sharedStrings.xml" else name,
                             *hostile.deflated(content)) for name, content in hostile._members(part).items()])

    for data, shown in ((far, "XFD1048576"), (part, "sharedStrings")):  # refused: the error names sheet / part
        upload(app, (f"{HOSTILE_NAME}.xlsx", data, XLSX_MIME))
        assert app.error and shown in app.error[0].value
        assert "\\*\\*fett\\*\\*" in app.error[0].value  # the name is there, escaped
        for body in _markdown_bodies(app):
            assert not any(raw in body for raw in _RAW_MARKUP), body

    upload(app, (f"{HOSTILE_NAME}.xlsx", good, XLSX_MIME))
    assert not app.error
    for page in ("upload", "quartier", "vergleich", "pruefen", "export"):
        run(app, page)
        bodies = _markdown_bodies(app)
        if page != "pruefen":  # there only in the sidebar's plain text
            assert any("\\*\\*fett\\*\\*" in body for body in bodies), page  # shown, escaped
        for body in bodies:
            assert not any(raw in body for raw in _RAW_MARKUP), (page, body)
