"""Tests for soni.classify.silence: a row with enough text but no word of social work is "kein Sozialbezug"."""

from __future__ import annotations

import pandas as pd

from soni import grid, schema
from soni.classify import classify
from soni.classify.decide import NO_EVIDENCE_CONFIDENCE


def _classify(titles: list[str], descriptions: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({schema.TITEL: titles, schema.BESCHREIBUNG: descriptions or [""] * len(titles)})
    return classify(frame)


def test_text_without_any_social_word_is_no_social_work_with_a_modest_confidence() -> None:
    r = _classify(["die Taekwondo German Open 2012", "Wandbild am Pumpenhaus Neuwiedenthal",
                   "Einbau einer Klimaanlage", "Revision"],
                  ["", "", "", "der Kasse und Belege im Landesverband"])
    assert (r[schema.SONI_FELD] == grid.KEIN_BEZUG).all()
    assert (r[schema.SONI_KONFIDENZ] == NO_EVIDENCE_CONFIDENCE).all()
    assert r[schema.SONI_BEGRUENDUNG].str.contains("kein Hinweiswort auf soziale Arbeit gefunden – bitte prüfen").all()
    assert (r[schema.SONI_ASPEKT] == "").all()


def test_a_compound_of_the_social_domain_the_lexicon_lacks_stays_unklar() -> None:
    r = _classify(["Suchtpräventionsprojekt KAJAL", "den Betrieb des Jugendkellers St. Trinitatis",
                   "Projektfond Seniorenlarbeit in Bergedorf", "Betrieb der Übernachtungsstelle St. Georgstraße"])
    assert (r[schema.SONI_FELD] == grid.UNKLAR).all()
    assert r[schema.SONI_BEGRUENDUNG].str.startswith("unklar: keine Hinweiswörter").all()


def test_too_little_text_stays_unklar() -> None:
    r = _classify(["Montag 18 Uhr", "", "Projekt XY"])
    assert (r[schema.SONI_FELD] == grid.UNKLAR).all()
    assert (r[schema.SONI_KONFIDENZ] == 0.0).all()


def test_rows_with_words_are_decided_as_before() -> None:
    r = _classify(["Seniorenkreis im Gemeindehaus für das Quartier", "LED-Beleuchtung für den Sportplatz"])
    assert r[schema.SONI_FELD].iloc[0] == "Netzwerk"
    assert "bitte prüfen" not in r[schema.SONI_BEGRUENDUNG].iloc[1]
