"""A saved column mapping: which header of a file is which canonical column, as plain JSON.

The dashboard (download/upload on "Daten hochladen"), the command line (``--zuordnung``) and
the database workspace read and write the same file::

    {"format": "soni-spaltenzuordnung", "version": 1,
     "spalten": {"Beschreibung": "Worum geht's", "Quartier": "Wo (Bezirk/Viertel)", "Ende": null},
     "auffuellen": ["Wo (Bezirk/Viertel)"]}

``spalten`` maps a canonical column (``soni.schema``) to a header of the file, or to null for
"deliberately not mapped"; ``auffuellen`` lists headers whose empty cells take the value above
(``soni.filldown``; "*" accepts every suggestion). Canonical names are matched without regard to
case and umlaut spelling ("traeger" is "Träger").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from soni import schema
from soni.report import InputError

FORMAT = "soni-spaltenzuordnung"
VERSION = 1
MAX_BYTES = 200_000
#: In ``fill_down``: accept every column the intake suggests.
ALL_SUGGESTED = "*"


@dataclass(frozen=True)
class SavedMapping:
    """Canonical column → header (None: not mapped), and the headers to fill down."""

    columns: dict[str, str | None] = field(default_factory=dict)
    fill_down: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The JSON-able form (see the module docstring)."""
        ordered = {c.name: self.columns[c.name] for c in schema.CANON if c.name in self.columns}
        return {"format": FORMAT, "version": VERSION, "spalten": ordered, "auffuellen": list(self.fill_down)}


def _fold(text: str) -> str:
    return "".join(ch for ch in text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
                   .replace("ß", "ss") if ch.isalnum())


_BY_FOLDED = {_fold(c.name): c.name for c in schema.CANON}


def canon_name(text: str) -> str:
    """The canonical column ``text`` names ("beschreibung", "Traeger" …); ``InputError`` if none."""
    name = _BY_FOLDED.get(_fold(str(text)))
    if name is None:
        known = ", ".join(c.name for c in schema.CANON)
        raise InputError(f"Unbekannte Zielspalte „{text}“ in der Spaltenzuordnung (möglich: {known}).")
    return name


def dumps(saved: SavedMapping) -> str:
    """The mapping file's text (UTF-8 JSON, indented)."""
    return json.dumps(saved.to_json(), ensure_ascii=False, indent=2) + "\n"


def from_json(data: object, *, file: str = "") -> SavedMapping:
    """A ``SavedMapping`` from the parsed JSON; ``InputError`` (German) when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError("Das ist keine gespeicherte Spaltenzuordnung des SONI-Dashboards "
                         f"(erwartet: \"format\": \"{FORMAT}\").", file=file)
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise InputError("Die Spaltenzuordnung stammt aus einer neueren Version des SONI-Dashboards.", file=file)
    spalten = data.get("spalten", {})
    fill = data.get("auffuellen", [])
    if not isinstance(spalten, dict) or not all(v is None or isinstance(v, str) for v in spalten.values()):
        raise InputError("„spalten“ muss Zielspalte → Spaltenüberschrift (Text oder null) zuordnen.", file=file)
    if not isinstance(fill, list) or not all(isinstance(v, str) for v in fill):
        raise InputError("„auffuellen“ muss eine Liste von Spaltenüberschriften sein.", file=file)
    columns: dict[str, str | None] = {}
    for key, header in spalten.items():
        try:
            columns[canon_name(key)] = header or None
        except InputError as exc:
            exc.file = file
            raise
    return SavedMapping(columns, tuple(dict.fromkeys(fill)))


def loads(text: str | bytes, *, file: str = "") -> SavedMapping:
    """A ``SavedMapping`` from the file's text or bytes."""
    if len(text) > MAX_BYTES:
        raise InputError("Die Datei ist zu groß für eine Spaltenzuordnung.", file=file)
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise InputError("Die Spaltenzuordnung ist kein gültiges JSON.", file=file) from None
    return from_json(data, file=file)


def parse_assignments(items: Iterable[str]) -> dict[str, str | None]:
    """``["Beschreibung=Worum geht's", "Ende="]`` → {canonical: header or None}; ``InputError`` on bad items."""
    out: dict[str, str | None] = {}
    for item in items:
        key, sep, header = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"„{item}“: bitte als Zielspalte=Spaltenüberschrift angeben, "
                             "z. B. Beschreibung=\"Worum geht's\".")
        out[canon_name(key.strip())] = header.strip() or None
    return out


def from_choice(mapping: Mapping[str, str], fill_down: Iterable[str] = ()) -> SavedMapping:
    """What a file was read with (the pipeline's mapping and filled columns), to be saved.

    Canonical columns that are not mapped are saved as null, so loading the file keeps them unmapped.
    """
    columns: dict[str, str | None] = {c.name: mapping.get(c.name) for c in schema.CANON}
    return SavedMapping(columns, tuple(fill_down))
