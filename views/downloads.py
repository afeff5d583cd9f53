"""Files the pages offer for download that do not depend on chart choices: template and classified list."""

from __future__ import annotations

import streamlit as st

from soni import pipeline, texts
from soni.inventory import Inventory


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    """The empty template (built once per process).

    Here, not in the upload page: a cached function keeps the globals of the script that defines
    it alive, and a page script's globals hold the last visitor's data (issue #16: an upload stayed
    in memory after its session ended).
    """
    from soni.template import build_template

    return build_template()


def inventory_xlsx(inv: Inventory) -> bytes:
    """The classified inventory as xlsx: every original column plus the five SONI columns.

    Uploading it again gives the same assignment (the file contract of ``pipeline.export_frame``).
    """
    from soni.export import safe

    return safe.to_xlsx_bytes({texts.ACTIVITIES_SHEET: pipeline.export_frame(inv)})


def inventory_csv(inv: Inventory) -> bytes:
    """Like ``inventory_xlsx`` as CSV (formula-safe)."""
    from soni.export import safe

    return safe.to_csv_bytes(pipeline.export_frame(inv))
