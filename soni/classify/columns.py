"""The upload's other text columns ("Weitere Texte"): unmapped columns that hold activity text."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from soni import schema

#: Headers of columns that hold no activity text (contact, address, place, ids, dates, money, people).
_NOT_ACTIVITY_TEXT = re.compile(
    r"mail|telefon|\btel\b|fax|url|link|web|homepage|internet|foto|bild|adress|stra(ss|ß)e|hausn|plz|"
    r"postleit|\bort\b|\bstadt\b|latitude|longitude|\blat\b|\blon\b|\blng\b|koordinat|geo|\bx\b|\by\b|"
    r"nummer|\bnr\b|\bid\b|datum|date|zeitraum|\bvon\b|\bbis\b|betrag|euro|summe|kosten|haushalt|"
    r"kapitel|einzelplan|position|\baob\b|ansprech|kontakt|vorname|nachname|person|bearbeit|erstellt|"
    r"anzahl|satz|quote|anteil|status|wertigkeit|bezirk|stadtteil|ortsteil|quartier|region|kreis|land",
    re.IGNORECASE,
)


_OWN_COLUMNS = frozenset({*schema.SONI_COLUMNS, schema.SONI_ZWEITFELD, schema.SONI_ZWEITWERT, schema.ZEILEN_ID,
                          schema.DATEI, schema.BLATT, schema.ZEILE, "Quelldatei", schema.WEITERE_TEXTE})


def extra_text(original: pd.DataFrame, mapping: Mapping[str, str | None]) -> pd.Series:
    """The text of the columns no canonical column took (service name, tags, offer …), one string per row.

    The classifier reads it as ``schema.WEITERE_TEXTE`` with a lower weight than title and
    description, so a list whose description column is nearly empty ("Kurzbeschreibung")
    is still read through its other columns ("Angebot"). Columns whose header names contact,
    address, place, ids, dates or money, and columns that hold mostly numbers, are left out.
    """
    used = {str(v) for v in mapping.values() if v}
    parts: list[pd.Series] = []
    for col in original.columns:
        header = str(col)
        if header in used or header in _OWN_COLUMNS or header.casefold().startswith("soni"):
            continue  # the pipeline's own output (a corrected download uploaded again) is no activity text
        if _NOT_ACTIVITY_TEXT.search(header):
            continue
        values = original[col]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
        filled = text[text != ""]
        if filled.empty:
            continue
        wordy = filled.str.contains(r"[^\W\d_]{3}", regex=True) & ~filled.str.contains(r"@|https?://|www\.",
                                                                                      regex=True)
        numeric = filled.str.fullmatch(r"[\d\s.,:;/%+\-–€]+")
        if not wordy.any() or numeric.mean() > 0.5 or (~wordy & ~numeric).mean() > 0.2:
            continue  # numbers, codes, addresses or links rather than words
        parts.append(text.where(wordy.reindex(text.index, fill_value=False), ""))
    if not parts:
        return pd.Series("", index=original.index, dtype=str)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.where(part == "", joined.where(joined == "", joined + " · ") + part)
    return joined.astype(str)

