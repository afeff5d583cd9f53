"""Segments: the parts of a description that describe the activity, not the conditions around it.

Volunteer and job ads describe, besides the activity, what the reader gets ("Wir bieten: Fortbildung,
Supervision, Stammtisch"), what they bring ("Sie bringen mit: …", "Voraussetzungen: …"), the time it
takes, how to get in touch ("Melden Sie sich bei uns in der Freiwilligenagentur") and who passes the
ad on. Those words would decide the row (Fortbildung and Supervision are Organisation, Stammtisch and
Kaffeetrinken Netzwerk) although they say nothing about the activity. :func:`activity_text` drops
them from a description before it is matched:

- a block under a heading of such a kind (``HEADING``): from the heading to the end of its paragraph
  or list – or of the next one when the heading stands alone in its paragraph –, or to the next heading;
- a sentence that speaks to the reader (an address such as "Sie", "Ihnen", "uns", "dich", "wer") about the
  conditions (``CONDITION``) or the time it takes (``TIME``). Without the address the sentence stays ("Es werden
  Lese-Coaches gesucht, die sich eine Stunde pro Woche mit einem Kind treffen"), and so does an addressed
  sentence without such a cue ("Als Patin übernehmen Sie nach Absprache die Betreuung des Kindes").

The HTML of a description (``<p>``, ``<br>``, ``<li>``, ``<strong>``) and blank lines give the paragraphs and
lines; the rest is plain text. Only texts that contain one of the cue words are looked at (one vectorised
search over the distinct texts), so lists without such ads pay almost nothing.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Heading kinds that introduce the conditions of an ad rather than the activity (matched at the start of
#: a line, before a colon or an ellipsis, or alone on its line: "Sie sollten" above a list): perks, requirements,
#: people sought, time, contact, further info.
HEADING = re.compile(
    r"^(?:was |das )?(?:wir bieten|bieten wir|unser angebot (?:an|für) (?:sie|dich|euch)|sie erhalten|"
    r"(?:das |was )?(?:sie|dich|euch) erwarte?t|erwartet (?:sie|dich|euch)|wir erwarten|"
    r"(?:sie|du|ihr) (?:bringen?|bringst|bringt) mit|(?:was |das )?(?:sollten|bringen|müssen) sie|"
    r"sie sollten|(?:das )?(?:sollten|müssen) sie mitbringen|mitbringen sollte|was (?:sie|du) mitbring|"
    r"voraussetzung|anforderung|(?:ihr |dein )?profil|wir (?:wünschen|freuen) uns|und das wünschen wir|"
    r"gesuchte personen|zeitliche[rn]? (?:rahmen|aufwand)|zeitaufwand|zeitumfang|einsatzzeit|"
    r"kontakt|ansprechp|anmeldung|bewerbung|weitere informationen|mehr infos?|infos?\b|"
    r"über uns|wer wir sind)(?:[^.!?:…]{0,40}(?::|…|\.\.\.)|\s*$)",
    re.IGNORECASE,
)
#: Any heading: a short line ending in a colon or an ellipsis ("Ihre Aufgaben:") ends a dropped block.
_ANY_HEADING = re.compile(r"^[^.!?:…]{1,60}(?::|…|\.\.\.)\s*$")
#: A sentence about the conditions of volunteering: perks, requirements, contact, the intermediary …
CONDITION = re.compile(
    r"wir bieten|bieten wir|bieten (?:wir )?(?:ihnen|dir|euch)|(?:sie|du) erhältst?|erhalten sie|"
    r"es erwartet|aufwandsentschädigung|fahrtkosten|versichert|versicherung|fortbildung|supervision|"
    r"einarbeitung|schulung|stammtisch|öffnungszeit|terminabsprache|austauschtreffen|"
    r"erfahrungsaustausch|dankeschön|"
    r"voraussetzung|mitbringen|sollten (?:sie|du)|(?:sie|du) sollte|wünschenswert|erwünscht|"
    r"melden sie|meldet euch|melde dich|bei interesse|interessiert\?|interesse\?|interessieren|"
    r"kontaktier|kontakt ?(?:aufnehmen|aufnahme|person|daten)|anruf|rufen sie|schreiben sie|e-?mail|"
    r"freiwilligenagentur|engagementlotse|freiwilligenbörse|ehrenamtsagentur|freiwilligenzentrum|"
    r"ehrenamtsbörse|freiwilligennetzwerk|zeitspender",
    re.IGNORECASE,
)
#: … when it speaks to the reader (or as the ad's "we").
_ADDRESS = re.compile(r"\b(?:Sie|Ihnen|Ihre?[nmrs]?|[Dd]u|[Dd]ich|[Dd]ir|[Dd]ein\w*|[Ee]uch|[Ee]uer\w*|"
                      r"[Uu]ns|[Uu]nser\w*|[Ww]ir|[Ww]er)\b")
#: A sentence about the time it takes.
TIME = re.compile(r"zeitaufwand|zeitlicher? (?:rahmen|aufwand)|zeitumfang|"
                  r"stunden? (?:pro|in der|im|je|die|/) ?(?:woche|monat)|std\.? ?(?:pro|/|in der) ?(?:woche|monat)",
                  re.IGNORECASE)

_PARAGRAPH = re.compile(r"</(?:p|ul|ol|div|h[1-6]|table|blockquote)\s*>|(?:<br\s*/?>\s*){2,}|\n[ \t\r]*\n",
                        re.IGNORECASE)
_LINE = re.compile(r"<br\s*/?>|<li\b[^>]*>|</li\s*>|<h[1-6]\b[^>]*>|</t[dh]\s*>|\n", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")


def _strip(line: str) -> str:
    return " ".join(_TAG.sub("", line).replace("\xa0", " ").split())


def _sentences(line: str) -> str:
    """The sentences of a line that do not speak to the reader about the conditions or the time it takes."""
    kept = [s for s in _SENTENCE.split(line) if not ((CONDITION.search(s) or TIME.search(s)) and _ADDRESS.search(s))]
    return " ".join(kept)


def activity_text_one(text: str) -> str:
    """One description without the blocks and sentences about the conditions of the ad."""
    out: list[str] = []
    carry = False  # a heading that stood alone in its paragraph: its block is the next paragraph
    for paragraph in _PARAGRAPH.split(text):
        lines = [_strip(line) for line in _LINE.split(paragraph)]
        lines = [line for line in lines if line]
        if not lines:
            continue
        skipping, carry_next = carry, False
        for i, line in enumerate(lines):
            head = HEADING.match(line)
            if head:
                skipping = True
                rest = line[head.end():].strip()
                carry_next = not rest and i == len(lines) - 1
                continue
            if _ANY_HEADING.match(line):
                skipping = False
                out.append(line)
                continue
            if not skipping:
                kept = _sentences(line)
                if kept:
                    out.append(kept)
        carry = carry_next
    return "\n".join(out)


#: A heading anywhere in a text (``^`` dropped: any line may start one); a condition or a time (one RE2 pass).
_HEADING = HEADING.pattern.lstrip("^")
_CONDITION_OR_TIME = f"(?:{CONDITION.pattern})|(?:{TIME.pattern})"


#: Any cue of either kind: one RE2 pass finds the texts that may hold one (in most lists few do).
_ANY_CUE = f"(?:{_HEADING})|(?:{_CONDITION_OR_TIME})"
#: Texts at the start of a column that tell whether cues are rare (then one pass over all texts finds the few
#: candidates) or common, as in a list of volunteer ads (then the two passes run over all texts, as that is less).
_CUE_SAMPLE = 1_000


def _has(values: pa.Array, pattern: str, ignore_case: bool = True) -> np.ndarray:
    found = pc.match_substring_regex(values, pattern, ignore_case=ignore_case)
    return pc.fill_null(found, False).to_numpy(zero_copy_only=False)


def _cue_texts(texts: pa.Array) -> np.ndarray:
    """Per text: a heading, or a condition or a time together with an address somewhere in it (the address
    is looked for only in the texts with a condition or a time)."""
    cand = _has(texts, _HEADING)
    condition = np.flatnonzero(~cand & _has(texts, _CONDITION_OR_TIME))
    if len(condition):
        cand[condition[_has(texts.take(pa.array(condition)), _ADDRESS.pattern, ignore_case=False)]] = True
    return cand


def activity_text(texts: pa.Array) -> pa.Array:
    """:func:`activity_text_one` for every text that contains a cue word; the others stay as they are.

    Only the candidates go through Python: a heading, or a condition or a time together with an address
    (:func:`_cue_texts`; when cues are rare, only on the texts that one pass finds with any cue); the result is
    the texts with the candidates replaced, built by Arrow (no Python string per text).
    """
    if not len(texts):
        return texts
    sample = _has(texts.slice(0, _CUE_SAMPLE), _ANY_CUE)
    if 3 * sample.sum() > len(sample):  # cues are common: two passes over all texts
        cand = _cue_texts(texts)
    else:  # rare: one pass over all texts, the two only over those with a cue
        cue = np.flatnonzero(np.concatenate([sample, _has(texts.slice(_CUE_SAMPLE), _ANY_CUE)]))
        cand = np.zeros(len(texts), dtype=bool)
        if len(cue):
            cand[cue] = _cue_texts(texts.take(pa.array(cue)))
    if not cand.any():
        return texts
    at = np.flatnonzero(cand)
    changed = [activity_text_one(text) for text in texts.take(pa.array(at)).to_pylist()]
    return pc.replace_with_mask(texts, pa.array(cand), pa.array(changed, type=texts.type))
