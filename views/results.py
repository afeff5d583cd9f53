"""Pipeline results kept in the session: their keys (file hashes and options) and a small cache
within the session's memory budget."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from soni import pipeline
from soni.inventory import Inventory
from views import session
from views.keys import Keys

SAMPLE_KEY = "sample"
#: Pipeline results kept per session (current data plus a few recent option variants).
CACHE_SIZE = 3
#: Memory a session may hold for its data: the uploaded bytes and its pipeline results (``session_mb``).
#: Older results go first (``remember``); data that alone need more are refused (``views.loading``).
#: A CSV of the full 50 MB upload limit needs ~380 MB (docs/deploy.md).
SESSION_BUDGET_MB = 600
#: Uploaded megabytes a session takes at once (several files together), checked before reading.
SESSION_UPLOAD_MB = 100
_SAMPLED = 500  # values per object column looked at to estimate its size


def _options_signature(options: Mapping[str, pipeline.Options]) -> str:
    parts = []
    for name in sorted(options):
        o = options[name]
        if o.sheet is None and o.header_row is None and not o.mapping and not o.fill_down:
            continue  # the same as no options
        parts.append(repr((name, o.sheet, o.header_row, sorted((k, v or "") for k, v in o.mapping.items()),
                           o.fill_down)))
    return "|".join(parts)


def data_key(names: Sequence[str], digests: Mapping[str, str], options: Mapping[str, pipeline.Options]) -> str:
    """Key of a pipeline result: the files' content hashes and the chosen options."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update(digests[name].encode())
    h.update(_options_signature(options).encode())
    return h.hexdigest()


def current_key() -> str:
    """Key of the data the session shows now (``SAMPLE_KEY`` without uploads)."""
    ss = st.session_state
    if not session.has_uploads():
        return SAMPLE_KEY
    return data_key(session.upload_names(), ss[Keys.DIGESTS], ss[Keys.OPTIONS])


def remember(key: str, inventory: Inventory) -> None:
    """Keep ``inventory`` under ``key``; the oldest other results go while there are more than
    ``CACHE_SIZE`` (the sample last) or the session holds more than ``SESSION_BUDGET_MB``."""
    cache: dict[str, Inventory] = st.session_state[Keys.CACHE]
    cache.pop(key, None)
    cache[key] = inventory
    while True:
        others = [k for k in cache if k != key]
        own = [k for k in others if k != SAMPLE_KEY]  # the sample is shared by all sessions: not counted
        if len(cache) > CACHE_SIZE and others:
            cache.pop(own[0] if own else others[0])
        elif own and session_mb() > SESSION_BUDGET_MB:
            cache.pop(own[0])
        else:
            return


def frame_mb(frame: pd.DataFrame) -> float:
    """Estimated memory of ``frame`` in MB: its buffers, and per object column the mean size of an
    even sample of its values times its length (``memory_usage(deep=True)`` takes ~1 s at 50 MB)."""
    total = float(frame.memory_usage(deep=False).sum())
    for j, dtype in enumerate(frame.dtypes):
        if pd.api.types.is_object_dtype(dtype) and len(frame):
            column = frame.iloc[:, j]
            sample = column.iloc[:: max(1, len(column) // _SAMPLED)]
            total += len(column) * sum(map(sys.getsizeof, sample)) / len(sample)
    return total / 1e6


def inventory_mb(inventory: Inventory) -> float:
    """Estimated memory of a pipeline result (its activities and original columns) in MB."""
    return frame_mb(inventory.activities) + frame_mb(inventory.original)


def session_mb() -> float:
    """What this session holds for its data, in MB: uploaded bytes plus its own cached results."""
    return session_mb_of(st.session_state)


def session_mb_of(state) -> float:
    """``session_mb`` of a given session state (also an AppTest's, which has no ``get``)."""
    uploaded = sum(len(data) for _, data in (state[Keys.UPLOADS] or [])) if Keys.UPLOADS in state else 0
    own = [inv for key, inv in state[Keys.CACHE].items() if key != SAMPLE_KEY] if Keys.CACHE in state else []
    return uploaded / 1e6 + sum(map(inventory_mb, own))
