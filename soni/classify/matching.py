"""Matching: distinct words of the texts against the compiled lexicon (word starts, compound parts, phrases)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from soni.classify.arrays import _csr, _expand
from soni.classify.lexicon import _FOLD_TABLE
from soni.classify.model import _END, _START, SHORT_TERM, _Model
from soni.textbytes import byte_positions, text_bytes

#: A part of a compound starts after at least this many letters ("Neu|konzeption", "Tages|struktur") …
MIN_PREFIX = 3
#: … and not after a prefix that makes a new word rather than a compound ("Um|schulung", "bei|spiel").
PREFIXES: frozenset[str] = frozenset(
    {
        "ab", "an", "auf", "aus", "be", "bei", "dar", "ein", "ent", "er", "ge", "her", "hin", "miss", "nach", "un",
        "ueber", "um", "unter", "ver", "vor", "weg", "zer", "zu", "zusammen", "durch", "wider", "wieder", "hinter",
        "fort", "mit",
        # separable prefixes of two syllables ("Heraus|forderung" is no "Forderung", "Voraus|setzung")
        "heraus", "herein", "herum", "heran", "herab", "herauf", "hinaus", "hinein", "hinauf", "voran", "voraus",
        "vorbei", "zurueck", "entgegen",
    }
)

_TOKEN_SPLIT = r"[^\pL\pN'’-]+"
_WORD_FOLD = str.maketrans({**{chr(k): v for k, v in _FOLD_TABLE.items()}, "-": None, "'": None, "’": None})


def _where(word: str, start: int, found: str) -> int:
    """Where a match sits in ``word`` (matched as "\x02word\x03"): 0 word start, 1 start of a compound
    part, 2 inside a prefix or a short head ("Um|schulung", "bei|spiel|sweise")."""
    if found[0] == _START:
        return 0
    prefix = word[:start - 1]
    return 2 if len(prefix) < MIN_PREFIX or prefix in PREFIXES else 1


def _phrase_ends_well(text: str, end: int) -> bool:
    """A phrase may end inside a word only when its last word is longer than a short term
    ("neue angebot" finds "neue Angebote"; "für alle" does not find "für Alleinerziehende")."""
    if end == len(text) or text[end] == " ":
        return True
    return len(text[:end].rsplit(" ", 1)[-1]) > SHORT_TERM


@dataclass
class _Hits:
    """Lexicon hits in distinct texts of one column."""

    text: np.ndarray  # text id
    key: np.ndarray  # key id
    display: np.ndarray  # the word as written (object)
    where: np.ndarray  # 0 word start, 1 inside after ≥ MIN_PREFIX letters, 2 inside after fewer


def _tokens(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """The words of the texts in order: the runs of letters, digits, apostrophes and hyphens
    (``_TOKEN_SPLIT`` separates them), with hyphens and apostrophes trimmed at both ends ("-" becomes "").
    Returns per word occurrence its text and its id (int32: these arrays are as long as the texts have words),
    and the distinct words (Arrow strings).

    The texts are cut at spaces and line breaks first (``_space_pieces``: a byte search, fast); only the
    distinct pieces are split further at other separators (".", ",", "(", "/" …) with the regex. This gives the words
    of one regex split of the whole texts — without the empty strings such a split leaves where a text
    starts or ends with a separator, which match nothing.
    """
    parent, pieces = _space_pieces(texts)
    pieces = pieces.dictionary_encode()
    piece_of = pieces.indices.to_numpy(zero_copy_only=False)  # int32, like the word ids: per occurrence
    parts = pc.split_pattern_regex(pieces.dictionary, pattern=_TOKEN_SPLIT)  # distinct pieces: few, short
    flat = pc.list_flatten(parts)
    keep = pc.not_equal(flat, "").to_numpy(zero_copy_only=False)
    owner = pc.list_parent_indices(parts).to_numpy()[keep]
    words = pc.utf8_trim(flat.filter(pa.array(keep)), characters="-'’").dictionary_encode()
    word_of_part = words.indices.to_numpy(zero_copy_only=False)
    n_pieces = len(pieces.dictionary)
    if len(owner) == n_pieces and (owner == np.arange(len(owner))).all():
        return parent, word_of_part[piece_of], words.dictionary  # one word per piece (the usual case)
    n_of_piece = np.bincount(owner, minlength=n_pieces)
    if n_of_piece.max(initial=0) <= 1:  # some pieces without a word (an empty text, " - ", two spaces): left out
        word_of_piece = np.full(n_pieces, -1, dtype=word_of_part.dtype)
        word_of_piece[owner] = word_of_part
        word = word_of_piece[piece_of]
        kept = word >= 0
        return parent[kept], word[kept], words.dictionary
    ptr, order = _csr(owner, n_pieces)  # the words of piece p: word_of_part[order[ptr[p]:ptr[p+1]]]
    occurrence, member = _expand(ptr, order, piece_of)
    return parent[occurrence], word_of_part[member], words.dictionary


def _space_pieces(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """The texts cut after every space, tab, line feed and carriage return (n of them give n + 1
    pieces, empty ones included), each piece with the character that ends it; and per piece its text.

    The pieces are views into the texts' own bytes (new offsets, no copy); these characters are one
    byte in UTF-8 and never part of another character. All four separate words (``_TOKEN_SPLIT``),
    so "Treff ", "Treff\n" and "Treff" give the same word; cutting at line breaks too keeps the
    lines of a text ("Satz.\nNächster") one word per piece, the fast way in ``_tokens``.
    """
    if not pa.types.is_string(texts.type) or texts.null_count:
        texts = pc.fill_null(texts.cast(pa.string()), "")
    n = len(texts)
    raw, offsets = text_bytes(texts)
    end = int(offsets[-1])
    after_space = (byte_positions(raw, (32, 10, 9, 13), int(offsets[0])) + 1).astype(np.int32)  # " \n\t\r"
    spaces = np.diff(np.searchsorted(after_space, offsets, side="right"))  # spaces per text (each ends a piece)
    n_pieces = n + len(after_space)
    first = np.arange(n) + np.concatenate(([0], np.cumsum(spaces)[:-1]))  # index of each text's first piece
    is_first = np.zeros(n_pieces, dtype=bool)
    is_first[first] = True
    piece_offsets = np.empty(n_pieces + 1, dtype=np.int32)
    piece_offsets[first] = offsets[:-1]
    piece_offsets[:-1][~is_first] = after_space
    piece_offsets[-1] = end
    pieces = pa.StringArray.from_buffers(n_pieces, pa.py_buffer(piece_offsets), texts.buffers()[2])
    parent = np.cumsum(is_first, dtype=np.int32)  # a new text starts at its first piece
    parent -= 1
    return parent, pieces


@dataclass
class _Words:
    """What the lexicon says about each distinct word of the texts — it depends only on the word, so the words
    of all text columns are looked at once (a title's words mostly stand in the descriptions too)."""

    shown: np.ndarray  # the word as written (object)
    folded: np.ndarray  # folded for matching (object; "" = not matched: no letter)
    has_hit: np.ndarray  # bool: the word has a lexicon hit
    hit_ptr: np.ndarray  # the hits of word w: hit_key/hit_where[hit_order[hit_ptr[w]:hit_ptr[w + 1]]]
    hit_order: np.ndarray
    hit_key: np.ndarray
    hit_where: np.ndarray
    part_slot: np.ndarray  # per word its index among the words holding a combination part, else -1
    part_in: dict[str, np.ndarray]  # per combination part: which of those words hold it
    starts_phrase: np.ndarray  # bool: the word begins some phrase
    follows_phrase: np.ndarray  # bool: the word starts with the second word of some phrase


def _words(dictionaries: list[pa.Array], model: _Model) -> tuple[_Words, list[np.ndarray]]:
    """The lexicon's word-level facts for the distinct words of all ``dictionaries`` (each a column's distinct
    words), and per dictionary the index of each of its words among them."""
    lengths = [len(d) for d in dictionaries]
    if len(dictionaries) == 1:
        dictionary, ids = dictionaries[0], [np.arange(lengths[0])]
    else:
        enc = pa.concat_arrays(dictionaries).dictionary_encode()
        dictionary, index = enc.dictionary, enc.indices.to_numpy(zero_copy_only=False)
        ids = np.split(index, np.cumsum(lengths)[:-1])
    # numbers and empty tokens stay, but are not matched (no lexicon term is a number)
    no_letter = pc.invert(pc.match_substring_regex(dictionary, r"\pL")).to_numpy(zero_copy_only=False)
    words = dictionary.to_pylist()
    folded = ["" if skip else w.casefold().translate(_WORD_FOLD) for w, skip in zip(words, no_letter, strict=True)]
    n_words = len(words)
    # combination parts: substring of a word; one pass finds the few words that hold any part, each part is
    # then looked for in those only
    part_slot = np.full(n_words, -1, dtype=np.int64)
    part_in: dict[str, np.ndarray] = {}
    if model.combo_parts:
        folded_arr = pa.array(folded, type=pa.string())
        any_part = "|".join(re.escape(x) for x in model.combo_parts)
        cand = np.flatnonzero(pc.match_substring_regex(folded_arr, any_part).to_numpy(zero_copy_only=False))
        if len(cand):
            cand_arr = folded_arr.take(pa.array(cand))
            part_slot[cand] = np.arange(len(cand))
            part_in = {p: pc.match_substring(cand_arr, p).to_numpy(zero_copy_only=False) for p in model.combo_parts}
    # words -> key ids (CSR)
    hit_word: list[int] = []
    hit_key: list[int] = []
    hit_where: list[int] = []
    if model.word_re is not None:
        hit_word, hit_key, hit_where = _word_hits(folded, model)
    hw = np.array(hit_word, dtype=np.int64)
    has_hit = np.zeros(n_words, dtype=bool)
    has_hit[hw] = True
    hit_ptr, hit_order = _csr(hw, n_words)
    starts_phrase = np.zeros(n_words, dtype=bool)
    follows_phrase = np.zeros(n_words, dtype=bool)
    if model.phrase_re is not None and model.phrase_first:
        starts_phrase = np.fromiter((fw in model.phrase_first for fw in folded), dtype=bool, count=n_words)
        # a phrase "a b …" needs a next word that starts with b ("neue angebot" finds "neue Angebote")
        second = sorted({key.split(" ")[1] for key in model.key_ids if " " in key})
        if starts_phrase.any():
            pattern = "^(?:" + "|".join(re.escape(w) for w in second) + ")"
            found = pc.match_substring_regex(pa.array(folded, type=pa.string()), pattern)
            follows_phrase = found.to_numpy(zero_copy_only=False)
    found = _Words(np.asarray(words, dtype=object), np.asarray(folded, dtype=object), has_hit, hit_ptr, hit_order,
                   np.array(hit_key, dtype=np.int64), np.array(hit_where, dtype=np.int64), part_slot, part_in,
                   starts_phrase, follows_phrase)
    return found, ids


def _word_hits(folded: list[str], model: _Model) -> tuple[list[int], list[int], list[int]]:
    """Every match of the lexicon's word regex in each folded word (matched as "\x02word\x03"): its word, key id
    and place (``_where``), in the order of the words and of the matches within a word.

    One scan over all words joined by a line feed (no lexicon key holds one, and "\x02"/"\x03" stand only at a
    key's ends, so no match reaches from one word into the next) instead of one ``finditer`` per word.
    """
    at = [i for i, fw in enumerate(folded) if fw]
    pieces = [_START + folded[i] + _END for i in at]
    starts = np.zeros(len(pieces), dtype=np.int64)
    if len(pieces) > 1:
        np.cumsum([len(p) + 1 for p in pieces[:-1]], out=starts[1:])
    found_at: list[int] = []
    found: list[str] = []
    for mt in model.word_re.finditer("\n".join(pieces)):
        text = mt.group(0)
        if text:
            found_at.append(mt.start())
            found.append(text)
    position = np.array(found_at, dtype=np.int64)
    piece = np.searchsorted(starts, position, side="right") - 1
    words = [at[j] for j in piece.tolist()]
    key_ids = model.key_ids
    places = [_where(folded[w], r, text) for w, r, text in zip(words, (position - starts[piece]).tolist(), found,
                                                                  strict=True)]
    return words, [key_ids[text] for text in found], places


def _match_column(texts: pa.Array, model: _Model) -> tuple[_Hits, dict[str, np.ndarray]]:
    """Hits in distinct texts, and per combination part the texts that contain it (one column alone)."""
    return _match_columns([texts], model)[0]


def _match_columns(columns: list[pa.Array], model: _Model) -> list[tuple[_Hits, dict[str, np.ndarray]]]:
    """Per column (its distinct texts): the hits in each text, and per combination part the texts that contain it.

    Texts are split into words (no Python loop over texts); only the distinct words of all columns together
    are folded and matched against the lexicon regex (:func:`_words`).
    """
    if not columns:
        return []
    tokens = [_tokens(texts) for texts in columns]
    words, ids = _words([dictionary for _, _, dictionary in tokens], model)
    return [_column_hits(len(texts), parent, word_of_token, g, words, model)
            for texts, (parent, word_of_token, _), g in zip(columns, tokens, ids, strict=True)]


def _column_hits(n_texts: int, parent: np.ndarray, word_of_token: np.ndarray, g: np.ndarray, words: _Words,
                 model: _Model) -> tuple[_Hits, dict[str, np.ndarray]]:
    """One column's hits from its word occurrences (``parent``: text, ``word_of_token``: the column's word id;
    ``g``: the column's word id → index in ``words``)."""
    empty = _Hits(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object), np.zeros(0, np.int64))
    parts_in_text = {p: np.zeros(n_texts, dtype=bool) for p in model.combo_parts}
    if not len(word_of_token):
        return empty, parts_in_text
    n_words = len(g)
    if words.part_in:
        slot = words.part_slot[g]
        tok = np.flatnonzero((slot >= 0)[word_of_token])  # tokens of words holding a part
        if len(tok):
            tok_slot, tok_text = slot[word_of_token[tok]], parent[tok]
            for p, in_cand in words.part_in.items():
                parts_in_text[p] = np.bincount(tok_text[in_cand[tok_slot]], minlength=n_texts) > 0
    text_parts: list[np.ndarray] = []
    key_parts: list[np.ndarray] = []
    disp_parts: list[np.ndarray] = []
    where_parts: list[np.ndarray] = []
    has_hit = words.has_hit[g]
    if has_hit.any():
        sel = has_hit[word_of_token]
        pairs = np.unique(parent[sel].astype(np.int64) * n_words + word_of_token[sel])  # int32 per occurrence
        p_text, p_word = pairs // n_words, pairs % n_words
        item, member = _expand(words.hit_ptr, words.hit_order, g[p_word])
        text_parts.append(p_text[item])
        key_parts.append(words.hit_key[member])
        where_parts.append(words.hit_where[member])
        disp_parts.append(words.shown[g[p_word[item]]])
    # phrases: word sequences starting at a token whose word begins some phrase
    cand = np.flatnonzero(words.starts_phrase[g][word_of_token])
    if len(cand):  # only where the next word of the same text may continue a phrase (none has one word)
        cand = cand[cand + 1 < len(word_of_token)]
        cand = cand[(parent[cand + 1] == parent[cand]) & words.follows_phrase[g][word_of_token[cand + 1]]]
    if len(cand):
        folded_np = words.folded[g]
        n_tok = len(word_of_token)
        seq = folded_np[word_of_token[cand]]
        for step in range(1, model.phrase_len):  # append the following words of the same text
            nxt = np.minimum(cand + step, n_tok - 1)
            same = (cand + step < n_tok) & (parent[nxt] == parent[cand])
            seq = np.where(same, seq + " " + folded_np[word_of_token[nxt]], seq)
        match = model.phrase_re.match
        ph_tok, ph_key = [], []
        for t, text in zip(cand, seq, strict=True):
            found = match(text)
            if found and found.group(0) in model.key_ids and _phrase_ends_well(text, found.end()):
                ph_tok.append(t)
                ph_key.append(model.key_ids[found.group(0)])
        if ph_tok:
            k = np.array(ph_key, dtype=np.int64)
            text_parts.append(parent[np.array(ph_tok, dtype=np.int64)].astype(np.int64))
            key_parts.append(k)
            where_parts.append(np.zeros(len(k), dtype=np.int64))
            disp_parts.append(model.key_display[k])
    if not text_parts:
        return empty, parts_in_text
    text_ids = np.concatenate(text_parts)
    key = np.concatenate(key_parts)
    display = np.concatenate(disp_parts)
    where = np.concatenate(where_parts)
    # a key counts once per text (and place in the word: the place decides which lexicon rows it meets)
    _, first = np.unique((text_ids * len(model.key_ids) + key) * 3 + where, return_index=True)
    return _Hits(text_ids[first], key[first], display[first], where[first]), parts_in_text
