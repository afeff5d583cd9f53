"""SONI classifier: assigns every activity a field and an aspect of the SONI grid, with reasons.

The knowledge lives in ``lexicon.csv`` in ``soni/`` (German words, stems and
word parts with a field, an aspect and a weight); users can add their own terms in
the same table format. Matching is vectorised: the texts are deduplicated, split
into words, and only the distinct words are matched — with one compiled regex of
all lexicon terms (a trie, so leftmost-longest) — against the lexicon. The scores
per field are weighted sums over the columns (title and type count more than the
provider); the decision keeps a margin and says "unklar" when the evidence is weak
or contradictory.

Public API: :func:`classify`, :func:`load_lexicon`, :func:`apply_corrections`,
:data:`LEXICON_PATH`.

The package is split along its concerns, each readable alone: :mod:`.lexicon` (reading and
validating lexicon tables), :mod:`.model` (compilation into regexes and arrays),
:mod:`.matching` (words against the lexicon), :mod:`.scoring` (weighted field and aspect
scores), :mod:`.reasons` (German explanations), :mod:`.decide` (winner, confidence,
runner-up), :mod:`.corrections` (explicit fields from the file, users' corrections),
:mod:`.columns` (the upload's other text columns), :mod:`.segments` (the conditions of an ad are no
activity text), :mod:`.persons` (work for one single person) and :mod:`.recipients` (a business
without any evidence).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soni import schema
from soni.classify.arrays import _text_array, _to_pandas
from soni.classify.columns import extra_text
from soni.classify.corrections import OUTPUT_COLUMNS, UNKNOWN_IDS_ATTR, _apply_explicit, apply_corrections
from soni.classify.decide import (
    CONFIDENCE_EXPONENT,
    CONFIDENCE_SCALE,
    MAX_RATIO,
    MAX_RULE_CONFIDENCE,
    MIN_SCORE,
    _decide,
)
from soni.classify.lexicon import (
    GRENZEN,
    LEXICON_COLUMNS,
    LEXICON_PATH,
    _default_lexicon,
    _validate_frame,
    fold,
    load_lexicon,
)
from soni.classify.matching import MIN_PREFIX, PREFIXES
from soni.classify.model import _NONE, SHORT_TERM, _compile
from soni.classify.reasons import KOMBINATION, WHY_FIELD
from soni.classify.scoring import COLUMN_WEIGHTS, _score
from soni.classify.segments import activity_text
from soni.classify.silence import may_be_non_social

__all__ = [
    "COLUMN_WEIGHTS", "CONFIDENCE_EXPONENT", "CONFIDENCE_SCALE", "GRENZEN", "KOMBINATION", "LEXICON_COLUMNS",
    "LEXICON_PATH", "MAX_RATIO", "MAX_RULE_CONFIDENCE", "MIN_PREFIX", "MIN_SCORE", "OUTPUT_COLUMNS", "PREFIXES",
    "SHORT_TERM", "UNKNOWN_IDS_ATTR", "WHY_FIELD", "_compile", "_default_lexicon", "_validate_frame",
    "apply_corrections", "classify", "extra_text", "fold", "load_lexicon",
]

#: Columns whose text may hold the conditions of an ad besides the activity (see :mod:`.segments`).
_DESCRIBING = frozenset({schema.BESCHREIBUNG, schema.WEITERE_TEXTE})


#: Texts at the top of a column that tell whether it repeats (then each distinct text is matched once) or holds
#: mostly different texts (free text: then every text is taken as it is — looking for the few repeats would cost
#: a hash of every text and a copy of all of them, for nothing; the result is the same either way).
_REPEAT_SAMPLE = 2_000


def _distinct(texts: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """A column's texts to match and, per row, which of them is its text (int64)."""
    sample = texts.slice(0, _REPEAT_SAMPLE)
    if 2 * len(pc.unique(sample)) > len(sample):
        return texts, np.arange(len(texts), dtype=np.int64)
    encoded = texts.dictionary_encode()
    return encoded.dictionary, encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def classify(activities: pd.DataFrame, extra_terms: pd.DataFrame | None = None,
             lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Classify every row into the SONI grid; returns a NEW frame with the same index.

    Columns: ``schema.SONI_COLUMNS`` + (``SONI_ZWEITFELD``, ``SONI_ZWEITWERT``). Reads the
    text columns of ``schema.CLASSIFY_TEXT_COLUMNS`` (missing ones count as empty). An
    explicit field in ``schema.IN_FELD`` wins (Quelle "Datei", or "manuell" when
    ``schema.IN_QUELLE`` says so). ``extra_terms`` are users' own terms in the lexicon
    format; ``lexicon`` replaces the built-in lexicon. Does not modify ``activities``.
    """
    lex = _default_lexicon() if lexicon is None else _validate_frame(lexicon, "Lexikon")
    if extra_terms is not None and len(extra_terms):
        lex = pd.concat([lex, _validate_frame(extra_terms, "eigene Begriffe")], ignore_index=True)
    model = _compile(lex)
    n = len(activities)
    # distinct texts per column, then distinct rows (inventories repeat a lot)
    dictionaries, codes_by_col = [], []
    row_key = np.zeros(n, dtype=np.int64)
    for c in schema.CLASSIFY_TEXT_COLUMNS:
        texts, codes = _distinct(_text_array(activities, c))
        if c in _DESCRIBING:  # the conditions of an ad (perks, requirements, contact) are no activity text
            texts = activity_text(texts)
        dictionaries.append(texts)
        codes_by_col.append(codes)
        row_key = pd.factorize(row_key * (len(texts) + 1) + codes)[0].astype(np.int64)
    m = int(row_key.max()) + 1 if n else 0
    first = np.zeros(m, dtype=np.int64)
    first[row_key[::-1]] = np.arange(n - 1, -1, -1)
    text_of_row = [codes[first] for codes in codes_by_col]
    scores = _score(dictionaries, text_of_row, m, model)
    no_words = np.flatnonzero(scores.field_scores().sum(axis=1) == 0)
    decided = _decide(scores, m, may_be_non_social(dictionaries, text_of_row, no_words, m))
    if m < n:  # back from distinct rows to every row (all rows distinct: row_key is 0…n-1, nothing to copy)
        take = pa.array(row_key)
        decided = {name: arr.take(take) for name, arr in decided.items()}
    result = pd.DataFrame({name: _to_pandas(arr) for name, arr in decided.items()})
    result.index = activities.index  # positional throughout: the index may repeat
    if schema.IN_FELD in activities.columns and n:
        _apply_explicit(activities, result, scores.fields[row_key, :_NONE], scores.aspects[row_key])
    return result[list(OUTPUT_COLUMNS)]
