"""soni.classify.matching: the words of the texts (``_tokens``) as one regex split would give them."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from soni.classify.matching import _TOKEN_SPLIT, _space_pieces, _tokens


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


def split_tokens(texts: pa.Array) -> tuple[list[int], list[int], list[str]]:
    """``_tokens`` as it was built on Arrow's ``split_pattern(" ")`` (the reference for the byte search)."""
    import numpy as np

    lists = pc.split_pattern(texts, pattern=" ")
    pieces = pc.list_flatten(lists).dictionary_encode()
    piece_of = pieces.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    parts = pc.split_pattern_regex(pieces.dictionary, pattern=_TOKEN_SPLIT)
    flat = pc.list_flatten(parts)
    keep = pc.not_equal(flat, "").to_numpy(zero_copy_only=False)
    owner = pc.list_parent_indices(parts).to_numpy()[keep]
    found = pc.utf8_trim(flat.filter(pa.array(keep)), characters="-'’").dictionary_encode()
    word_of_part = found.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    parent = pc.list_parent_indices(lists).to_numpy()
    occurrence, word = [], []
    for i, p in enumerate(piece_of):
        for j in np.flatnonzero(owner == p):
            occurrence.append(int(parent[i]))
            word.append(int(word_of_part[j]))
    return occurrence, word, found.dictionary.to_pylist()


@settings(deadline=None)
@example(["a "], 0)  # a space at the very end: the last piece is empty and still the last text's
@example(["", "b  ", None, " "], 1)
@example(["Satz.\nNächster Satz\r\n\tmit Tab", "a\n"], 0)  # line breaks cut too (as the segments write them)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=_CHARS, max_size=30)), max_size=12), st.integers(0, 3))
def test_tokens_same_ids_and_order_as_the_arrow_split(texts: list[str | None], cut: int) -> None:
    """Word ids, their order and the dictionary (first occurrence first: the reasons quote the first
    spelling) are those of Arrow's split at spaces — also for a slice of an array and for nulls."""
    arr = pa.array(["x y", *texts], type=pa.string()).slice(min(cut, len(texts)))
    parent, word, dictionary = _tokens(arr)
    expected = split_tokens(pc.fill_null(arr, ""))
    assert (parent.tolist(), word.tolist(), dictionary.to_pylist()) == expected
    lists = pc.split_pattern_regex(pc.fill_null(arr, ""), pattern="[ \t\n\r]")
    of, pieces = _space_pieces(arr)
    assert of.tolist() == pc.list_parent_indices(lists).to_pylist()
    assert [p[:-1] if p[-1:] in (" ", "\t", "\n", "\r") else p for p in pieces.to_pylist()] == \
        pc.list_flatten(lists).to_pylist()


_WORDY = st.sampled_from(["Jugend", "jugend", "JUGEND", "treff", "Beratung", "für", "alle", "Alleinerziehende",
                          "neue", "Angebote", "Kinder-", "Stärken", "stärken", "12", "-", "Nachbarschaftshilfe"])


@settings(deadline=None, max_examples=40)
@given(st.lists(st.lists(st.lists(_WORDY, max_size=8).map(" ".join), max_size=6), min_size=1, max_size=4))
def test_columns_matched_together_give_each_column_its_own_hits(columns: list[list[str]]) -> None:
    """The words of all columns are matched once (``_words``); each column's hits, shown words and
    combination parts are those of the column matched alone."""
    from soni.classify import _compile, _default_lexicon
    from soni.classify.matching import _match_column, _match_columns

    model = _compile(_default_lexicon())
    arrays = [pa.array(texts, type=pa.string()) for texts in columns]
    for arr, (hits, parts) in zip(arrays, _match_columns(arrays, model), strict=True):
        alone, alone_parts = _match_column(arr, model)
        for name in ("text", "key", "display", "where"):
            assert getattr(hits, name).tolist() == getattr(alone, name).tolist()
        assert {p: v.tolist() for p, v in parts.items()} == {p: v.tolist() for p, v in alone_parts.items()}


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(st.sampled_from(["", "un", "be", "stadt", "ueber", "ss", "1"]),
                          st.sampled_from(["treff", "beratung", "jugend", "tafel", "netzwerk", "hilfe", "x", ""]),
                          st.sampled_from(["", "s", "en", "arbeit", "planung", "e"])).map("".join), max_size=30))
def test_words_scanned_together_give_each_words_own_matches(folded: list[str]) -> None:
    """``_word_hits`` scans all words at once: the same matches (word, key, place, order) as one ``finditer`` per
    word; empty words are left out."""
    from soni.classify import _compile, _default_lexicon
    from soni.classify.matching import _END, _START, _where, _word_hits

    model = _compile(_default_lexicon())
    expected: tuple[list[int], list[int], list[int]] = ([], [], [])
    for i, word in enumerate(folded):
        for mt in model.word_re.finditer(_START + word + _END) if word else ():
            if mt.group(0):
                expected[0].append(i)
                expected[1].append(model.key_ids[mt.group(0)])
                expected[2].append(_where(word, mt.start(), mt.group(0)))
    assert _word_hits(folded, model) == expected


def test_phrases_looked_at_only_where_the_next_word_may_continue_one_find_what_every_start_finds(monkeypatch) -> None:
    """A phrase start is matched only when the next word of the same text starts with the second word of some
    phrase: the same hits as matching at every phrase start (phrase words, inflected forms, other words, phrases
    across the end of a text, a phrase word at the very end)."""
    import random

    import numpy as np

    from soni.classify import _compile, _default_lexicon, matching

    model = _compile(_default_lexicon())
    phrases = sorted(key for key in model.key_ids if " " in key)
    pieces = [*sorted({w for key in phrases for w in key.split(" ")}), "Treff", "und", "-", "Die"]
    rng = random.Random(8)

    def text() -> str:
        words = [rng.choice(pieces) + rng.choice(["", "", "e", "n", "s"]) for _ in range(rng.randint(0, 4))]
        if rng.random() < 0.6:  # a whole phrase (its last word maybe longer) somewhere in the text
            words.insert(rng.randint(0, len(words)), rng.choice(phrases) + rng.choice(["", "e", "en"]))
        return " ".join(words).title() if rng.random() < 0.3 else " ".join(words)

    texts = [text() for _ in range(400)] + ["neue", "für"]
    arrays = [pa.array(texts, type=pa.string()), pa.array(texts[::-1], type=pa.string())]
    filtered = matching._match_columns(arrays, model)
    original_words = matching._words

    def every_start(dictionaries, model):
        words, ids = original_words(dictionaries, model)
        words.follows_phrase[:] = True
        return words, ids

    monkeypatch.setattr(matching, "_words", every_start)
    for (hits, _), (reference, _) in zip(filtered, matching._match_columns(arrays, model), strict=True):
        for name in ("text", "key", "display", "where"):
            assert getattr(hits, name).tolist() == getattr(reference, name).tolist()
        assert (np.isin(hits.key, [model.key_ids[p] for p in phrases])).sum() > 50  # phrases were found
