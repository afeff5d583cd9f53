"""User text made safe for Streamlit's Markdown widgets (st.markdown, st.caption, st.info, …)."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:>])")


def md(text: object) -> str:
    """User text made inert for Markdown widgets.

    Markdown/HTML characters are escaped, so a title like ``<script>`` or ``**x**`` appears literally.
    """
    s = str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return s.replace("\n", "  \n")


def keep_units(text: str) -> str:
    """No line break between a number and its unit ("25 %", "1.200 €"): a no-break space before them."""
    return re.sub(r"(?<=\d) (?=%|€|Prozentpunkte|%-Pkt)", "\u00a0", text)
