"""soni.classify.model: compiling the lexicon – here the inflected forms of a phrase's leading words."""

from __future__ import annotations

import pandas as pd

from soni import schema
from soni.classify import classify
from soni.classify.model import MAX_INFLECTED, PHRASE_ENDINGS, _phrase_forms


def test_an_adjective_before_the_noun_may_be_inflected_articles_not() -> None:
    assert _phrase_forms("haeusliche gewalt") == [
        "haeusliche gewalt", "haeuslicher gewalt", "haeuslichen gewalt", "haeuslichem gewalt"]
    assert _phrase_forms("eine welt") == ["eine welt"]  # an article stays as written
    assert _phrase_forms("zu hause") == ["zu hause"]  # only words that end in "e"; the last word as written
    assert len(_phrase_forms("aktivierende soziale arbeit")) == 16  # every leading adjective, 4 forms each


def test_an_inflected_phrase_is_found_and_shown_as_the_lexicon_writes_it() -> None:
    frame = pd.DataFrame({schema.TITEL: ["Telefon bei häuslicher Gewalt", "Leben in einer Welt voller Lärm"]})
    result = classify(frame)
    assert result[schema.SONI_FELD].iloc[0] == "Individuum"
    assert "„häusliche gewalt“" in result[schema.SONI_BEGRUENDUNG].iloc[0]  # the lexicon's spelling
    # "eine welt" (development policy: kein Sozialbezug) does not find "einer Welt"
    assert "welt" not in result[schema.SONI_BEGRUENDUNG].iloc[1].casefold()


def test_a_form_the_lexicon_lists_itself_counts_once() -> None:
    # the lexicon holds "neue angebot" and "neuen angebot": "neuen Angeboten" is one occurrence, one hit
    lexicon = pd.DataFrame({"Begriff": ["neue Angebot", "neuen Angebot", "Treff"],
                            "Feld": ["Organisation", "Organisation", "Netzwerk"], "Gewicht": [2, 2, 3.5]})
    result = classify(pd.DataFrame({schema.TITEL: ["Treff mit neuen Angeboten"]}), lexicon=lexicon).iloc[0]
    # counted once (2 × 1.5) the Treff (3.5 × 1.5) outweighs it; counted twice (6) it would not
    assert result[schema.SONI_FELD] == "Netzwerk"
    assert "„neuen Angebot“" in result[schema.SONI_BEGRUENDUNG]  # shown as the entry that lists this form


def test_a_long_user_phrase_does_not_multiply_its_forms() -> None:
    # a sentence pasted as one term: n words ending in "e" would give 4 ** n forms (20 words: 10 ** 12)
    sentence = " ".join(["offene"] * 7 + ["arbeit"])
    forms = _phrase_forms(sentence)
    assert forms[0] == sentence and len(forms) == (len(PHRASE_ENDINGS) + 1) ** MAX_INFLECTED
    terms = pd.DataFrame({"Begriff": [sentence], "Feld": ["Netzwerk"], "Gewicht": [3]})
    assert classify(pd.DataFrame({schema.TITEL: [sentence]}), extra_terms=terms)[schema.SONI_FELD].iloc[0] == "Netzwerk"
