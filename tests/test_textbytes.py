"""soni.textbytes: byte scans of Arrow texts give what a search of the characters in each text gives."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from soni import textbytes

_TEXT = st.text(alphabet=st.sampled_from(list('ab ;"\r\n\tÄß€😀\x00\x1f<')), max_size=12)


@settings(deadline=None)
@example([";"], 0, True)
@example(["a", None, 'x"'], 1, False)
@given(st.lists(st.one_of(st.none(), _TEXT), max_size=12), st.integers(0, 3), st.booleans())
def test_holding_is_a_search_of_each_text(texts: list[str | None], cut: int, wide: bool) -> None:
    """Also for large_string, a slice of an array (offsets not from 0), nulls (never holding), blocks
    smaller than the texts (a hit at a block's edge) and characters next to multi-byte ones."""
    arr = pa.array(["x;", *texts], type=pa.large_string() if wide else pa.string()).slice(min(cut, len(texts)))
    original = textbytes.BLOCK
    try:
        for block in (original, 3):
            textbytes.BLOCK = block
            for chars in (';"\r\n', " \n\t\r"):
                got = textbytes.holding(arr, tuple(chars.encode()))
                assert got.tolist() == [t is not None and any(c in t for c in chars) for t in arr.to_pylist()]
    finally:
        textbytes.BLOCK = original


@settings(deadline=None)
@given(st.binary(max_size=40), st.integers(0, 5), st.integers(1, 7))
def test_byte_positions_are_every_position_of_the_bytes(data: bytes, start: int, block: int) -> None:
    import numpy as np

    original = textbytes.BLOCK
    try:
        textbytes.BLOCK = block
        raw = np.frombuffer(data, dtype=np.uint8)
        got = textbytes.byte_positions(raw, (32, 10, 59), start)
    finally:
        textbytes.BLOCK = original
    assert got.tolist() == [i for i, b in enumerate(data) if i >= start and b in (32, 10, 59)]


@settings(deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab. \t\n\u00a0\u2003\u3000ä€\x1f\x85")), max_size=8),
                max_size=8))
def test_no_edge_space_means_stripping_changes_nothing(texts: list[str]) -> None:
    import pyarrow.compute as pc

    arr = pa.array(["", *texts], type=pa.string()).slice(1)
    if not textbytes.may_have_edge_space(arr):
        assert pc.utf8_trim_whitespace(arr).to_pylist() == texts
        assert [t.strip() for t in texts] == texts
    if any(t[:1] in (" ", "\t", "\u00a0") or t[-1:] in (" ", "\n", "\u3000") for t in texts if t):
        assert textbytes.may_have_edge_space(arr)
