"""Child-process side of ``soni.intake.isolate``: parse one workbook under limits, send the rows back.

Started by ``soni.intake.isolate.load_sheets_isolated`` as a fresh interpreter; reads the file from
stdin, writes one pickle to stdout. Must stay free of pandas (and of ``soni.report``, which
imports it) so that the child starts fast: it imports only ``soni.intake.workbook`` and the parsers.

Also home of the pandas-free OLE2 reader shared with ``soni.intake.guard`` (``Compound``).

Protocol: argv = [kind, memory_mb]; stdin = the file's bytes; stdout = pickle of
``("ok", {sheet: encoded}, scan, filled)`` or ``("error", code, detail)`` with ``code`` in ``ERROR_CODES``.
``filled`` says per sheet how many cells of which column were filled from merged ranges
(``[(column, count), …]``).
``scan`` is None, or — for an xlsx/xlsm with a sheet beyond the limits of ``soni.intake.sheetscan`` —
that sheet's precise extent (``Scan.to_wire()``), and then ``{sheet: encoded}`` is empty.
``encoded`` is the sheet column by column (``encode_sheet``): per column its distinct values
and one code per row as packed bytes. Inventories repeat most values (Quartier, Träger,
dates), so this answer is a fraction of the rows' size, and the parent builds its table from
it without unpickling one object per cell.
"""

from __future__ import annotations

import datetime
import gc
import io
import pickle
import struct
import sys
from array import array
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from soni.intake.sniff import OLE_MAGIC

if TYPE_CHECKING:  # imported where needed: a normal file needs neither (the child starts faster)
    from soni.intake.sheetscan import Extent

ERROR_CODES = ("password", "zip", "xml", "entities", "memory", "panic", "cells", "format", "other")


def main(argv: list[str] | None = None) -> None:
    """Entry point in the child: limits, parse, pickle to stdout."""
    args = sys.argv[1:] if argv is None else argv
    kind, memory_mb = args[0], int(args[1])
    _set_limits(memory_mb)
    gc.disable()  # a short-lived process building many lists: collection would only cost time
    data = sys.stdin.buffer.read()
    try:
        result: tuple = answer(data, kind)
    except MemoryError:
        result = ("error", "memory", "MemoryError")
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        code = classify(exc)
        if kind == "ods" and "Cannot detect file format" in str(exc) and ods_value_cells(data) > ODS_CELL_LIMIT:
            code = "cells"  # calamine's "Cell limit exceeded" is lost in its format auto-detection
        result = ("error", code, "" if code == "cells" else _detail(exc))
    try:
        out = _dumps(result)
    except MemoryError:
        result = None  # free the rows before pickling the short answer
        out = pickle.dumps(("error", "memory", "MemoryError while sending"))
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


#: calamine refuses an ODS sheet with more value cells than it holds at once ("Cell limit exceeded");
#: its format auto-detection then reports only "Cannot detect file format". 16 million read fine,
#: 160 million did not; a real inventory has far fewer than this many.
ODS_CELL_LIMIT = 10_000_000


