"""Tests for soni.classify.segments: the conditions of an ad (perks, requirements, contact) are no activity text."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from soni import schema
from soni.classify import classify
from soni.classify.segments import activity_text, activity_text_one

AD = (
    "<p>Wir suchen Freiwillige für unser offenes Nachbarschaftscafé im Quartier.</p>\n\n"
    "<p><strong>Wir bieten:</strong></p>\n\n"
    "<ul><li>regelmäßige Fortbildung und Supervision</li><li>einen festen Dienstplan</li></ul>"
    "<p><strong>Sie bringen mit:</strong> Geduld und Zuverlässigkeit</p>"
    "<p>Wenn Sie sich für dieses Engagement interessieren, melden Sie sich bei der Freiwilligenagentur.</p>"
)


def test_blocks_under_condition_headings_are_dropped() -> None:
    text = activity_text_one(AD)
    assert "Nachbarschaftscafé" in text
    for gone in ("Fortbildung", "Supervision", "Dienstplan", "Geduld", "Freiwilligenagentur"):
        assert gone not in text


def test_a_heading_of_the_activity_ends_the_dropped_block() -> None:
    text = activity_text_one("Voraussetzungen:<br>Führerschein<br>Ihre Aufgaben:<br>Begleitung zum Arzt")
    assert "Führerschein" not in text
    assert "Begleitung zum Arzt" in text


def test_sentences_about_the_conditions_need_an_address_of_the_reader() -> None:
    text = activity_text_one(
        "Zielgruppe sind Senioren, die Bedarf an sozialen Kontakten haben. "
        "Sie erhalten eine Fortbildung. Ihr Zeitaufwand liegt bei zwei Stunden pro Woche. "
        "Es werden Lese-Coaches gesucht, die sich eine Stunde pro Woche mit einem Kind treffen. "
        "Als Patin übernehmen Sie nach Absprache die Betreuung des Kindes und sind Ansprechpartnerin der Eltern."
    )
    assert "sozialen Kontakten" in text  # no address: the activity
    assert "Fortbildung" not in text and "Zeitaufwand" not in text
    assert "Lese-Coaches" in text  # a time, but no address: the activity
    assert "Betreuung des Kindes" in text  # an address, but no condition: the activity


def test_a_condition_heading_alone_on_its_line_drops_the_list_below() -> None:
    text = activity_text_one("<p>Singen mit Menschen mit Demenz.</p><p>Sie sollten</p><ul><li>Erfahrung</li></ul>")
    assert "Singen mit Menschen mit Demenz" in text
    assert "Erfahrung" not in text


def test_texts_without_cue_words_stay_unchanged() -> None:
    texts = pa.array(["Tafel für Bedürftige", "", "Offener Treff"], type=pa.string())
    assert activity_text(texts).to_pylist() == texts.to_pylist()


def test_perks_of_an_ad_do_not_decide_the_field() -> None:
    frame = pd.DataFrame({schema.TITEL: ["Mithilfe gesucht"], schema.BESCHREIBUNG: [AD]})
    result = classify(frame)
    assert result[schema.SONI_FELD].iloc[0] == "Netzwerk"
    assert "Supervision" not in result[schema.SONI_BEGRUENDUNG].iloc[0]


def test_activity_text_is_activity_text_one_of_every_text() -> None:
    """Candidates found in fewer passes, replaced by Arrow: still each text as ``activity_text_one`` gives it
    (headings, times, conditions with and without an address, a null, texts without cues, in any order)."""
    texts = [AD, "Tafel für Bedürftige", None, "Sie erhalten eine Fortbildung.", "Fortbildung für Ehrenamtliche",
             "Zeitaufwand: zwei Stunden pro Woche", "", "Kontakt: Frau Muster", "wir bieten Kaffee. Offener Treff",
             "Voraussetzungen:<br>Führerschein<br>Ihre Aufgaben:<br>Begleitung", "Offener Treff"] * 2
    got = activity_text(pa.array(texts, type=pa.string())).to_pylist()
    assert got == [None if t is None else activity_text_one(t) if t else t for t in texts]
    assert got[1] == "Tafel für Bedürftige" and got[4] == "Fortbildung für Ehrenamtliche"


def test_rare_and_common_cues_give_the_same_texts(monkeypatch) -> None:
    """When the first texts of a column hold few cues, one pass picks the texts with any cue and only those are
    looked at closely; when they hold many, every text is: the result is the same (each text as
    ``activity_text_one`` gives it), also for cues after the first texts and across the sample's end."""
    import random

    from soni.classify import segments

    cues = ["Sie erhalten eine Fortbildung.", "Kontakt: Frau Muster", "Zeitaufwand: zwei Stunden pro Woche",
            "wir bieten Kaffee. Offener Treff", "Fortbildung für Ehrenamtliche", AD, None, ""]
    plain = ["Offener Treff für alle", "Tafel für Bedürftige", "Hausaufgabenhilfe im Quartier"]
    rng = random.Random(17)
    rare = [rng.choice(cues) if rng.random() < 0.1 else rng.choice(plain) for _ in range(300)]
    common = [rng.choice(cues) if rng.random() < 0.7 else rng.choice(plain) for _ in range(300)]
    monkeypatch.setattr(segments, "_CUE_SAMPLE", 40)
    for texts in (rare, common, rare[:30], common[:50]):
        got = activity_text(pa.array(texts, type=pa.string())).to_pylist()
        assert got == [None if t is None else activity_text_one(t) if t else t for t in texts]
