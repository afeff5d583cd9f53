"""Lexicon I/O: reading and validating lexicon tables, folding of words, the built-in lexicon."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import pandas as pd

from soni import grid
from soni.report import InputError

LEXICON_PATH = Path(__file__).parents[1] / "lexicon.csv"

#: Columns of a lexicon table (the lexicon file and users' own term files).
LEXICON_COLUMNS: tuple[str, ...] = ("Begriff", "Feld", "Aspekt", "Gewicht", "Grenze", "Ausnahme", "Hinweis")
_REQUIRED = ("Begriff", "Feld", "Gewicht")
#: Where a term may sit in a word. "Stamm" (the default, an empty cell): at the start of a word or
#: of a part of a compound ("Schuldnerberatung"), not inside a short prefix ("bei|spiel|sweise",
#: "Um|schulung"); terms of up to SHORT_TERM letters only at a word start. "Teil": anywhere.
GRENZEN: tuple[str, ...] = ("Stamm", "Teil", "Anfang", "Ende", "Wort")

_FIELDS = grid.FIELD_NAMES
_INNER_HYPHEN = r"(?<=[^\W_])[-'’](?=[^\W_])"
_FOLD_TABLE = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "ê": "e", "ë": "e",
        "á": "a", "à": "a", "â": "a", "ó": "o", "ò": "o", "ô": "o", "í": "i", "ì": "i", "î": "i",
        "ú": "u", "ù": "u", "û": "u", "ç": "c", "ñ": "n",
    }
)


def fold(text: str) -> str:
    """Lower-case, umlauts spelled out (ä → ae, ß → ss), accents removed, inner hyphens dropped."""
    folded = str(text).casefold().translate(_FOLD_TABLE)
    return " ".join(re.sub(_INNER_HYPHEN, "", folded).split())


# ---------------------------------------------------------------------------------------------
# lexicon


def load_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate a lexicon CSV (``,`` or ``;`` separated, lines starting with ``#`` are comments).

    Returns columns ``LEXICON_COLUMNS`` with Feld as field name, Aspekt as short label
    (or ""), Gewicht as float and Grenze one of ``GRENZEN``. Raises :class:`InputError`
    (German, naming row and column) for a malformed file.
    """
    p = Path(path) if path is not None else LEXICON_PATH
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"Begriffsdatei kann nicht gelesen werden ({exc.strerror or exc}).", file=p.name) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return _parse_lexicon_text(text, p.name)


def _parse_lexicon_text(text: str, source: str) -> pd.DataFrame:
    lines = text.splitlines()
    data = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not data:
        raise InputError("Die Begriffsdatei ist leer: es fehlt eine Kopfzeile mit Begriff, Feld, Gewicht.",
                         file=source)
    header_line = data[0][1]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    records: list[tuple[int, list[str]]] = []
    for number, line in data:
        row = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
        records.append((number, row))
    header = [h.strip() for h in records[0][1]]
    rows = []
    for number, values in records[1:]:
        padded = values + [""] * (len(header) - len(values))
        rows.append((number, dict(zip(header, padded, strict=False))))
    return _validate_records(header, rows, source, header_row=records[0][0])


def _validate_frame(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Validate a lexicon given as DataFrame (e.g. users' own terms); rows are numbered as in Excel."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError("Eigene Begriffe müssen als Tabelle vorliegen.", file=source)
    header = [str(c).strip() for c in frame.columns]
    values = frame.astype(object).where(frame.notna(), "").to_numpy()
    rows = [(i + 2, dict(zip(header, (str(v) for v in vals), strict=False))) for i, vals in enumerate(values)]
    return _validate_records(header, rows, source, header_row=1)


def _validate_records(header: list[str], rows: list[tuple[int, dict[str, str]]], source: str,
                      header_row: int) -> pd.DataFrame:
    canon = {c.casefold(): c for c in LEXICON_COLUMNS}
    rename = {h: canon[h.casefold()] for h in header if h.casefold() in canon}
    for col in _REQUIRED:
        if col not in rename.values():
            raise InputError(
                f"Spalte „{col}“ fehlt. Nötig sind die Spalten {', '.join(_REQUIRED)} "
                f"(dazu wahlweise Aspekt, Grenze, Hinweis).",
                file=source, row=header_row, column=col,
            )
    out: list[tuple[str, str, str, float, str, str]] = []
    grenzen = {g.casefold(): g for g in GRENZEN}
    for number, raw in rows:
        row = {rename[k]: (v or "").strip() for k, v in raw.items() if k in rename}
        if not any(row.values()):
            continue
        begriff = row.get("Begriff", "")
        if not begriff or not fold(begriff.replace("+", "")).strip():
            raise InputError("Begriff ist leer.", file=source, row=number, column="Begriff")
        field = grid.parse_field(row.get("Feld", ""))
        weight_raw = row.get("Gewicht", "").replace(",", ".")
        if field is None and row.get("Feld", "").strip() in ("", "-", "–") and weight_raw.strip() in ("0", "0.0"):
            field = _FIELDS[0]  # a blocker: weight 0, no field (it only keeps shorter terms from matching)
        if field is None or field == grid.UNKLAR:
            raise InputError(
                f"„{row.get('Feld', '')}“ ist kein SONI-Feld (erlaubt: {', '.join(_FIELDS)} oder S, O, N, I, "
                f"„{grid.KEIN_BEZUG}“; leer nur bei Gewicht 0).",
                file=source, row=number, column="Feld",
            )
        aspect_raw = row.get("Aspekt", "")
        aspect = ""
        if aspect_raw and field == grid.KEIN_BEZUG:
            raise InputError(f"„{grid.KEIN_BEZUG}“ hat keine Aspekte (Spalte Aspekt leer lassen).",
                             file=source, row=number, column="Aspekt")
        if aspect_raw:
            parsed = grid.parse_aspect(aspect_raw, field)
            if parsed is None:
                keys = ", ".join(a.key for a in grid.aspects_of(field))
                raise InputError(
                    f"„{aspect_raw}“ ist kein Aspekt des Feldes {field} (erlaubt: {keys} oder der Kurzname).",
                    file=source, row=number, column="Aspekt",
                )
            aspect = parsed.label
        try:
            weight = float(weight_raw)
        except ValueError:
            weight = math.nan
        if not math.isfinite(weight) or not -10 <= weight <= 10:
            raise InputError(
                f"Gewicht „{row.get('Gewicht', '')}“ ist keine Zahl von -10 bis 10.",
                file=source, row=number, column="Gewicht",
            )
        grenze_raw = row.get("Grenze", "")
        grenze = grenzen.get(grenze_raw.casefold()) if grenze_raw else "Stamm"
        if grenze is None:
            raise InputError(
                f"Grenze „{grenze_raw}“ unbekannt (erlaubt: leer, {', '.join(GRENZEN)}).",
                file=source, row=number, column="Grenze",
            )
        out.append((begriff, field, aspect, weight, grenze, row.get("Ausnahme", ""), row.get("Hinweis", "")))
    frame = pd.DataFrame(out, columns=list(LEXICON_COLUMNS))
    frame["Gewicht"] = frame["Gewicht"].astype("float64")
    return frame


_DEFAULT_LEXICON: dict[tuple[str, float], pd.DataFrame] = {}


def _default_lexicon() -> pd.DataFrame:
    key = (str(LEXICON_PATH), LEXICON_PATH.stat().st_mtime)
    if key not in _DEFAULT_LEXICON:
        _DEFAULT_LEXICON.clear()
        _DEFAULT_LEXICON[key] = load_lexicon(LEXICON_PATH)
    return _DEFAULT_LEXICON[key]
