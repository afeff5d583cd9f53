"""Pre-checks on an uploaded file before any parser sees it.

Uploads come from anyone with the link. ``inspect`` decides the format from the content
(never from the name), refuses what is not a spreadsheet or is crafted to exhaust the server,
and reports formulas that carry no value. It reads only what it needs: the zip directory,
the first bytes of every XML part, and the worksheets' cell references (streamed, capped;
``soni.intake.sheetscan``). The pipeline (``soni.intake.load_sheets``) skips that last scan before
parsing: while the reader child parses, it scans for error cells and formulas (``scan_cells``),
and the child measures a sheet's extent only when calamine read it beyond a limit; ``check_scan``
then refuses with the same messages (``check_cells`` when the child failed).
What slips through is caught by ``soni.intake.isolate`` (child process with memory and time limits).
An OLE2 file (.xls, but also a .doc or a password-encrypted workbook) is passed on as "xls" by its
magic bytes alone: its container is read in the child (``soni.intake.xls`` says why).
"""

from __future__ import annotations

import datetime
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from soni.intake import sniff
from soni.intake.messages import (
    CORRUPT,
    PASSWORD,
    PASSWORD_ODS,
    RESAVE,
    SECURITY,
    SPREADSHEET_SUFFIXES,
    TEXT_SUFFIXES,
    not_a_table,
)
from soni.intake.sheetscan import (
    MAX_CELLS,
    MAX_COLS,
    MAX_ROWS,
    MAX_SCAN_BYTES,
    ZIP_ERRORS,
    Extent,
    Scan,
    column_letters,
    scan_workbook,
    scan_zip,
    sheet_parts,
)
from soni.report import HINWEIS, WARNUNG, InputError, Problem, Report

# --- Limits (all checked before parsing; the isolation in soni.intake.isolate is the backstop) -----

#: Largest upload in MB: the one number for the app; ``server.maxUploadSize`` in .streamlit/config.toml
#: is the same (tests check it).
MAX_FILE_MB = 50
#: Largest upload in bytes, counted as the browser counts ``maxUploadSize``: Streamlit 1.67's uploader
#: refuses a file over maxUploadSize × 1,000,000 bytes before sending it (× 1,048,576 only on Windows),
#: while its server accepts up to maxUploadSize × 1,048,576. With the decimal count a file the browser
#: refuses is refused here too (the CLI, Windows browsers), with a German message.
MAX_FILE_BYTES = MAX_FILE_MB * 1_000_000
#: Parts in a zip container (a normal xlsx has 10-30; with many pictures a few hundred).
MAX_ZIP_MEMBERS = 2_000
#: Bytes of zip directory allowed per part (an entry is 46 bytes plus its name and extras).
MAX_DIRECTORY_ENTRY_BYTES = 1024
#: Sum of the declared unpacked sizes of all parts. 512 MiB of sheet XML is ~15 million cells,
#: more than MAX_CELLS allows anyway.
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
#: Largest packing ratio of one part larger than RATIO_MIN_BYTES. Real sheets pack 5-30 fold
#: (measured: 8x for a varied 50,000-row sheet, 15x when every row is the same); a zip bomb
#: packs ~1000 fold.
MAX_RATIO = 100
RATIO_MIN_BYTES = 1024 * 1024
#: Every XML part must open its root element within this many bytes; a DOCTYPE/ENTITY
#: declaration there (XML entity bomb, external entity) refuses the file.
PROLOG_BYTES = 64 * 1024
# The limits of a sheet's extent (MAX_ROWS, MAX_COLS, MAX_CELLS, SPARSE_CELLS, SPARSE_FACTOR,
# MAX_SCAN_BYTES) live in soni.intake.sheetscan, next to the scan that measures it.
#: The smallest shared string entry is ``<si/>`` (5 bytes); a count beyond size/5 is a lie.
MIN_SHARED_STRING_BYTES = 5
#: The smallest cell that refers to a shared string, ``<c t="s"><v>0</v></c>``, has 20 bytes;
#: ``count`` is checked against the worksheets' size with this (lenient) figure.
MIN_SHARED_REF_BYTES = 10
#: Formula cells without a stored result listed one by one (per file); the rest are summed up.
MAX_FORMULA_WARNINGS = 20
#: The warning about such a cell: "Zelle D29 " + NO_RESULT + "; " + what it means.
NO_RESULT = "enthält eine Formel ohne gespeichertes Ergebnis"
RECALCULATE = "Bitte die Datei in Excel öffnen, neu berechnen lassen (F9) und speichern."
#: A few NUL bytes in a text file are stray (soni.intake.text removes them with a warning); more mean
#: binary data, and the file is refused.
MAX_TEXT_NULS = 64

