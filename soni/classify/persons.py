"""For whom: a title or description that names one single person the work is for ("für eine ältere Dame",
"sich kümmern um einen älteren Menschen").

Work that starts from one person is Individuum (docs/zuordnung.md, rule 2), whatever the kind of help:
"Nachbarschaftshilfe für eine ältere Dame", "Freizeitbegleitung für einen jungen Mann", "Unternehmungen mit
einer Frau mit Behinderung". The same words for a group ("für eine Seniorengruppe", "für unsere
Bewohnerinnen") or an offer ("für einen Seniorentreffpunkt") do not count: the person noun must be a whole
word after a singular article ("eine", "einen", "ein", "einer", "einem") and at most two words between.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from soni import grid, schema

#: One person: a preposition, a singular indefinite article, up to two words in lower case or with a hyphen
#: (adjectives, ages: "älteren", "66-jährigen", "MS-erkrankten" – no noun: "für eine Broschüre für …"), a person noun.
SINGLE_PERSON = (
    r"(?i)(?P<who>\b(?:für|mit|zu|bei|um)\s+(?:eine[nmr]?|ein)\s+(?-i:(?:[a-zäöüß0-9]\S*|\S+-\S*)\s+){0,2}?"
    r"(?:dame|herrn?|frau|mann|senior(?:in)?|rentner(?:in)?|kind|jungen|mädchen|familie|person|"
    r"nachbar(?:in|n)?|mutter|vater|patient(?:in|en)?|bewohner(?:in)?|witwe[rn]?|schüler(?:in)?|"
    r"jugendliche[nr]?|erwachsene[nr]?|klient(?:in|en)?|mensch(?:en)?)\b)"
)
#: Weight of the hit (before the title's column weight): it decides against a kind-of-help word of the title
#: ("Nachbarschaftshilfe", 4) – swept 4 / 6 / 8 on the whole evaluation set: 6 and 8 alike, 4 leaves "unklar".
SINGLE_PERSON_WEIGHT = 6.0
#: Per column: the title names the activity; in a description (after the conditions of an ad are dropped) one
#: person counts less – it may be one example among others (2 / 4 swept: 4 one row more right, 18 flips).
SINGLE_PERSON_WEIGHTS: dict[str, float] = {schema.TITEL: SINGLE_PERSON_WEIGHT, schema.BESCHREIBUNG: 4.0}
#: Of it, this much counts for the aspect I1 – a default that the aspect words of the row outweigh.
SINGLE_PERSON_ASPECT_WEIGHT = 0.5
#: Field and aspect it points to: Individuum, I1 (work that starts from one person's need and will).
SINGLE_PERSON_ASPECT = "I1"


def single_person(titles: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Per distinct title: whether it names one single person (bool), and the words that do (object, "" if not)."""
    found = pc.extract_regex(titles, SINGLE_PERSON)
    valid = pc.is_valid(found).to_numpy(zero_copy_only=False)
    shown = np.full(len(titles), "", dtype=object)
    if valid.any():
        who = pc.struct_field(found, "who").to_numpy(zero_copy_only=False)
        shown[valid] = who[valid]
    return valid, shown


def single_person_target() -> tuple[int, int]:
    """Field index and aspect index of the rule in the classifier's score arrays."""
    aspect = grid.ASPECT_BY_KEY[SINGLE_PERSON_ASPECT]
    return grid.FIELD_NAMES.index(aspect.field), grid.ASPECTS.index(aspect)
