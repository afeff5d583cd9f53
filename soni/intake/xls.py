"""Excel 97-2003 (.xls) and other OLE2 compound files, in the reader child only.

The container is read with olefile (``open_compound``): which streams it holds (an .xls, or a
Word/PowerPoint/Outlook file, or an OOXML workbook encrypted with a password: ``refusal``) and
the bytes of the "Workbook" stream. calamine parses the cells; it leaves error cells empty, so
``restore_error_cells`` walks the BIFF8 records of that stream for error cells and formulas with a
cached error result and puts the error code in. ``serial_60_cells`` finds the number cells that
hold Excel's serial 60 (the 29.02.1900 that never was; calamine reads it as the 28th).

Why this runs in the child (``soni.intake._child``), not in the server's guard: olefile 0.47 trusts
the header's sector counts. A crafted file of 2 KB (a DIFAT chain that repeats one FAT sector)
keeps it busy without end, and a directory of many thousand entries costs quadratic time
(measured: ``bench/ole_hostile.py``, docs/deploy.md). The hand-written reader it replaces had the
same kind of hole (a 63 KB file took 79 MB and 5 s in the server). Here the child's memory and
time limits bound whatever slips through; ``open_compound`` refuses impossible counts first so
that a crafted file fails fast instead of using up the time limit.

Why not xlrd for the error cells: xlrd parses every cell in Python, about four times as long as
calamine's whole read (50,000 rows: 0.84 s against 0.22 s; the scan here: 0.14 s), only to find a
few error cells. Its answers serve as the oracle in tests/test_xls.py.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator, Sequence
from typing import Any

import olefile

from soni.intake.sniff import OLE_MAGIC

#: Directory entries read at most (a real .xls has a handful; with embedded objects some hundreds).
#: olefile checks every stream against all earlier ones, so the cost grows with the square.
MAX_ENTRIES = 4096

class Broken(ValueError):
    """The compound file's structure is broken (or claims more than the file holds)."""


class _Bounded(olefile.OleFileIO):
    """olefile with a cap on the directory entries it loads (``MAX_ENTRIES``)."""

    def _load_direntry(self, sid: int) -> olefile.OleDirectoryEntry:
        self._entries_loaded = getattr(self, "_entries_loaded", 0) + 1
        if self._entries_loaded > MAX_ENTRIES:
            raise Broken(f"more than {MAX_ENTRIES} directory entries")
        return super()._load_direntry(sid)