def ods_value_cells(data: bytes) -> int:
    """Cells holding a value in an ODS's content.xml, with the row and column repeats multiplied out
    (only run after a failure: ``re``/``zipfile`` stay out of the child's start)."""
    import re
    import zipfile
    import zlib

    row_tag = re.compile(rb"<table:table-row\b([^<>]*+)>")
    cell_tag = re.compile(rb"<table:(?:covered-)?table-cell\b([^<>]*+)>")
    repeated = re.compile(rb'number-(?:rows|columns)-repeated="(\d{1,9})"')
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read("content.xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error, MemoryError):
        return 0
    total = 0
    rows = list(row_tag.finditer(xml))
    for i, row in enumerate(rows):
        end = rows[i + 1].start() if i + 1 < len(rows) else len(xml)
        repeat = repeated.search(row.group(1))
        cells = 0
        for cell in cell_tag.finditer(xml, row.end(), end):
            if b"value-type" in cell.group(1):
                found = repeated.search(cell.group(1))
                cells += int(found.group(1)) if found else 1
        total += cells * (int(repeat.group(1)) if repeat else 1)
    return total


def _dumps(result: tuple) -> bytes:
    """Pickle without the memo (``fast``): the rows hold no cycles, and it is ~40 % quicker."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(result)
    return buffer.getvalue()


def encode_sheet(rows: list[list[Any]]) -> tuple:
    """Rows → ``("columns", n_rows, row_lengths, [(values, typecode, codes), …])``.

    ``values`` are a column's distinct cell values in order of appearance, ``codes`` (an
    ``array.array`` of ``typecode`` as bytes) says which one each row holds. Rows shorter than
    the widest one are padded with None; ``row_lengths`` (bytes of ``array("I")``, or None
    when all rows have the same length) lets ``soni.intake.isolate.Columns.rows`` undo the padding.
    Values of different types stay apart (``True`` is not ``1.0``).
    """
    width = max(map(len, rows), default=0)
    lengths = None
    if any(len(row) != width for row in rows):
        lengths = array("I", map(len, rows)).tobytes()
        rows = [row if len(row) == width else [*row, *([None] * (width - len(row)))] for row in rows]
    n = len(rows)
    typecode = "B" if n < 1 << 8 else ("H" if n < 1 << 16 else "I")  # a column has at most n values
    columns = []
    for column in zip(*rows, strict=True):
        distinct = dict.fromkeys(column)
        if any(type(v) in _EQUAL_ACROSS_TYPES for v in distinct):  # True == 1 == 1.0: key on (type, value)
            seen: dict = {}
            codes = array(typecode, [seen.setdefault((type(v), v), len(seen)) for v in column])
            values = [key[1] for key in seen]
        else:  # str, float, dates, times and None: no value equals one of another type
            index = {v: i for i, v in enumerate(distinct)}
            codes = array(typecode, [index[v] for v in column])
            values = list(distinct)
        columns.append((values, typecode, codes.tobytes()))
    return ("columns", n, lengths, columns)


_EQUAL_ACROSS_TYPES = (bool, int)  # calamine's other types (str, float, date, datetime, time, timedelta) are apart


def answer(data: bytes, kind: str) -> tuple:
    """``("ok", {sheet: encode_sheet(rows)}, scan, filled)``: the sheets of ``parse_book``, encoded,
    and the cells filled from merged ranges per sheet and column.

    For xlsx/xlsm the parent scans the sheet XML itself while this process parses (error cells,
    formulas without value: ``soni.intake.sheetscan``). Here, a sheet that calamine read beyond a limit
    of the scan (rows, columns, cells, sparse) is measured again precisely (which cell); if it
    breaks the limit, the answer holds no sheets but that scan (``Scan.to_wire``): the parent
    refuses the file with the cell named. For an xls that calamine read a 28.02.1900 in, ``scan``
    holds only ``serial_60`` (``xls_serial_60_cells``). Otherwise ``scan`` is None.
    """
    sheets, filled = parse_book(data, kind)
    encoded = {}
    for name in list(sheets):
        encoded[name] = encode_sheet(sheets.pop(name))  # the rows go as soon as they are encoded
    if kind in ("xlsx", "xlsm") and any(rough_extent(sheet).violation() for sheet in encoded.values()):
        from soni.intake.sheetscan import scan_quietly

        precise = scan_quietly(data, extent=True, errors=False)
        if precise is not None and precise.violation():
            return ("ok", {}, precise.to_wire(), {})
    if kind == "xls" and any(map(_holds_1900_02_28, encoded.values())):  # rare: only then the BIFF scan
        from soni.intake.sheetscan import Scan

        return ("ok", encoded, Scan(serial_60=xls_serial_60_cells(data)).to_wire(), filled)
    return ("ok", encoded, None, filled)


def _holds_1900_02_28(encoded: tuple) -> bool:
    """Whether a cell of an encoded sheet was read as 28.02.1900 (where Excel's serial 60 lands)."""
    return any(isinstance(v, datetime.date) and (v.year, v.month, v.day) == (1900, 2, 28)
               for values, _typecode, _codes in encoded[3] for v in values)


def parse(data: bytes, kind: str) -> dict[str, list[list[Any]]]:
    """The sheets of ``parse_book``."""
    return parse_book(data, kind)[0]


def parse_book(data: bytes, kind: str) -> tuple[dict[str, list[list[Any]]], dict[str, list[tuple[int, int]]]]:
    """``soni.intake.workbook.load_book``; error cells of xls and ods get their literal text back
    (those of xlsx/xlsm: see ``answer``), and merged ranges are filled (``fill_merged``).

    Returns the sheets and, per sheet with filled cells, ``[(column, cells filled), …]``.
    """
    from soni.intake.workbook import load_book

    sheets, merged = load_book(data, kind)
    if kind == "ods":
        restore_ods_error_cells(data, sheets)
        merged = ods_merged_ranges(data)
    elif kind == "xls":
        restore_xls_error_cells(data, sheets)
    filled = {}
    for name, ranges in merged.items():
        if name in sheets:
            counts = fill_merged(sheets[name], ranges)
            if counts:
                filled[name] = sorted(counts.items())
    return sheets, filled


#: At most this many cells are looked at for merged ranges per sheet (overlapping ranges in a
#: crafted file must not cost time without end; a real sheet has far fewer).
MAX_MERGED_VISITS = 5_000_000


def fill_merged(rows: list[list[Any]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]) -> dict[int, int]:
    """Put the value of each merged range that spans several rows into its other, empty cells.

    A block merged over rows (a Quartier or Träger for several activities) means the value for
    each of them. A range within one row (a title or a description across columns) keeps its
    value in its first cell only: the other columns have no value of their own. A row with no
    value of its own (a spacer row inside a merged block) stays empty. Only cells the sheet has
    are filled (ranges are clipped). Returns cells filled per column (0-based).
    """
    counts: dict[int, int] = {}
    budget = MAX_MERGED_VISITS
    own: dict[int, bool] = {}  # row → holds a value of its own (before any filling)

    def has_own(r: int) -> bool:
        if r not in own:
            own[r] = any(cell is not None and cell != "" for cell in rows[r])
        return own[r]

    for (r0, c0), (r1, c1) in ranges:
        if r1 <= r0 or not 0 <= r0 < len(rows) or c0 < 0 or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        if value is None or value == "":
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            budget -= len(row) if r not in own else 0
            if not has_own(r):
                continue
            stop = min(c1, len(row) - 1) + 1
            budget -= max(stop - c0, 0)
            if budget < 0:
                return counts
            for c in range(c0, stop):
                cell = row[c]
                if (cell is None or cell == "") and (r, c) != (r0, c0):
                    row[c] = value
                    counts[c] = counts.get(c, 0) + 1
    return counts


def rough_extent(encoded: tuple) -> Extent:
    """A sheet's extent as calamine read it (from A1, empty area kept; ``encode_sheet``'s form):
    farthest row and column, and the filled cells — counted only where the sparse rule could apply."""
    from soni.intake.sheetscan import SPARSE_CELLS, Extent

    _kind, n_rows, _lengths, columns = encoded
    filled = n_rows * len(columns)
    if filled > SPARSE_CELLS:
        for values, typecode, codes in columns:
            empty = [i for i, value in enumerate(values) if value is None or (type(value) is str and not value)]
            if empty:
                packed = array(typecode)
                packed.frombytes(codes)
                filled -= sum(map(packed.count, empty))
    return Extent(max_row=n_rows, max_col=len(columns), filled=filled)


def _set_limits(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the parent's timeout still applies
        return

    def lower(which: int, value: int) -> None:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))

    lower(resource.RLIMIT_AS, memory_mb * 1024 * 1024)
    lower(resource.RLIMIT_CORE, 0)  # an abort must not write a core file of gigabytes
    lower(resource.RLIMIT_FSIZE, 0)  # the child writes no files (pipes are not affected)