KINDS = ("xlsx", "xlsm", "xls", "xlsb", "ods", "csv")


@dataclass
class Inspection:
    """What ``inspect`` found: the format and the warnings to show (the file is usable)."""

    kind: str  # one of KINDS
    warnings: list[Problem] = field(default_factory=list)
    encoding: str = ""  # CSV only: the text encoding to decode with (utf-8-sig, utf-8, utf-16, cp1252 …)


def inspect(data: bytes, filename: str, *, cells: bool = True) -> Inspection:
    """Decide the format of ``data`` by its content and check it against the limits above.

    Raises ``InputError`` (German, ``file=filename``) when the file must be refused. With
    ``cells=False`` the worksheets' cells are not scanned (xlsx/xlsm): the caller does that
    while the reader child parses (``scan_cells``, ``check_scan``; see ``soni.intake.load_sheets``).
    """
    if not data:
        raise InputError("Die Datei ist leer (0 Bytes).", file=filename)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"Die Datei ist zu groß ({_n(len(data))} Bytes); erlaubt sind höchstens "
                         f"{MAX_FILE_MB} MB ({_n(MAX_FILE_BYTES)} Bytes).", file=filename)
    container = sniff.container(data)
    if container == "zip":
        result = _inspect_zip(data, filename, cells)
    elif container == "ole":  # .xls, or an encrypted OOXML workbook, or a .doc …: see soni.intake.xls
        result = Inspection("xls")
    else:
        what = _binary_kind(data)
        if what:
            raise InputError(not_a_table(what, filename), file=filename)
        result = _inspect_text(data, filename)
    _check_suffix(result, filename)
    return result


# --- the format by content ---------------------------------------------------------------------

_MAGIC = (
    (b"%PDF-", "ein PDF-Dokument"),
    (b"\x89PNG\r\n\x1a\n", "ein PNG-Bild"),
    (b"\xff\xd8\xff", "ein JPEG-Bild"),
    (b"GIF87a", "ein GIF-Bild"),
    (b"GIF89a", "ein GIF-Bild"),
    (b"BM", None),  # bitmap: only with a plausible header, see _binary_kind
    (b"II*\x00", "ein TIFF-Bild"),
    (b"MM\x00*", "ein TIFF-Bild"),
    (b"{\\rtf", "ein RTF-Textdokument"),
    (b"%!PS", "eine PostScript-Datei"),
    (b"\x1f\x8b", "ein GZIP-Archiv"),
    (b"7z\xbc\xaf\x27\x1c", "ein 7-Zip-Archiv"),
    (b"Rar!\x1a\x07", "ein RAR-Archiv"),
    (b"BZh", None),
    (b"MZ", "ein Windows-Programm"),
    (b"\x7fELF", "ein Programm"),
    (b"SQLite format 3\x00", "eine SQLite-Datenbank"),
    (b"ID3", "eine Audiodatei (MP3)"),
    (b"OggS", "eine Audiodatei (Ogg)"),
)

