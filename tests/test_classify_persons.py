"""Tests for soni.classify.persons: work for one single person named in the title is Individuum."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from soni import schema
from soni.classify import classify
from soni.classify.persons import single_person


def test_one_person_after_a_singular_article_is_found() -> None:
    titles = ["Begleitung für eine ältere Dame", "Fahrdienst für einen MS-erkrankten Mann",
              "Unternehmungen mit einer Frau mit Behinderung", "Vormund für ein Kind",
              "Sich kümmern um einen älteren Menschen", "Einkaufshilfe für einen kranken Menschen"]
    one, shown = single_person(pa.array(titles, type=pa.string()))
    assert one.all()
    assert shown[0] == "für eine ältere Dame"


def test_groups_offers_and_things_are_no_single_person() -> None:
    titles = ["Mit einer Seniorengruppe unterwegs", "Organisationstalent für einen Seniorentreffpunkt",
              "Fahrdienst für unsere Bewohnerinnen", "Text für eine Broschüre für Jugendliche", "",
              "Um eine Gruppe kümmern", "Mit Menschen aus aller Welt kochen"]
    one, _ = single_person(pa.array(titles, type=pa.string()))
    assert not one.any()


def test_help_for_one_person_is_individuum_the_same_help_as_a_network_is_not() -> None:
    titles = ["Nachbarschaftshilfe für eine ältere Dame", "Nachbarschaftshilfe im Quartier"]
    frame = pd.DataFrame({schema.TITEL: titles})
    result = classify(frame)
    assert result[schema.SONI_FELD].tolist() == ["Individuum", "Netzwerk"]
    assert "für eine ältere Dame" in result[schema.SONI_BEGRUENDUNG].iloc[0]


def test_one_person_in_the_description_counts_less_but_decides_against_frame_words() -> None:
    frame = pd.DataFrame({
        schema.TITEL: ["Ausflüge gesucht"],
        schema.BESCHREIBUNG: ["Gemeinsame Ausflüge mit einer älteren Dame aus dem Stadtteil, etwa in den Park."],
    })
    result = classify(frame)
    assert result[schema.SONI_FELD].iloc[0] == "Individuum"
    assert "mit einer älteren Dame" in result[schema.SONI_BEGRUENDUNG].iloc[0]