def classify(exc: BaseException) -> str:
    """Map a parser exception (or one in its chain, as a traceback would show it) to ``ERROR_CODES``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        code = _code_of(current)
        if code:
            return code
        if current.__cause__ is not None:
            current = current.__cause__
        else:
            current = None if current.__suppress_context__ else current.__context__
    return "other"


def _code_of(exc: BaseException) -> str:
    name = type(exc).__name__
    module = type(exc).__module__ or ""
    if isinstance(exc, MemoryError):
        return "memory"
    if name == "PasswordError":
        return "password"
    if name == "PanicException":
        return "panic"
    if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError") \
            and module.startswith("defusedxml"):
        return "entities"
    if name in ("ZipError", "BadZipFile", "LargeZipFile") or isinstance(exc, EOFError):
        return "zip"
    if name in ("XmlError", "ParseError", "ExpatError", "SAXParseException"):
        return "xml"
    if name == "InvalidFileException":
        return "format"
    return ""


def _detail(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:300]


# --- OLE2 compound files (xls; encrypted OOXML), pandas-free, shared with soni.intake.guard ------------

_END = 0xFFFFFFFA  # sector numbers at or above this are markers (end of chain, free, FAT …)


class Compound:
    """A minimal reader for OLE2 compound files: the directory and whole streams (no olefile).

    Raises ``ValueError`` when the structure is broken (also for loops and truncation).
    """

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or data[:8] != OLE_MAGIC:
            raise ValueError("not a compound file")
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        self.data, self.size = data, 1 << shift
        n_fat, first_dir = struct.unpack_from("<II", data, 44)
        self.cutoff, first_mini, _n_mini, first_difat, n_difat = struct.unpack_from("<IIIII", data, 56)
        difat = list(struct.unpack_from("<109I", data, 76))
        number, seen = first_difat, set()
        while number < _END and len(seen) < n_difat:
            if number in seen:
                raise ValueError("DIFAT chain")
            seen.add(number)
            block = self._sector(number)  # bounded by the file size: raises past its end
            difat.extend(struct.unpack_from(f"<{self.size // 4 - 1}I", block))
            number = struct.unpack_from("<I", block, self.size - 4)[0]
        self.fat: list[int] = []
        for number in [s for s in difat if s < _END][:n_fat]:
            self.fat.extend(struct.unpack(f"<{self.size // 4}I", self._sector(number)))
        directory = self._chain(first_dir)
        #: (name, kind, start sector, size); kind 1 storage, 2 stream, 5 root
        self.entries: list[tuple[str, int, int, int]] = []
        for offset in range(0, len(directory), 128):
            length = struct.unpack_from("<H", directory, offset + 64)[0]
            kind = directory[offset + 66]
            if kind in (1, 2, 5) and 2 <= length <= 64:
                name = directory[offset:offset + length - 2].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", directory, offset + 116)
                self.entries.append((name, kind, start, size))
        self._mini_fat = self._chain(first_mini) if first_mini < _END else b""

    def _sector(self, number: int) -> bytes:
        start = (number + 1) * self.size
        block = self.data[start:start + self.size]
        if len(block) < self.size:
            raise ValueError("truncated")
        return block

    def _chain(self, number: int) -> bytes:
        blocks, seen = [], set()
        while number < _END:
            if number in seen or number >= len(self.fat):
                raise ValueError("sector chain")
            seen.add(number)
            blocks.append(self._sector(number))
            number = self.fat[number]
        return b"".join(blocks)

    def stream(self, name: str) -> bytes:
        """The bytes of the stream ``name`` (case-insensitive)."""
        found = next((e for e in self.entries if e[1] == 2 and e[0].lower() == name.lower()), None)
        if found is None:
            raise ValueError(f"no stream {name}")
        _name, _kind, start, size = found
        if size >= self.cutoff:
            return self._chain(start)[:size]
        root = next(e for e in self.entries if e[1] == 5)
        container = self._chain(root[2])
        mini_fat = struct.unpack(f"<{len(self._mini_fat) // 4}I", self._mini_fat)
        parts, number, seen = [], start, set()
        while number < _END:
            if number in seen or number >= len(mini_fat):
                raise ValueError("mini chain")
            seen.add(number)
            parts.append(container[number * 64:(number + 1) * 64])
            number = mini_fat[number]
        return b"".join(parts)[:size]


_BIFF_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
                0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


def restore_xls_error_cells(data: bytes, sheets: dict[str, list[list[Any]]]) -> int:
    """Excel 97-2003 (BIFF8): put the error codes of error cells (BOOLERR) and of formulas with a
    cached error result (FORMULA) into the cells calamine left empty. Returns how many."""
    try:
        book = Compound(data)
        stream = book.stream("Workbook")
    except (ValueError, struct.error):
        return 0
    restored = 0
    try:
        for name, offset in _biff_sheets(stream):
            rows = sheets.get(name)
            if rows is None:
                continue
            for row, col, code in _biff_errors(stream, offset):
                if row < len(rows) and col < len(rows[row]) and rows[row][col] in ("", None):
                    rows[row][col] = _BIFF_ERRORS.get(code, "#WERT!")
                    restored += 1
    except struct.error:
        return restored
    return restored


def _biff_records(stream: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        yield kind, stream[offset + 4:offset + 4 + length]
        offset += 4 + length


def _biff_sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of every worksheet; [] for BIFF5 and encrypted files."""
    sheets = []
    for number, (kind, body) in enumerate(_biff_records(stream, 0)):
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


