"""Byte scans of Arrow texts with numpy: where a few ASCII characters stand, and which texts hold one.

An ASCII byte in UTF-8 is never part of another character, so looking for it byte by byte finds exactly
the character. The scan goes through the bytes in blocks that stay in the processor's cache (a temporary
array of the texts' whole size costs more than the comparison itself: new pages, memory traffic).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

#: Bytes per block of a scan.
BLOCK = 1 << 20


def text_bytes(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes under a ``string`` or ``large_string`` array (no copy) and its n + 1 offsets into them
    (a slice keeps the offsets of the whole buffer)."""
    wide = pa.types.is_large_string(texts.type)
    _validity, offsets_buffer, data = texts.buffers()
    n = len(texts)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64 if wide else np.int32)[texts.offset:texts.offset + n + 1]
    end = int(offsets[-1]) if n else 0
    raw = np.frombuffer(data, dtype=np.uint8, count=end) if data is not None and end else np.zeros(end, np.uint8)
    return raw, offsets


def byte_positions(raw: np.ndarray, values: Sequence[int], start: int = 0) -> np.ndarray:
    """Sorted positions (int64) in ``raw[start:]`` of the bytes in ``values`` (ASCII), as positions in ``raw``."""
    found = []
    for at in range(start, len(raw), BLOCK):
        block = raw[at:at + BLOCK]
        hit = block == values[0]  # a few comparisons of a block in the cache cost less than one pass to memory
        for v in values[1:]:
            hit |= block == v
        found.append(np.flatnonzero(hit) + at)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def holding(texts: pa.Array, values: Sequence[int]) -> np.ndarray:
    """Per text (string or large_string): whether it holds one of the bytes ``values`` (ASCII). Null is False."""
    raw, offsets = text_bytes(texts)
    out = np.zeros(len(texts), dtype=bool)
    if len(texts):
        at = byte_positions(raw, values, int(offsets[0]))
        out[np.searchsorted(offsets, at, side="right") - 1] = True
    if texts.null_count:
        out &= texts.is_valid().to_numpy(zero_copy_only=False)
    return out


def may_have_edge_space(texts: pa.Array) -> bool:
    """Whether some text may start or end with whitespace: its first or last byte is a space or an ASCII control
    character, or belongs to a non-ASCII character (which may be a Unicode space). False means stripping changes
    no text."""
    raw, offsets = text_bytes(texts)
    size = np.diff(offsets)
    filled = size > 0
    if not filled.any():
        return False
    first, last = raw[offsets[:-1][filled]], raw[offsets[1:][filled] - 1]
    return bool(((first <= 0x20) | (first >= 0x7F) | (last <= 0x20) | (last >= 0x7F)).any())
