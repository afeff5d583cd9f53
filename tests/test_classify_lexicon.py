"""Tests for soni.classify.lexicon: reading and validating lexicon tables, users' own terms."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from soni import grid, schema
from soni.classify import (
    LEXICON_COLUMNS,
    LEXICON_PATH,
    classify,
    load_lexicon,
)
from soni.report import InputError
from tests.test_classify import _lex, frame

# --- users' own terms and the lexicon ------------------------------------------------------------


def test_extra_terms_change_the_result() -> None:
    data = frame({schema.TITEL: "Zwergenstube"}, {schema.TITEL: "Tafel"})
    before = classify(data)
    assert before[schema.SONI_FELD][0] == grid.UNKLAR
    terms = pd.DataFrame({"Begriff": ["Zwergenstube", "tafel"], "Feld": ["N", "Organisation"],
                          "Aspekt": ["N1", "O2"], "Gewicht": ["3", "8,5"]})
    after = classify(data, extra_terms=terms)
    assert (after[schema.SONI_FELD][0], after[schema.SONI_ASPEKT][0]) == ("Netzwerk", "Fallunspezifische Arbeit")
    assert "„Zwergenstube“" in after[schema.SONI_BEGRUENDUNG][0]
    assert after[schema.SONI_FELD][1] == "Organisation"  # a strong user term outweighs the lexicon


def test_negative_weight_and_replaced_lexicon() -> None:
    lex = pd.DataFrame({"Begriff": ["garten", "beratung", "garten + beratung"],
                        "Feld": ["Netzwerk", "Individuum", "Netzwerk"],
                        "Aspekt": ["N2", "I1", ""], "Gewicht": [2, 2, -3]})
    r = classify(frame({schema.TITEL: "Garten"}, {schema.TITEL: "Gartenberatung"}), lexicon=lex)
    assert list(r[schema.SONI_FELD]) == ["Netzwerk", "Individuum"]


def test_default_lexicon_is_valid_and_readable() -> None:
    lex = load_lexicon()
    assert list(lex.columns) == list(LEXICON_COLUMNS)
    assert len(lex) > 300
    assert set(lex["Feld"]) == {*grid.FIELD_NAMES, grid.KEIN_BEZUG}
    assert set(lex["Aspekt"]) - {""} == set(grid.ASPECT_LABELS)  # every aspect has vocabulary
    assert LEXICON_PATH.read_text(encoding="utf-8").startswith("#")  # documented header
    # the vocabulary named in the issue is known
    issue_words = {
        "Tafel": "Netzwerk", "Mittagstisch": "Netzwerk", "Seniorenkreis": "Netzwerk",
        "Schuldnerberatung": "Individuum", "Sozialausschuss": "Sozialstruktur", "Trägerrunde": "Organisation",
        "Stadtteilkonferenz": "Netzwerk", "Quartiersbegehung": "Sozialstruktur", "Bedarfsanalyse": "Sozialstruktur",
        "Kleiderkammer": "Netzwerk", "Hausaufgabenhilfe": "Netzwerk", "Migrationsberatung": "Individuum",
        "Netzwerktreffen": "Netzwerk", "Runder Tisch": "Netzwerk", "Bürgerbeteiligung": "Sozialstruktur",
        "Jugendhilfeausschuss": "Sozialstruktur", "Lernpatenschaften": "Individuum", "Integrationslotsen": "Individuum",
    }
    r = classify(pd.DataFrame({schema.TITEL: list(issue_words)}))
    assert dict(zip(issue_words, r[schema.SONI_FELD], strict=True)) == issue_words


def test_lexicon_file_semicolon_and_comments(tmp_path: Path) -> None:
    p = tmp_path / "eigene.csv"
    p.write_text("# meine Begriffe\nBegriff;Feld;Gewicht\nzwergenstube;N;2,5\n\n", encoding="utf-8")
    lex = load_lexicon(p)
    assert lex.loc[0, "Feld"] == "Netzwerk" and lex.loc[0, "Gewicht"] == 2.5 and lex.loc[0, "Grenze"] == "Stamm"


@pytest.mark.parametrize(
    ("content", "row", "column", "words"),
    [
        ("Begriff,Gewicht\ncafé,2\n", 1, "Feld", "fehlt"),
        ("Begriff,Feld,Gewicht\ncafé,Netzwerk,2\ntafel,Gemeinde,2\n", 3, "Feld", "„Gemeinde“ ist kein SONI-Feld"),
        ("# Kopf\nBegriff,Feld,Aspekt,Gewicht\ncafé,Netzwerk,S1,2\n", 3, "Aspekt", "kein Aspekt des Feldes Netzwerk"),
        ("Begriff,Feld,Gewicht\ncafé,N,viel\n", 2, "Gewicht", "keine Zahl"),
        ("Begriff,Feld,Gewicht\ncafé,N,99\n", 2, "Gewicht", "-10 bis 10"),
        ("Begriff,Feld,Gewicht,Grenze\ncafé,N,2,Mitte\n", 2, "Grenze", "unbekannt"),
        ("Begriff,Feld,Gewicht\n,N,2\n", 2, "Begriff", "leer"),
    ],
)
def test_lexicon_validation_errors(tmp_path: Path, content: str, row: int, column: str, words: str) -> None:
    p = tmp_path / "begriffe.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_lexicon(p)
    assert err.value.row == row and err.value.column == column
    assert words in str(err.value) and "begriffe.csv" in str(err.value)
    assert f"Zeile {row}" in str(err.value)


def test_extra_terms_validation_names_excel_row() -> None:
    terms = pd.DataFrame({"Begriff": ["a", "b"], "Feld": ["N", "X"], "Gewicht": [1, 1]})
    with pytest.raises(InputError) as err:
        classify(frame({schema.TITEL: "a"}), extra_terms=terms)
    assert err.value.row == 3 and err.value.column == "Feld"



def test_lexicon_rejects_an_aspect_for_kein_sozialbezug_and_a_blank_field_with_weight() -> None:
    with pytest.raises(InputError, match="keine Aspekte"):
        classify(pd.DataFrame({schema.TITEL: ["x"]}), lexicon=_lex("lampe,kein Sozialbezug,N1,2,,"))
    with pytest.raises(InputError, match="kein SONI-Feld"):
        classify(pd.DataFrame({schema.TITEL: ["x"]}), lexicon=_lex("lampe,,,2,,"))