def _biff_errors(stream: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
    for number, (kind, body) in enumerate(_biff_records(stream, offset)):
        if kind == 0x000A or (number > 0 and kind == 0x0809):
            return
        if kind == 0x0205 and len(body) >= 8 and body[7] == 1:  # BOOLERR holding an error
            row, col = struct.unpack_from("<HH", body, 0)
            yield row, col, body[6]
        elif kind == 0x0006 and len(body) >= 14 and body[12:14] == b"\xff\xff" and body[6] == 2:
            row, col = struct.unpack_from("<HH", body, 0)  # FORMULA with a cached error
            yield row, col, body[8]


def xls_serial_60_cells(data: bytes) -> dict[str, list[tuple[int, int]]]:
    """Excel 97-2003 (BIFF8): per worksheet the 0-based (row, column) of every number cell — also a
    formula's number result — holding Excel's serial 60 (60 to under 61), in a date format the day
    29.02.1900 that never was. {} when the file cannot be followed (BIFF5, encrypted, broken)."""
    try:
        stream = Compound(data).stream("Workbook")
    except (ValueError, struct.error):
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
    for number, (kind, body) in enumerate(_biff_records(stream, offset)):
        if kind == 0x000A or (number > 0 and kind == 0x0809):
            return
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


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_CALCEXT_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"
_MAX_REPEAT_FILL = 1000  # an error cell repeated more often than this is filled this often only


def restore_ods_error_cells(data: bytes, sheets: dict[str, list[list[Any]]]) -> int:
    """Put the error text of LibreOffice's error cells (``calcext:value-type="error"``, e.g.
    ``#DIV/0!`` or, from a German LibreOffice, ``#NV``/``#WERT!``) into the cells calamine left empty.

    Returns how many cells were restored. Parses ``content.xml`` only if it holds an error cell.
    """
    import zipfile

    from soni.intake.sheetscan import scan_xml

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if not any(b'value-type="error"' in piece
                       for piece in scan_xml(zf, "content.xml", boundary=b"<table:table-cell")):
                return 0
            with zf.open("content.xml") as stream:
                return _restore_ods(stream, sheets)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, SyntaxError):
        return 0