_ZIP_KINDS = (  # main content types in [Content_Types].xml
    ("spreadsheetml.sheet.main+xml", "xlsx"),
    ("spreadsheetml.template.main+xml", "xlsx"),
    ("ms-excel.sheet.macroenabled.main+xml", "xlsm"),
    ("ms-excel.template.macroenabled.main+xml", "xlsm"),
    ("ms-excel.sheet.binary.macroenabled.main", "xlsb"),
)
_ZIP_OTHERS = (
    ("wordprocessingml.", "ein Word-Dokument (.docx)"),
    ("ms-word.", "ein Word-Dokument (.docm)"),
    ("presentationml.", "eine PowerPoint-Präsentation (.pptx)"),
    ("ms-powerpoint.", "eine PowerPoint-Präsentation (.pptm)"),
    ("ms-visio.", "eine Visio-Zeichnung"),
    ("ms-xpsdocument", "ein XPS-Dokument"),
)
_ODF = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
    "application/vnd.oasis.opendocument.text": "ein Textdokument (OpenDocument .odt)",
    "application/vnd.oasis.opendocument.presentation": "eine Präsentation (OpenDocument .odp)",
    "application/vnd.oasis.opendocument.graphics": "eine Zeichnung (OpenDocument .odg)",
}


def _binary_kind(data: bytes) -> str:
    """A German name for a known non-spreadsheet binary format, or ''."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if what:
                return what
            if magic == b"BM" and len(data) > 26 and int.from_bytes(data[2:6], "little") == len(data):
                return "ein BMP-Bild"
    if data[4:8] == b"ftyp":
        return "ein Bild oder Video (HEIC/MP4/MOV)"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "ein WebP-Bild"
    return ""


def _check_suffix(result: Inspection, filename: str) -> None:
    suffix = PurePath(filename).suffix.lower()
    if not suffix or suffix in (".xltx", ".xltm", ".ots"):
        return
    expected = {"xlsx": (".xlsx",), "xlsm": (".xlsm",), "xls": (".xls",), "xlsb": (".xlsb",),
                "ods": (".ods",), "csv": TEXT_SUFFIXES}[result.kind]
    if suffix not in expected and result.kind != "csv":  # text under a spreadsheet name: see _inspect_text
        name = {"xlsx": "eine Excel-Arbeitsmappe (.xlsx)", "xlsm": "eine Excel-Arbeitsmappe mit Makros "
                "(.xlsm)", "xls": "eine Excel-Arbeitsmappe im alten Format (.xls)", "xlsb": "eine binäre "
                "Excel-Arbeitsmappe (.xlsb)", "ods": "eine OpenDocument-Tabelle (.ods)"}[result.kind]
        result.warnings.append(Problem(HINWEIS, f"Die Datei heißt „{PurePath(filename).name}“, ist aber "
                                                f"{name}; sie wird als solche gelesen.", file=filename))


# --- zip containers: xlsx, xlsm, xlsb, ods -----------------------------------------------------

def _central_directory(data: bytes) -> tuple[int, int] | None:
    """(entries, bytes) of the zip's central directory as its end record declares them, or None."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    entries, size = struct.unpack_from("<HI", data, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data[locator:locator + 4] == b"PK\x06\x07":
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[record:record + 4] == b"PK\x06\x06" and record + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, record + 32)
    return entries, size


def _inspect_zip(data: bytes, filename: str, cells: bool) -> Inspection:
    # Check the directory's declared size before zipfile builds one object per entry.
    declared = _central_directory(data)
    if declared is None:
        raise InputError(CORRUPT, file=filename)
    if declared[0] > MAX_ZIP_MEMBERS:
        raise InputError(f"Die Datei besteht aus {_n(declared[0])} Teilen (erlaubt: {_n(MAX_ZIP_MEMBERS)}). "
                         + SECURITY, file=filename)
    if declared[1] > MAX_ZIP_MEMBERS * MAX_DIRECTORY_ENTRY_BYTES:
        raise InputError(f"Das Inhaltsverzeichnis der Datei ist {_n(declared[1])} Bytes groß (erlaubt: "
                         f"{_n(MAX_ZIP_MEMBERS * MAX_DIRECTORY_ENTRY_BYTES)}). " + SECURITY, file=filename)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise InputError(CORRUPT, file=filename) from None
    with zf:
        kind = _zip_kind(zf, filename)
        _check_members(infos, filename)
        try:
            for info in infos:
                if _is_xml(info.filename):
                    _check_prolog(zf, info, filename)
            warnings: list[Problem] = []
            if kind in ("xlsx", "xlsm"):
                warnings = _check_cells(zf, filename, scan=cells)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
            raise InputError(CORRUPT, file=filename) from None
    if kind == "xlsm":
        warnings.insert(0, Problem(HINWEIS, "Die Arbeitsmappe enthält Makros; sie werden nicht ausgeführt, "
                                            "nur die Werte werden gelesen.", file=filename))
    return Inspection(kind, warnings)


