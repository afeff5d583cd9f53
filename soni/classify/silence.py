"""Rows without any word of social work: which of them may count as "kein Sozialbezug"; and whether a row names
social matters at all (analysis words need such an object, :func:`names_social_matters`).

A title and description with enough text but not one word of any field ("die Taekwondo German Open 2012",
"Wandbild am Pumpenhaus") is most likely no social work. But the lexicon lists whole compounds
("suchtberatung"), so social work in a compound it lacks ("Suchtpräventionsprojekt", "Jugendkeller") also
finds no word. A row whose text holds a part of the social domain (SOCIAL_DOMAIN, matched anywhere in the
text, any case: here a wrong hit only keeps the row "unklar", as before) stays "unklar"; only the rest is "kein
Sozialbezug" (decide.NO_EVIDENCE_CONFIDENCE). For the analysis words (:func:`names_social_matters`) a part
decides, so there the parts count at a word start only.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from soni import schema

#: A title and description that together hold at least this many words of three or more letters name an
#: activity; fewer ("Montag 18 Uhr", "Gruppe 2") is too little text to call anything "kein Sozialbezug".
MIN_TEXT_WORDS = 3
#: Parts of words (folded: ä → ae, ß → ss) that name whom social work is for or what it does – not to decide a
#: field, only to keep a row without any lexicon word "unklar" rather than "kein Sozialbezug", and to let the
#: analysis words of Sozialraumanalyse count ("Bedarf" included: "Bedarfsanalyse" analyses social needs).
SOCIAL_DOMAIN: tuple[str, ...] = (
    "sozial", "hilfe", "helf", "beratung", "betreu", "begleit", "sucht", "praevent", "gewalt", "armut",
    "obdach", "wohnungslos", "fluecht", "flucht", "migra", "integrat", "inklusi", "behinder", "pflege",
    "senior", "aelter", "alte menschen", "jugend", "kind", "kita", "hort", "schueler", "eltern", "famil",
    "mutter", "muetter", "vaeter", "frauen", "maedchen", "hebamm", "erzieh", "paedagog", "stadtteil",
    "quartier", "nachbar", "gemeinwes", "begegnung", "ehrenamt", "freiwillig", "arbeitslos", "alleinerzieh",
    "krank", "patient", "zuwander", "sprachfoerder", "deutschkurs", "tafel", "seelsorge", "freizeit",
    "uebernacht", "unterkunft", "opfer", "straffaell", r"\bhaft", "inhaft", "trauer", "hospiz", "demenz",
    "gesundheit", "bedarf",
)
_SPELLED = {"ae": "(?:ae|ä)", "oe": "(?:oe|ö)", "ue": "(?:ue|ü)"}


def _alternatives(parts: tuple[str, ...]) -> str:
    """The parts as one regex alternation on the raw text: a folded umlaut matches either spelling."""
    return "|".join(re.sub("ae|oe|ue", lambda m: _SPELLED[m.group()], part) for part in parts)


#: One regex on the raw text (no Python loop over texts).
_DOMAIN = _alternatives(SOCIAL_DOMAIN)
_WORD = r"\b[^\W\d_]{3,}"


def _has_domain(dictionaries: list[pa.Array], text_of_row: list[np.ndarray], rows: np.ndarray,
                columns: tuple[str, ...], pattern: str = _DOMAIN) -> np.ndarray:
    """For ``rows`` (distinct rows; only their texts are read): whether a SOCIAL_DOMAIN part (or another
    ``pattern``) occurs in any of the given columns."""
    domain = np.zeros(len(rows), dtype=bool)
    for c in columns:
        i = schema.CLASSIFY_TEXT_COLUMNS.index(c)
        used, where = np.unique(text_of_row[i][rows], return_inverse=True)
        found = pc.match_substring_regex(dictionaries[i].take(pa.array(used)), pattern, ignore_case=True)
        domain |= pc.fill_null(found, False).to_numpy(zero_copy_only=False)[where]
    return domain


def _at_least(k: int) -> str:
    """RE2: a text with at least ``k`` matches of ``_WORD`` (as ``count_substring_regex`` counts them: a match
    is a whole run of letters, so none starts inside another). Unlike counting, the search stops after the k-th."""
    return "(?s)" + _WORD + ("(?:.*?" + _WORD + ")") * (k - 1)


def may_be_non_social(dictionaries: list[pa.Array], text_of_row: list[np.ndarray], rows: np.ndarray,
                      m: int) -> np.ndarray:
    """Per distinct row (m): among ``rows`` (those without any found word; only their texts are read), whether
    title and description hold at least MIN_TEXT_WORDS words and no SOCIAL_DOMAIN part; False elsewhere.

    The title's words are counted; the description is only asked whether it holds the words still missing
    (long texts: the search stops there), and only in rows without a SOCIAL_DOMAIN part."""
    title, description = (schema.CLASSIFY_TEXT_COLUMNS.index(c) for c in (schema.TITEL, schema.BESCHREIBUNG))
    domain = _has_domain(dictionaries, text_of_row, rows, (schema.TITEL, schema.BESCHREIBUNG))
    used, where = np.unique(text_of_row[title][rows], return_inverse=True)
    count = pc.fill_null(pc.count_substring_regex(dictionaries[title].take(pa.array(used)), _WORD), 0)
    missing = np.maximum(MIN_TEXT_WORDS - count.to_numpy(zero_copy_only=False).astype(np.int64)[where], 0)
    enough = missing == 0
    for k in range(1, MIN_TEXT_WORDS + 1):
        ask = np.flatnonzero((missing == k) & ~domain)
        if len(ask):
            used, where = np.unique(text_of_row[description][rows[ask]], return_inverse=True)
            found = pc.match_substring_regex(dictionaries[description].take(pa.array(used)), _at_least(k))
            enough[ask] = pc.fill_null(found, False).to_numpy(zero_copy_only=False)[where]
    result = np.zeros(m, dtype=bool)
    result[rows] = enough & ~domain
    return result


#: The columns that say what an activity is about and for whom (not the provider's name).
_ABOUT = tuple(c for c in schema.CLASSIFY_TEXT_COLUMNS if c != schema.TRAEGER)
#: Besides SOCIAL_DOMAIN, what social planning analyses: the area and its people, their housing, the offers there
#: ("Bürgerbefragung zur Wohnsituation im Viertel", "Bestandsaufnahme der Angebote", "Einwohnerstatistik für den
#: Bezirk"). Only for analysis words (:func:`names_social_matters`), not for rows without any word.
SOCIAL_OBJECT: tuple[str, ...] = (
    "viertel", "kiez", "bezirk", "ortsteil", "siedlung", "gemeinde", "einwohner", "bewohner", "buerger",
    "bevoelkerung", "zensus", "mikrozensus", "wohnsituation", "wohnen", "wohnraum", "lebenslage", "angebot",
)
#: Both lists at a word start only (a compound's first part: "Seniorenbefragung", "Bewohnerstatistik"): here a part
#: decides, so no "sucht" in "unter|sucht", "tafel" in "Info|tafeln", "krank" in "Baum|krankheiten".
_OBJECT = r"\b(?:" + _alternatives((*SOCIAL_DOMAIN, *SOCIAL_OBJECT)) + ")"


def names_social_matters(dictionaries: list[pa.Array], text_of_row: list[np.ndarray], rows: np.ndarray,
                         m: int) -> np.ndarray:
    """Per distinct row (m): among ``rows`` (only their texts are read), whether any column but the provider holds
    a SOCIAL_DOMAIN or SOCIAL_OBJECT part at a word start; False elsewhere. Planning and analysis words
    (Sozialstruktur) need such an object: a "Machbarkeitsstudie für ein Technologiezentrum" or the "Erfassung der
    Moose" is research, not social planning."""
    result = np.zeros(m, dtype=bool)
    result[rows] = _has_domain(dictionaries, text_of_row, rows, _ABOUT, _OBJECT)
    return result