def _restore_ods(stream, sheets: dict[str, list[list[Any]]]) -> int:
    from defusedxml import ElementTree

    restored = 0
    rows: list[list[Any]] | None = None
    row = col = 0
    errors: list[tuple[int, str]] = []  # (column, text) of the error cells in the current row
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _TABLE + "table":
                rows, row = sheets.get(element.get(_TABLE + "name", "")), 0
            elif tag == _TABLE + "table-row":
                col, errors = 0, []
            continue
        if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            repeat = int(element.get(_TABLE + "number-columns-repeated", "1"))
            if element.get(_CALCEXT_TYPE) == "error":
                text = "".join(element.itertext()).strip()
                errors.extend((c, text) for c in range(col, col + min(repeat, _MAX_REPEAT_FILL)) if text)
            col += repeat
            element.clear()
        elif tag == _TABLE + "table-row":
            repeat = int(element.get(_TABLE + "number-rows-repeated", "1"))
            if rows is not None:
                for r in range(row, min(row + min(repeat, _MAX_REPEAT_FILL), len(rows))):
                    for c, text in errors:
                        if c < len(rows[r]) and rows[r][c] in ("", None):
                            rows[r][c] = text
                            restored += 1
            row += repeat
            element.clear()
    return restored


_SPANNED = (_TABLE + "number-rows-spanned", _TABLE + "number-columns-spanned")


def ods_merged_ranges(data: bytes) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Merged ranges of an ods (cells with ``table:number-rows-spanned``/``-columns-spanned``),
    per sheet, in the form calamine gives for xlsx. Parses ``content.xml`` only if it merges cells."""
    import zipfile

    from soni.intake.sheetscan import scan_xml

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if not any(b"-spanned=" in piece for piece in scan_xml(zf, "content.xml", boundary=b"<table:table-cell")):
                return {}
            with zf.open("content.xml") as stream:
                return _ods_merged(stream)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, SyntaxError):
        return {}


def _ods_merged(stream) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    from defusedxml import ElementTree

    found: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    ranges: list[tuple[tuple[int, int], tuple[int, int]]] = []
    row = col = 0
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _TABLE + "table":
                ranges, row = found.setdefault(element.get(_TABLE + "name", ""), []), 0
            elif tag == _TABLE + "table-row":
                col = 0
            elif tag == _TABLE + "table-cell":
                rows_spanned = int(element.get(_SPANNED[0], "1"))
                cols_spanned = int(element.get(_SPANNED[1], "1"))
                if rows_spanned > 1 or cols_spanned > 1:
                    ranges.append(((row, col), (row + rows_spanned - 1, col + cols_spanned - 1)))
            continue
        if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            col += int(element.get(_TABLE + "number-columns-repeated", "1"))
            element.clear()
        elif tag == _TABLE + "table-row":
            row += int(element.get(_TABLE + "number-rows-repeated", "1"))
            element.clear()
    return {name: r for name, r in found.items() if r}


if __name__ == "__main__":
    main()
