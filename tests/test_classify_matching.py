"""soni.classify.matching: the words of the texts (``_tokens``) as one regex split would give them."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from soni.classify.matching import _TOKEN_SPLIT, _tokens


def regex_words(texts: list[str]) -> list[tuple[int, str]]:
    """(text, word) as the regex split of each whole text gives them, trimmed; the empty strings the
    split leaves at the ends of a text (before or after a separator) left out."""
    out = []
    for i, text in enumerate(texts):
        for part in pc.split_pattern_regex(pa.array([text]), pattern=_TOKEN_SPLIT)[0].as_py():
            if part:
                out.append((i, part.strip("-'’")))
    return out


def words(texts: list[str]) -> list[tuple[int, str]]:
    parent, word, dictionary = _tokens(pa.array(texts, type=pa.string()))
    names = dictionary.to_pylist()
    return [(int(p), names[w]) for p, w in zip(parent, word, strict=True)]


_CHARS = st.sampled_from(list("ab ÄßéK1²-'’.,;:()/\t\n\u00a0\u2028!?&…"))


@settings(deadline=None)  # Arrow calls: slow on a loaded machine, not a bug
@given(st.lists(st.text(alphabet=_CHARS, max_size=30), max_size=12))
def test_tokens_are_the_words_of_one_regex_split(texts: list[str]) -> None:
    assert words(texts) == regex_words(texts)


def test_tokens_of_sentences_hyphens_and_empty_texts() -> None:
    texts = ["Offener Treff (für alle), mittwochs.", "", "Kinder- und Jugendarbeit", "a,b  c", " - ", "x"]
    assert words(texts) == [(0, "Offener"), (0, "Treff"), (0, "für"), (0, "alle"), (0, "mittwochs"),
                            (2, "Kinder"), (2, "und"), (2, "Jugendarbeit"), (3, "a"), (3, "b"), (3, "c"),
                            (4, ""), (5, "x")]
    assert words(["", ""]) == []
