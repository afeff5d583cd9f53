"""The four real public spreadsheets in ../shared/realdata (read from there, never copied)."""

from __future__ import annotations

import pytest

from soni import pipeline, schema
from tests.files import REALDATA

pytestmark = pytest.mark.skipif(not REALDATA.is_dir(), reason=f"{REALDATA} fehlt (shared/realdata nicht vorhanden)")

# rows per SOURCES.md, the Quartier-like column, and skips we expect at least
CASES = {
    "zuwendungsbericht-2013.xlsx": (4694, "Behörde"),
    "ehrenamt.csv": (2311, "ortsteil"),
    "ESF im Land Bremen Liste der Vorhaben Stand der Daten 28.xlsx": (
        99, "Standortindikatoren/ Projektort im Land Bremen"),
    "STZ.csv": (101, "Bezirk"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_file_is_read_completely(name: str) -> None:
    rows, quartier = CASES[name]
    inv = pipeline.run([(name, (REALDATA / name).read_bytes())])
    assert len(inv) == rows
    mapping = next(iter(inv.mappings.values()))
    assert mapping[schema.QUARTIER] == quartier
    assert schema.TITEL in mapping
    assert not inv.report.has_errors
    # nothing vanished: every activity keeps all of its original cells
    assert len(inv.original) == rows and inv.original.shape[1] >= len(mapping)


def test_esf_legend_and_preamble_are_reported_as_skips() -> None:
    name = "ESF im Land Bremen Liste der Vorhaben Stand der Daten 28.xlsx"
    inv = pipeline.run([(name, (REALDATA / name).read_bytes())])
    reasons = inv.report.skip_summary()
    # the nine rows below the table (SOURCES.md): seven legend lines and two empty ones
    assert reasons.get("Legende oder Fußnote", 0) + reasons.get("leere Zeile", 0) == 9
    assert reasons.get("Legende oder Fußnote", 0) == 7
    assert sum(n for r, n in reasons.items() if r.startswith("vor der Kopfzeile")) == 5
    assert inv.activities[schema.QUARTIER].astype(str).str.contains(r"\d{5}").sum() == 0  # postcodes removed


def test_hamburg_grants_keep_the_negative_amount_and_report_it() -> None:
    name = "zuwendungsbericht-2013.xlsx"
    inv = pipeline.run([(name, (REALDATA / name).read_bytes())])
    assert (inv.activities[schema.KOSTEN] < 0).sum() == 1
    assert any("Negativer Wert" in p.message for p in inv.report.problems)
    assert inv.activities[schema.JAHR].notna().all()


def test_volunteering_offers_lose_their_html_but_keep_the_text() -> None:
    name = "ehrenamt.csv"
    inv = pipeline.run([(name, (REALDATA / name).read_bytes())])
    text = inv.activities[schema.BESCHREIBUNG]
    assert not text.str.contains("<p>").any()
    assert inv.original["beschreibung"].astype(str).str.contains("<p>").any()