def _zip_kind(zf: zipfile.ZipFile, filename: str) -> str:
    names = set(zf.namelist())
    try:
        if "[Content_Types].xml" in names:
            types = _read_capped(zf, "[Content_Types].xml", 1 << 20).decode("utf-8", "replace").lower()
            for marker, kind in _ZIP_KINDS:
                if marker in types:
                    return kind
            what = next((w for marker, w in _ZIP_OTHERS if marker in types),
                        "ein Office-Dokument, aber keine Tabelle")
            raise InputError(not_a_table(what, filename), file=filename)
        if "mimetype" in names:
            mime = _read_capped(zf, "mimetype", 200).decode("ascii", "replace").strip()
            what = _ODF.get(mime, "ein OpenDocument-Dokument, aber keine Tabelle")
            if what == "ods":
                if _odf_encrypted(zf, names):
                    raise InputError(PASSWORD_ODS, file=filename)
                return "ods"
            raise InputError(not_a_table(what, filename), file=filename)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise InputError(CORRUPT, file=filename) from None
    inner = [n for n in names if n.lower().endswith(SPREADSHEET_SUFFIXES + TEXT_SUFFIXES)]
    if inner:
        raise InputError(f"Die Datei ist ein ZIP-Archiv mit {len(inner)} Tabelle(n) darin. Bitte die "
                         "Tabellen entpacken und einzeln hochladen.", file=filename)
    raise InputError(not_a_table("ein ZIP-Archiv", filename), file=filename)


def _odf_encrypted(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """An OpenDocument file saved with a password lists ``encryption-data`` in its manifest (ODF 1.2 §3.8)."""
    if "META-INF/manifest.xml" not in names:
        return False
    return b"encryption-data" in _read_capped(zf, "META-INF/manifest.xml", 1 << 20)


def _check_members(infos: list[zipfile.ZipInfo], filename: str) -> None:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError(f"Die Datei besteht aus {_n(len(infos))} Teilen (erlaubt: {_n(MAX_ZIP_MEMBERS)}). "
                         + SECURITY, file=filename)
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(f"Die Datei wäre entpackt {_mb(total)} groß (erlaubt: {_mb(MAX_UNZIPPED_BYTES)}). "
                         + SECURITY, file=filename)
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(PASSWORD, file=filename)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise InputError(f"Der Teil „{info.filename}“ der Datei ist {_n(int(ratio))}-fach gepackt "
                             f"(entpackt {_mb(info.file_size)}; erlaubt: {MAX_RATIO}-fach). " + SECURITY,
                             file=filename)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml", ".rdf"))


def _read_capped(zf: zipfile.ZipFile, name: str, limit: int = PROLOG_BYTES) -> bytes:
    with zf.open(name) as stream:
        return stream.read(limit)


_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT = re.compile(r"<[A-Za-z_:]")


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str) -> None:
    """Refuse a DOCTYPE/ENTITY declaration and a prolog longer than PROLOG_BYTES."""
    head = _read_capped(zf, info.filename)
    if not head:
        return
    text = _xml_text(head)
    found = _DECLARATION.search(text)
    if found:
        raise InputError(f"Der Teil „{info.filename}“ der Datei enthält eine XML-Deklaration "
                         f"„<!{found.group(1).upper()}“ (mögliche XML-Bombe). " + SECURITY, file=filename)
    if not _ROOT.search(text) and len(head) >= PROLOG_BYTES:
        raise InputError(f"Der Teil „{info.filename}“ der Datei beginnt mit über {_n(PROLOG_BYTES)} Bytes "
                         "ohne Inhalt. " + SECURITY, file=filename)


