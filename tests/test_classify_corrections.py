"""Tests for soni.classify.corrections: explicit fields from the file and users' corrections."""

from __future__ import annotations

import pandas as pd
import pytest

from soni import grid, schema
from soni.classify import (
    UNKNOWN_IDS_ATTR,
    apply_corrections,
    classify,
)
from soni.report import InputError
from tests.test_classify import OUT

# --- corrections -----------------------------------------------------------------------------


def _inventory() -> pd.DataFrame:
    data = pd.DataFrame({
        schema.ZEILEN_ID: ["liste.xlsx:T:2", "liste.xlsx:T:3", "liste.xlsx:T:4"],
        schema.TITEL: ["Seniorenkreis", "Trägerrunde", "Schuldnerberatung"],
        schema.BESCHREIBUNG: ["", "", ""],
    })
    return data.join(classify(data))


def test_apply_corrections() -> None:
    inv = _inventory()
    before = inv.copy()
    out = apply_corrections(inv, {"liste.xlsx:T:2": ("Sozialstruktur", "S1"), "gibt:es:nicht": ("N", None),
                                  "liste.xlsx:T:4": ("I", None)})
    pd.testing.assert_frame_equal(inv, before)  # a new frame
    assert list(out[schema.SONI_FELD]) == ["Sozialstruktur", "Organisation", "Individuum"]
    assert out[schema.SONI_ASPEKT][0] == "Sozialraumanalyse"
    assert out[schema.SONI_ASPEKT][2] == inv[schema.SONI_ASPEKT][2]  # same field: aspect kept
    assert list(out[schema.SONI_QUELLE]) == ["manuell", "Regel", "manuell"]
    assert out[schema.SONI_KONFIDENZ][0] == 1.0 and out[schema.SONI_BEGRUENDUNG][0] == "manuell korrigiert"
    assert out.attrs[UNKNOWN_IDS_ATTR] == ["gibt:es:nicht"]


def test_apply_corrections_rejects_invalid_values() -> None:
    with pytest.raises(InputError, match="kein SONI-Feld"):
        apply_corrections(_inventory(), {"liste.xlsx:T:2": ("Gemeinwesen", None)})
    with pytest.raises(InputError, match="kein SONI-Feld"):
        apply_corrections(_inventory(), {"liste.xlsx:T:2": (None, None)})
    # an aspect of another field contradicts the field: raised, not guessed
    with pytest.raises(InputError, match="kein Aspekt des Feldes Netzwerk"):
        apply_corrections(_inventory(), {"liste.xlsx:T:2": ("Netzwerk", "O1")})
    with pytest.raises(InputError, match="kein Aspekt des Feldes Organisation"):
        apply_corrections(_inventory(), {"liste.xlsx:T:2": ("Organisation", "Case-Management")})
    with pytest.raises(InputError, match="keine Aspekte"):
        apply_corrections(_inventory(), {"liste.xlsx:T:2": ("unklar", "N1")})


def test_apply_corrections_unklar_is_a_manual_answer() -> None:
    inv = _inventory()
    assert inv[schema.SONI_FELD][0] != grid.UNKLAR and inv[schema.SONI_ASPEKT][0] != ""
    out = apply_corrections(inv, {"liste.xlsx:T:2": ("unklar", None), "liste.xlsx:T:3": (" Unklar ", "")})
    for i in (0, 1):
        row = out.iloc[i]
        assert (row[schema.SONI_FELD], row[schema.SONI_ASPEKT]) == (grid.UNKLAR, "")
        assert row[schema.SONI_QUELLE] == schema.QUELLE_MANUELL and row[schema.SONI_KONFIDENZ] == 1.0
        assert "unklar" in row[schema.SONI_BEGRUENDUNG] and row[schema.SONI_ZWEITFELD] == ""
    assert out[schema.SONI_QUELLE][2] == schema.QUELLE_REGEL  # untouched


