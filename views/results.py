"""Pipeline results kept in the session: their keys (file hashes and options) and a small cache."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import streamlit as st

from soni import pipeline
from soni.inventory import Inventory
from views import session
from views.keys import Keys

SAMPLE_KEY = "sample"
#: Pipeline results kept per session (current data plus a few recent option variants).
CACHE_SIZE = 3


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
    """Keep ``inventory`` under ``key``; the oldest results beyond ``CACHE_SIZE`` go (the sample last)."""
    cache: dict[str, Inventory] = st.session_state[Keys.CACHE]
    cache.pop(key, None)
    cache[key] = inventory
    while len(cache) > CACHE_SIZE:
        oldest = next(k for k in cache if k != SAMPLE_KEY) if len(cache) > 1 else next(iter(cache))
        cache.pop(oldest)