def open_compound(data: bytes) -> olefile.OleFileIO:
    """The OLE2 container in ``data``; raises ``Broken`` when it is broken.

    Before olefile sees the file, its header must not claim more FAT, DIFAT or MiniFAT sectors than
    the file can hold (olefile would follow such a claim for as long as it says).
    """
    if len(data) < 512 or data[:8] != OLE_MAGIC:
        raise Broken("not a compound file")
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        raise Broken("sector size")
    size = 1 << shift
    sectors = -(-len(data) // size) - 1  # the header takes the first sector's place
    n_fat, = struct.unpack_from("<I", data, 44)
    n_mini, _first_difat, n_difat = struct.unpack_from("<III", data, 64)
    per_sector = size // 4
    if n_fat > 2 * -(-sectors // per_sector) + 1 or n_difat > sectors or n_mini > sectors:
        raise Broken("sector counts beyond the file")
    try:
        book = _Bounded(io.BytesIO(data))
    except (OSError, ValueError, struct.error, IndexError, OverflowError, RecursionError) as exc:
        raise Broken(str(exc)) from None
    starts = [book.first_dir_sector, book.root.isectStart if book.root.size else olefile.ENDOFCHAIN]
    if n_mini:
        starts.append(book.first_mini_fat_sector)
    starts.extend(entry.isectStart for entry in book.direntries
                  if entry is not None and entry.entry_type == olefile.STGTY_STREAM and not entry.is_minifat
                  and entry.size)
    for start in starts:
        _check_chain(book.fat, start)
    return book


def _check_chain(fat: Sequence[int], sector: int) -> None:
    """``Broken`` unless the FAT chain from ``sector`` ends, without a loop, within the FAT.

    olefile follows a looping chain (of the directory, say) as far as the FAT is long, and calamine
    without end: such a file is refused here as damaged, before calamine sees it.
    """
    seen: set[int] = set()
    while sector != olefile.ENDOFCHAIN:
        if sector in seen or sector >= len(fat):
            raise Broken("sector chain loops or leaves the file")
        seen.add(sector)
        sector = fat[sector]


def refusal(book: olefile.OleFileIO) -> str:
    """"" for an .xls; "password" for an encrypted OOXML workbook; else a key of
    ``soni.intake.messages.OLE_NOT_A_TABLE``. ``Broken`` when the directory is empty, or names no
    known stream and olefile found defects in it."""
    names = {"/".join(path).lower() for path in book.listdir(streams=True, storages=True)}
    if not names:
        raise Broken("empty directory")
    if {"encryptioninfo", "encryptedpackage"} <= names:
        return "password"
    if names & {"workbook", "book"}:
        return ""
    if "worddocument" in names:
        return "doc"
    if "powerpoint document" in names:
        return "ppt"
    if any(name.startswith("__substg1.0_") for name in names):
        return "msg"
    if book.parsing_issues:  # an .xls cut short loses its directory entries: damaged, not something else
        raise Broken(book.parsing_issues[0][1])
    return "ole"


def stream(book: olefile.OleFileIO, name: str, limit: int) -> bytes:
    """The bytes of the stream ``name`` (case-insensitive); ``Broken`` when missing, when it claims
    more than ``limit`` bytes (the file's size) or when its sector chain is broken."""
    try:
        if book.get_type(name) != olefile.STGTY_STREAM:
            raise Broken(f"no stream {name}")
        if book.get_size(name) > limit:
            raise Broken(f"stream {name} claims more than the file holds")
        return book.openstream(name).read()
    except (OSError, ValueError, struct.error, IndexError, OverflowError) as exc:
        raise Broken(str(exc)) from None


def workbook_stream(book: olefile.OleFileIO, size: int) -> bytes:
    """The "Workbook" stream (BIFF8) of an .xls of ``size`` bytes; ``Broken`` when it cannot be read."""
    return stream(book, "Workbook", size)


_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
                0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def restore_error_cells(book: olefile.OleFileIO, size: int, sheets: dict[str, list[list[Any]]]) -> int:
    """Put the error codes of error cells (BOOLERR) and of formulas with a cached error result
    (FORMULA) into the cells calamine left empty (BIFF8 only). ``size`` is the file's size.
    Returns how many cells were restored."""
    try:
        workbook = workbook_stream(book, size)
    except Broken:
        return 0
    restored = 0
    try:
        for name, offset in _biff_sheets(workbook):
            rows = sheets.get(name)
            if rows is None:
                continue
            for row, col, code in _biff_errors(workbook, offset):
                if row < len(rows) and col < len(rows[row]) and rows[row][col] in ("", None):
                    rows[row][col] = _BIFF_ERRORS.get(code, "#WERT!")
                    restored += 1
    except struct.error:
        return restored
    return restored


def _biff_records(workbook: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    while offset + 4 <= len(workbook):
        kind, length = struct.unpack_from("<HH", workbook, offset)
        yield kind, workbook[offset + 4:offset + 4 + length]
        offset += 4 + length


def _sheet_records(workbook: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    """The records of one worksheet, from its BOF at ``offset`` up to its EOF (or the next BOF)."""
    for number, (kind, body) in enumerate(_biff_records(workbook, offset)):
        if kind == 0x000A or (number > 0 and kind == 0x0809):
            return
        yield kind, body


def _biff_sheets(workbook: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of every worksheet; [] for BIFF5 and encrypted files."""
    sheets = []
    for number, (kind, body) in enumerate(_biff_records(workbook, 0)):
        if number == 0 and (kind != 0x0809 or struct.unpack_from("<H", body, 0)[0] != 0x0600):
            return []  # not BIFF8
        if kind == 0x002F:  # FILEPASS: records are encrypted
            return []
        if kind == 0x0085 and len(body) >= 8 and body[5] == 0:  # BOUNDSHEET8 of a worksheet
            offset, length, flags = struct.unpack_from("<I", body, 0)[0], body[6], body[7]
            raw = body[8:8 + length * (2 if flags & 1 else 1)]
            sheets.append((raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace"), offset))
        if kind == 0x000A:  # EOF of the workbook globals
            break
    return sheets


def _biff_errors(workbook: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
    for kind, body in _sheet_records(workbook, offset):
        if kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR holding an error
            row, col = struct.unpack_from("<HH", body, 0)
            yield row, col, body[6]
        elif kind == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
            row, col = struct.unpack_from("<HH", body, 0)  # FORMULA with a cached error
            yield row, col, body[8]


def serial_60_cells(data: bytes) -> dict[str, list[tuple[int, int]]]:
    """Excel 97-2003 (BIFF8): per worksheet the 0-based (row, column) of every number cell — also a
    formula's number result — holding Excel's serial 60 (60 to under 61), in a date format the day
    29.02.1900 that never was. {} when the file cannot be followed (BIFF5, encrypted, broken)."""
    try:
        stream = workbook_stream(open_compound(data), len(data))
    except Broken:
        return {}
    found: dict[str, list[tuple[int, int]]] = {}
    try:
        for name, offset in _biff_sheets(stream):
            cells = [(row, col) for row, col, value in _biff_numbers(stream, offset) if 60 <= value < 61]
            if cells:
                found[name] = cells
    except struct.error:
        pass
    return found


def _biff_numbers(stream: bytes, offset: int) -> Iterator[tuple[int, int, float]]:
    """(row, column, value) of the number cells of one worksheet: NUMBER, RK, MULRK, FORMULA."""
    for kind, body in _sheet_records(stream, offset):
        if kind == 0x0203 and len(body) >= 14:  # NUMBER
            yield *struct.unpack_from("<HH", body, 0), struct.unpack_from("<d", body, 6)[0]
        elif kind == 0x027E and len(body) >= 10:  # RK
            yield *struct.unpack_from("<HH", body, 0), _rk(body, 6)
        elif kind == 0x00BD and len(body) >= 12:  # MULRK: row, first column, (xf, RK) × n, last column
            row, first = struct.unpack_from("<HH", body, 0)
            for k in range((len(body) - 6) // 6):
                yield row, first + k, _rk(body, 4 + 6 * k + 2)
        elif kind == 0x0006 and len(body) >= 14 and body[12:14] != b"\xff\xff":  # FORMULA, number result
            yield *struct.unpack_from("<HH", body, 0), struct.unpack_from("<d", body, 6)[0]


def _rk(body: bytes, at: int) -> float:
    """An RK number: a 30-bit integer or the top 30 bits of a double, divided by 100 if flagged."""
    raw = struct.unpack_from("<I", body, at)[0]
    if raw & 2:
        value = float(struct.unpack_from("<i", body, at)[0] >> 2)
    else:
        value = struct.unpack("<d", struct.pack("<Q", (raw & 0xFFFFFFFC) << 32))[0]
    return value / 100 if raw & 1 else value
