"""Tests for soni.classify.columns: the upload's other text columns ("Weitere Texte")."""

from __future__ import annotations

import pandas as pd

from soni import schema
from soni.classify import (
    classify,
)

# --- every text column counts ---------------------------------------------------------------------


def test_extra_text_reads_unmapped_text_columns_and_skips_contact_place_and_numbers() -> None:
    from soni.classify import extra_text

    original = pd.DataFrame({
        "Name": ["Haus A", "Haus B"], "Kurzbeschreibung": ["", ""], "Angebot": ["Stadtteilarbeit", "0"],
        "Schlagworte": ["Beratung, Kurse", ""], "E_Mail": ["a@b.de", "c@d.de"], "Adresse": ["Weg 1", "Weg 2"],
        "Bezirk": ["Mitte", "Nord"], "Betrag": ["100", "200"], "Kennziffer": ["12", "13"],
    })
    mapping = {schema.TITEL: "Name", schema.BESCHREIBUNG: "Kurzbeschreibung", schema.QUARTIER: "Bezirk"}
    assert extra_text(original, mapping).tolist() == ["Stadtteilarbeit · Beratung, Kurse", ""]
    r = classify(pd.DataFrame({schema.TITEL: ["Haus A"], schema.WEITERE_TEXTE: ["Stadtteilarbeit"]})).iloc[0]
    assert r[schema.SONI_FELD] == "Netzwerk" and "Weitere Texte: „Stadtteilarbeit“" in r[schema.SONI_BEGRUENDUNG]


def test_extra_text_ignores_the_pipelines_own_columns() -> None:
    from soni.classify import extra_text

    original = pd.DataFrame({"Titel": ["Mittagstisch"], "SONI-Begründung": ["Titel: „Mittagstisch“ → Netzwerk"],
                             "SONI-Zweitfeld": ["Individuum"], "Zeilen-ID": ["a.xlsx:2"], "Thema": ["Essen für alle"]})
    assert extra_text(original, {schema.TITEL: "Titel"}).tolist() == ["Essen für alle"]

