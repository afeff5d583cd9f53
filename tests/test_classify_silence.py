"""Tests for soni.classify.silence: a row with enough text but no word of social work is "kein Sozialbezug"."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("abcXYZäÖß1_ \n.-'é")), max_size=25), max_size=10))
def test_at_least_k_words_is_the_count_of_words(texts: list[str]) -> None:
    """The description is only asked whether it holds k more words (the search stops there): the same answer
    as counting its words like ``count_substring_regex`` does."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from soni.classify.silence import _WORD, MIN_TEXT_WORDS, _at_least

    arr = pa.array(texts, type=pa.string())
    count = pc.count_substring_regex(arr, _WORD).to_pylist()
    for k in range(1, MIN_TEXT_WORDS + 1):
        assert pc.match_substring_regex(arr, _at_least(k)).to_pylist() == [c >= k for c in count]


_TEXT = st.lists(st.sampled_from([*"abcXYZäÖß1_ \n.-", "Jugend", "Bau", "Sport "]), max_size=20).map("".join)


@settings(deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=12), st.data())
def test_rows_that_may_be_no_social_work_as_counted_word_by_word(pairs: list[tuple[str, str]], data) -> None:
    """Counting the title's words and asking the description only for the missing ones gives what counting
    every word of both gives (distinct texts shared by several rows, only some rows asked)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from soni.classify.silence import _DOMAIN, _WORD, MIN_TEXT_WORDS, may_be_non_social

    n_cols = len(schema.CLASSIFY_TEXT_COLUMNS)
    title, description = (schema.CLASSIFY_TEXT_COLUMNS.index(c) for c in (schema.TITEL, schema.BESCHREIBUNG))
    dictionaries = [pa.array([""], type=pa.string())] * n_cols
    text_of_row = [np.zeros(len(pairs), dtype=np.int64)] * n_cols
    for i, texts in ((title, [t for t, _ in pairs]), (description, [d for _, d in pairs])):
        distinct = sorted(set(texts))
        dictionaries = [*dictionaries[:i], pa.array(distinct, type=pa.string()), *dictionaries[i + 1:]]
        text_of_row = [*text_of_row[:i], np.array([distinct.index(t) for t in texts]), *text_of_row[i + 1:]]
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, len(pairs) - 1)))), dtype=np.int64)
    expected = np.zeros(len(pairs), dtype=bool)
    for r in rows:
        t, d = pairs[r]
        words = sum(pc.count_substring_regex(pa.array([x]), _WORD)[0].as_py() for x in (t, d))
        social = any(pc.match_substring_regex(pa.array([x]), _DOMAIN, ignore_case=True)[0].as_py() for x in (t, d))
        expected[r] = words >= MIN_TEXT_WORDS and not social
    assert may_be_non_social(dictionaries, text_of_row, rows, len(pairs)).tolist() == expected.tolist()


@pytest.mark.parametrize("titel, is_s", [
    # S1 words (Erfassung, Studie) about moss, a technology centre or lichens are research, not Sozialraumanalyse …
    ("Erfassung der Moose im Stadtpark", False), ("Machbarkeitsstudie für ein Technologiezentrum", False),
    ("Erfassung der Flechten für die Wissenschaft", False),  # "Wissenschaft" holds no "Haft"
    # … about people, needs, the area, its inhabitants and offers (SOCIAL_DOMAIN, SOCIAL_OBJECT) they are
    ("Erfassung der Wohnsituation älterer Menschen im Stadtteil", True), ("Bedarfsanalyse", True),
    ("Bürgerbefragung zur Wohnsituation im Viertel", True), ("Bestandsaufnahme der Angebote im Viertel", True),
    ("Einwohnerstatistik für den Bezirk", True),
])
def test_analysis_words_need_a_social_object(titel: str, is_s: bool) -> None:
    field = classify(pd.DataFrame({schema.TITEL: [titel]}))[schema.SONI_FELD].iloc[0]
    assert (field == "Sozialstruktur") == is_s


def test_schaft_words_hold_no_haft() -> None:
    # "Haft" (prison) only at a word start: a grant for a "Gesellschaft" with a "Wirtschaftsplan" is no social work
    r = classify(pd.DataFrame({schema.TITEL: ["Zuschuss zum Wirtschaftsplan der Gesellschaft für Wissenschaft"]}))
    assert r[schema.SONI_FELD].iloc[0] == grid.KEIN_BEZUG