def _xml_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return head.decode("utf-16-be", "ignore")
    if len(head) >= 2 and head[1] == 0 and head[0] != 0:
        return head.decode("utf-16-le", "ignore")
    return head.decode("latin-1")


# --- worksheet cells (xlsx, xlsm) --------------------------------------------------------------

_SST = re.compile(rb"<(?:\w++:)?sst\b([^<>]*+)>")  # linear: no run crosses "<"
_COUNT = re.compile(rb'\b(count|uniqueCount)="([0-9]{1,20})"')


def check_cells(data: bytes, filename: str) -> list[Problem]:
    """The worksheet scan of ``inspect`` on its own (xlsx/xlsm): refuses what breaks a limit,
    returns the warnings about formulas without a stored result."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return _check_cells(zf, filename, scan=True)
    except ZIP_ERRORS:
        raise InputError(CORRUPT, file=filename) from None


def scan_cells(data: bytes, filename: str) -> Scan:
    """Error cells and formulas without a stored result of an xlsx/xlsm (``soni.intake.sheetscan``, no
    extent); ``check_scan`` turns the formulas into warnings. Refuses a broken container."""
    try:
        return scan_workbook(data, extent=False, errors=True)
    except ZIP_ERRORS:
        raise InputError(CORRUPT, file=filename) from None


def _check_cells(zf: zipfile.ZipFile, filename: str, *, scan: bool) -> list[Problem]:
    parts = sheet_parts(zf)
    sheet_bytes = sum(zf.getinfo(member).file_size for _name, member in parts) if parts else None
    _check_shared_strings(zf, sheet_bytes, filename)
    return check_scan(scan_zip(zf, budget=MAX_SCAN_BYTES, errors=False), filename) if scan else []


def check_scan(scan: Scan, filename: str) -> list[Problem]:
    """Refuse a sheet beyond the limits (``InputError`` naming the cell); otherwise the warnings
    about formulas without a stored result."""
    broken = scan.violation()
    if broken:
        _refuse_extent(*broken, filename)
    warnings: list[Problem] = []
    formulas = scan.formulas
    for sheet, ref in formulas[:MAX_FORMULA_WARNINGS]:
        match = re.fullmatch(r"([A-Z]+)([0-9]+)", ref)
        letters, row = (match.group(1), int(match.group(2))) if match else (ref, None)
        warnings.append(Problem(WARNUNG, f"Zelle {ref} {NO_RESULT}; der Wert fehlt. {RECALCULATE}",
                                file=filename, sheet=sheet, row=row, column=letters))
    if len(formulas) > MAX_FORMULA_WARNINGS:
        warnings.append(Problem(WARNUNG, f"… und {_n(len(formulas) - MAX_FORMULA_WARNINGS)} weitere Formeln "
                                "ohne gespeichertes Ergebnis.", file=filename))
    return warnings


def formulas_in_skipped_rows(report: Report, file: str, sheet: str, regardless: Collection[str]) -> None:
    """Reword the warnings of ``check_scan`` about cells in rows of ``sheet`` that were skipped
    (``report.skip``): a note where the skip reason is in ``regardless`` (a total row: skipped
    whatever the value), else a warning that names the reason (an "empty" row may be empty only
    because its results are missing). Each stays in the report at its place."""
    reasons = report.skip_reasons(file, sheet)
    for i, p in enumerate(report.problems):
        reason = reasons.get(p.row) if p.file == file and p.sheet == sheet and p.row is not None else None
        if reason is None or not p.message.startswith(f"Zelle {p.column}{p.row} {NO_RESULT};"):
            continue
        ref = f"{p.column}{p.row}"
        if reason in regardless:
            report.problems[i] = replace(p, level=HINWEIS, message=f"Zelle {ref} {NO_RESULT}; die Zeile wird "
                                         f"ohnehin übersprungen ({reason}), der fehlende Wert ändert nichts.")
        else:
            report.problems[i] = replace(p, message=f"Zelle {ref} {NO_RESULT}; der Wert fehlt, und die Zeile "
                                         f"wird übersprungen ({reason}) – vielleicht nur deshalb. {RECALCULATE}")


def check_serial_60(sheets: Mapping[str, Any], cells: Mapping[str, Sequence[tuple[int, int]]],
                    filename: str) -> list[Problem]:
    """A warning per cell that Excel shows as 29.02.1900 (serial 60 in a date format): that day does
    not exist, calamine reads it as 28.02.1900. ``sheets``: the parsed ``Columns``; ``cells``: per
    sheet the 0-based (row, column) of number cells holding 60 to under 61 (``Scan.serial_60`` for
    xlsx/xlsm, ``xls.serial_60_cells`` for xls). A cell counts only where it was read as a date,
    so 60 participants stay unremarked. After ``MAX_FORMULA_WARNINGS`` cells, one line counts the rest."""
    warnings: list[Problem] = []
    more = 0
    for sheet, found in cells.items():
        columns = sheets.get(sheet)
        if columns is None:
            continue
        for row, j in found:
            if j >= columns.width or row >= len(columns):
                continue
            value = columns.values(j)[columns.codes(j)[row]]
            if not (isinstance(value, datetime.date) and (value.year, value.month, value.day) == (1900, 2, 28)):
                continue
            if len(warnings) == MAX_FORMULA_WARNINGS:
                more += 1
                continue
            letters = column_letters(j)
            warnings.append(Problem(
                WARNUNG, f"Zelle {letters}{row + 1} zeigt in Excel den 29.02.1900 (Excel-Zahl 60) – diesen Tag "
                "gab es nicht (Excel zählt 1900 fälschlich als Schaltjahr). Gelesen als 28.02.1900; bitte das "
                "Datum prüfen.", file=filename, sheet=sheet, row=row + 1, column=letters))
    if more:
        warnings.append(Problem(WARNUNG, f"… und {_n(more)} weitere Zellen mit dem 29.02.1900 (Excel-Zahl 60).",
                                file=filename))
    return warnings


def _check_shared_strings(zf: zipfile.ZipFile, sheet_bytes: int | None, filename: str) -> None:
    """``uniqueCount`` against the part's size, ``count`` against the worksheets' size (if known)."""
    for info in zf.infolist():
        if not info.filename.lower().endswith("sharedstrings.xml"):
            continue
        found = _SST.search(_read_capped(zf, info.filename))
        counts = dict(_COUNT.findall(found.group(1))) if found else {}
        unique = int(counts.get(b"uniqueCount", 0))
        total = int(counts.get(b"count", 0))
        claim = ""
        if unique > info.file_size // MIN_SHARED_STRING_BYTES + 16:
            claim = f"{_n(unique)} verschiedene Texte"
        elif sheet_bytes is not None and total > sheet_bytes // MIN_SHARED_REF_BYTES + 1024:
            claim = f"{_n(total)} Textverweise"
        if claim:
            raise InputError(f"Die Datei ist beschädigt oder manipuliert: ihre Texttabelle („{info.filename}“) "
                             f"gibt {claim} an, ist aber nur {_n(info.file_size)} Bytes groß. "
                             + SECURITY, file=filename)


def _refuse_extent(sheet: str, extent: Extent, kind: str, filename: str) -> None:
    advice = ("Bitte in Excel mit Strg+Ende die letzte benutzte Zelle prüfen, überflüssige Zeilen und "
              "Spalten löschen und neu speichern.")
    far = extent.row_ref if extent.max_row >= extent.max_col else extent.col_ref
    size = f"{_n(extent.max_row)} Zeilen × {_n(extent.max_col)} Spalten"
    text = {
        "rows": f"Zelle {extent.row_ref} enthält einen Wert in Zeile {_n(extent.max_row)}; "
                f"erlaubt sind höchstens {_n(MAX_ROWS)} Zeilen. ",
        "cols": f"Zelle {extent.col_ref} enthält einen Wert in Spalte {_n(extent.max_col)}; "
                f"erlaubt sind höchstens {_n(MAX_COLS)} Spalten. ",
        "cells": f"Die Tabelle reicht bis Zelle {far} ({size} = {_n(extent.area)} Zellen; erlaubt: "
                 f"{_n(MAX_CELLS)}). ",
        "sparse": f"Die Tabelle reicht bis Zelle {far} ({size}), aber nur {_n(extent.filled)} Zellen "
                  "enthalten Werte. ",
    }[kind]
    raise InputError(text + advice, file=filename, sheet=sheet)


# --- text: CSV ---------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")


def _inspect_text(data: bytes, filename: str) -> Inspection:
    encoding = _text_encoding(data, filename)
    text = data.decode(encoding)
    start = text.lstrip("\ufeff \t\r\n")[:4096].lower()
    if start.startswith(("<!doctype html", "<html", "<table", "<head", "<body")):
        raise InputError(not_a_table("eine Webseite (HTML) – so sehen manche „Excel-Exporte“ aus "
                                      "Web-Anwendungen aus", filename) + " " + RESAVE, file=filename)
    if start.startswith(("<?xml", "<workbook", "<!doctype")):
        what = ("eine XML-Tabelle im alten Excel-2003-Format" if "urn:schemas-microsoft-com:office:spreadsheet"
                in start else "eine XML-Datei")
        raise InputError(not_a_table(what, filename) + " " + RESAVE, file=filename)
    if start[:1] in ("{", "[") and len(data) < 5 * 1024 * 1024 and _is_json(text):
        raise InputError(not_a_table("eine JSON-Datei", filename), file=filename)
    controls = _CONTROL.findall(text[:65536])
    if len(controls) > 16:
        raise InputError(not_a_table("eine Datei in einem unbekannten Format", filename), file=filename)
    warnings: list[Problem] = []
    if filename.lower().endswith(SPREADSHEET_SUFFIXES):
        name = PurePath(filename).name
        if not sniff.looks_delimited(text):
            raise InputError(not_a_table("eine reine Textdatei", filename), file=filename)
        warnings.append(Problem(WARNUNG, f"Die Datei heißt „{name}“, ist aber eine Textdatei (CSV); sie wird "
                                "als CSV gelesen.", file=filename))
    return Inspection("csv", warnings, encoding)


def _text_encoding(data: bytes, filename: str) -> str:
    """The codec of ``sniff.text_encoding``; refuses binary data (many NULs) and undecodable bytes."""
    candidates = sniff.encoding_candidates(data)
    if not candidates[0].startswith("utf-16"):
        nuls = data.count(b"\x00")
        if nuls > MAX_TEXT_NULS or data[:4096].count(0) > 0.01 * min(len(data), 4096):
            raise InputError(not_a_table("eine Datei in einem unbekannten Format (sie enthält "
                                          f"{_n(nuls)} Null-Bytes)", filename), file=filename)
    encoding = sniff.text_encoding(data)
    if encoding is None:
        raise InputError(not_a_table("eine Datei in einem unbekannten Format oder einer unbekannten "
                                      "Zeichenkodierung", filename), file=filename)
    return encoding


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


# --- formatting --------------------------------------------------------------------------------

def _n(number: int) -> str:
    """German thousands separator: 1.048.576."""
    return f"{number:,}".replace(",", ".")


def _mb(size: int) -> str:
    """German megabytes: 50 MB, 62,3 MB."""
    text = f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
    return f"{text} MB"
