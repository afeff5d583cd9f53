"""The saved column mapping (JSON) shared by the dashboard, the command line and the workspace."""

from __future__ import annotations

import json

import pytest

from soni import mappingfile, schema
from soni.report import InputError


def test_a_mapping_survives_the_round_trip_with_unmapped_columns_as_null() -> None:
    saved = mappingfile.from_choice({schema.TITEL: "Angebot/Aktion", schema.BESCHREIBUNG: "Worum geht's"},
                                    ["Wo (Bezirk/Viertel)"])
    text = mappingfile.dumps(saved)
    data = json.loads(text)
    assert data["format"] == mappingfile.FORMAT and data["spalten"][schema.ENDE] is None
    again = mappingfile.loads(text.encode("utf-8"))
    assert again == saved
    assert again.columns[schema.BESCHREIBUNG] == "Worum geht's" and again.fill_down == ("Wo (Bezirk/Viertel)",)


def test_canonical_names_are_matched_without_case_and_umlauts() -> None:
    assert mappingfile.canon_name("traeger") == schema.TRAEGER
    assert mappingfile.parse_assignments(["beschreibung=Worum geht's", "Ende="]) == {
        schema.BESCHREIBUNG: "Worum geht's", schema.ENDE: None}


@pytest.mark.parametrize("text", ["[]", '{"format": "x"}', "nicht json", '{"format": "soni-spaltenzuordnung", '
                                  '"version": 1, "spalten": {"Farbe": "A"}}',
                                  '{"format": "soni-spaltenzuordnung", "version": 1, "spalten": {"Titel": 3}}',
                                  '{"format": "soni-spaltenzuordnung", "version": 99}', "[" * 100_000])
def test_anything_else_is_refused_in_german(text: str) -> None:
    with pytest.raises(InputError):
        mappingfile.loads(text, file="z.json")