def test_apply_corrections_aspect_none_keeps_and_empty_clears() -> None:
    inv = _inventory()
    current = inv[schema.SONI_ASPEKT][0]
    assert grid.parse_aspect(current, "Netzwerk") is not None
    same_field = apply_corrections(inv, {"liste.xlsx:T:2": ("Netzwerk", None)})
    assert same_field[schema.SONI_ASPEKT][0] == current  # None: kept, it belongs to the field
    other_field = apply_corrections(inv, {"liste.xlsx:T:2": ("Sozialstruktur", None)})
    assert other_field[schema.SONI_ASPEKT][0] == ""  # None: derived, the old aspect does not fit
    cleared = apply_corrections(inv, {"liste.xlsx:T:2": ("Netzwerk", "")})
    assert (cleared[schema.SONI_FELD][0], cleared[schema.SONI_ASPEKT][0]) == ("Netzwerk", "")
    assert cleared[schema.SONI_QUELLE][0] == schema.QUELLE_MANUELL
    by_key = apply_corrections(inv, {"liste.xlsx:T:2": ("N", "n3")})
    assert by_key[schema.SONI_ASPEKT][0] == grid.ASPECT_BY_KEY["N3"].label


def test_apply_corrections_unklar_on_categorical_columns() -> None:
    inv = _inventory()
    for column in (schema.SONI_FELD, schema.SONI_ASPEKT):
        inv[column] = inv[column].astype("category")
    out = apply_corrections(inv, {"liste.xlsx:T:3": ("unklar", None)})
    assert out[schema.SONI_FELD].astype(str).tolist()[1] == grid.UNKLAR
    assert out[schema.SONI_ASPEKT].astype(str).tolist()[1] == ""


def test_apply_corrections_on_categorical_columns() -> None:
    inv = _inventory()
    inv[schema.SONI_FELD] = inv[schema.SONI_FELD].astype("category")
    out = apply_corrections(inv, {"liste.xlsx:T:3": ("Sozialstruktur", "S3")})
    assert out[schema.SONI_FELD].astype(str).tolist()[1] == "Sozialstruktur"


def test_corrections_survive_reclassification() -> None:
    corrections = {"liste.xlsx:T:3": ("Netzwerk", "N3")}
    inv = _inventory()
    first = apply_corrections(inv, corrections)
    texts = first.drop(columns=OUT)
    again = apply_corrections(texts.join(classify(texts)), corrections)
    pd.testing.assert_frame_equal(first, again)
    assert again[schema.SONI_FELD][1] == "Netzwerk" and again[schema.SONI_QUELLE][1] == "manuell"


def test_download_upload_round_trip_keeps_manual_rows() -> None:
    corrected = apply_corrections(_inventory(), {"liste.xlsx:T:2": ("Organisation", "O2")})
    # a download carries the SONI columns; on upload they map to the explicit input columns
    uploaded = corrected[[schema.ZEILEN_ID, schema.TITEL, schema.BESCHREIBUNG, *schema.SONI_COLUMNS]].rename(
        columns={schema.SONI_FELD: schema.IN_FELD, schema.SONI_ASPEKT: schema.IN_ASPEKT,
                 schema.SONI_QUELLE: schema.IN_QUELLE}
    )
    back = classify(uploaded)
    assert (back[schema.SONI_FELD][0], back[schema.SONI_ASPEKT][0]) == ("Organisation",
                                                                      "Steuerung trägereigener Angebote")
    assert back[schema.SONI_QUELLE][0] == "manuell" and back[schema.SONI_KONFIDENZ][0] == 1.0
    assert list(back[schema.SONI_FELD]) == list(corrected[schema.SONI_FELD])
    assert list(back[schema.SONI_QUELLE][1:]) == ["Datei", "Datei"]


def test_round_trip_keeps_a_manual_unklar_and_a_manual_empty_aspect() -> None:
    corrected = apply_corrections(_inventory(), {"liste.xlsx:T:2": ("unklar", None),
                                                 "liste.xlsx:T:3": ("Netzwerk", "")})
    uploaded = corrected[[schema.ZEILEN_ID, schema.TITEL, schema.BESCHREIBUNG, *schema.SONI_COLUMNS]].rename(
        columns={schema.SONI_FELD: schema.IN_FELD, schema.SONI_ASPEKT: schema.IN_ASPEKT,
                 schema.SONI_QUELLE: schema.IN_QUELLE})
    back = classify(uploaded)
    assert (back[schema.SONI_FELD][0], back[schema.SONI_ASPEKT][0], back[schema.SONI_QUELLE][0]) == (
        "unklar", "", "manuell")
    assert (back[schema.SONI_FELD][1], back[schema.SONI_ASPEKT][1], back[schema.SONI_QUELLE][1]) == (
        "Netzwerk", "", "manuell")
    assert back[schema.SONI_KONFIDENZ][:2].tolist() == [1.0, 1.0]

