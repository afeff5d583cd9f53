"""Array helpers shared by matching, scoring, reasons and corrections (Arrow/numpy)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _text_array(frame: pd.DataFrame, column: str) -> pa.Array:
    """A text column as an Arrow string array ("" for missing); works for str, object and category."""
    n = len(frame)
    if column not in frame.columns:
        return pa.array([""] * n, type=pa.string())
    s = frame[column]
    arr: pa.Array | pa.ChunkedArray | None
    try:
        arr = pa.array(s, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        arr = None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr is not None and pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if arr is not None and pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    if arr is None or not pa.types.is_string(arr.type):
        arr = pa.array(s.astype(object).where(s.notna(), "").astype(str).to_numpy(dtype=object),
                       type=pa.string())
    return pc.fill_null(arr, "")


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group positions by key: members of key k are order[ptr[k]:ptr[k+1]]."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, order


def _expand(ptr: np.ndarray, members: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items in ``groups``: (item index, member) for every member of the item's group."""
    counts = ptr[groups + 1] - ptr[groups]
    total = int(counts.sum())
    item = np.repeat(np.arange(len(groups)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return item, members[np.repeat(ptr[groups], counts) + offsets]


def _join(arrays: list[pa.Array], sep: str) -> pa.Array:
    """Element-wise join of string arrays (no nulls), skipping empty parts.

    (Not ``binary_join_element_wise(null_handling="skip")``: pyarrow 26 drops rows where all
    parts are null.)
    """
    out = arrays[0]
    for part in arrays[1:]:
        both = pc.binary_join_element_wise(out, part, sep)
        out = pc.if_else(pc.equal(out, ""), part, pc.if_else(pc.equal(part, ""), out, both))
    return out


def _flat(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


# ---------------------------------------------------------------------------------------------


def _to_pandas(arr: pa.Array) -> pd.Series:
    if pa.types.is_string(arr.type):
        return pd.Series(pd.arrays.ArrowStringArray(arr, dtype=_STR))
    return pd.Series(arr.to_numpy(zero_copy_only=False), dtype="float64")


_STR = pd.StringDtype("pyarrow", na_value=np.nan)
