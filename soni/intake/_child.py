"""Child-process side of ``soni.intake.isolate``: parse one workbook under limits, send the rows back.

Started by ``soni.intake.isolate.load_sheets_isolated`` as a fresh interpreter; reads the file from
stdin, writes one pickle to stdout. Must stay free of pandas (and of ``soni.report``, which
imports it) so that the child starts fast: it imports only ``soni.intake.workbook`` and the parsers.

Protocol: argv = [kind, memory_mb]; stdin = the file's bytes; stdout = pickle of
``("ok", {sheet: encoded}, scan, filled)`` or ``("error", code, detail)`` with ``code`` in ``ERROR_CODES``
(for "not_a_table", ``detail`` is a key of ``soni.intake.messages.OLE_NOT_A_TABLE``).
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
import sys
from array import array
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported where needed: a normal file needs neither (the child starts faster)
    from soni.intake.sheetscan import Extent

ERROR_CODES = ("password", "zip", "xml", "entities", "memory", "panic", "cells", "format", "other",
               "corrupt", "not_a_table")


class Refused(Exception):
    """The file is refused before parsing: ``code`` in ``ERROR_CODES``, ``detail`` a plain key or text."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code, self.detail = code, detail


def main(argv: list[str] | None = None) -> None:
    """Entry point in the child: limits, parse, pickle to stdout."""
    args = sys.argv[1:] if argv is None else argv
    kind, memory_mb = args[0], int(args[1])
    _set_limits(memory_mb)
    gc.disable()  # a short-lived process building many lists: collection would only cost time
    data = sys.stdin.buffer.read()
    try:
        result: tuple = answer(data, kind)
    except Refused as refused:
        result = ("error", refused.code, refused.detail)
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
        if len(distinct) == n:  # every value once (free text): no lookup per cell
            codes = array(typecode, range(n))
            values = list(column)
        elif not _EQUAL_ACROSS_TYPES.isdisjoint(map(type, column)):  # True == 1 == 1.0: key on (type, value)
            seen: dict = {}
            codes = array(typecode, [seen.setdefault((type(v), v), len(seen)) for v in column])
            values = [key[1] for key in seen]
        else:  # str, float, dates, times and None: no value equals one of another type
            index = {v: i for i, v in enumerate(distinct)}
            codes = array(typecode, [index[v] for v in column])
            values = list(distinct)
        columns.append((values, typecode, codes.tobytes()))
    return ("columns", n, lengths, columns)


#: calamine's other types (str, float, date, datetime, time, timedelta) are apart. Looked for in every cell,
#: not among the distinct values: there a 0.0 seen first would stand for a later False.
_EQUAL_ACROSS_TYPES = frozenset({bool, int})


def answer(data: bytes, kind: str) -> tuple:
    """``("ok", {sheet: encode_sheet(rows)}, scan, filled)``: the sheets of ``parse_book``, encoded,
    and the cells filled from merged ranges per sheet and column.

    For xlsx/xlsm the parent scans the sheet XML itself while this process parses (error cells,
    formulas without value: ``soni.intake.sheetscan``). Here, a sheet that calamine read beyond a limit
    of the scan (rows, columns, cells, sparse) is measured again precisely (which cell); if it
    breaks the limit, the answer holds no sheets but that scan (``Scan.to_wire``): the parent
    refuses the file with the cell named. For an xls that calamine read a 28.02.1900 in, ``scan``
    holds only ``serial_60`` (``soni.intake.xls.serial_60_cells``). Otherwise ``scan`` is None.
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
        from soni.intake import xls
        from soni.intake.sheetscan import Scan

        return ("ok", encoded, Scan(serial_60=xls.serial_60_cells(data)).to_wire(), filled)
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

    An xls is first opened as an OLE2 container (``soni.intake.xls``): ``Refused`` when it is
    broken, encrypted or no Excel file. Returns the sheets and, per sheet with filled cells,
    ``[(column, cells filled), …]``.
    """
    from soni.intake.workbook import load_book

    compound = open_xls(data) if kind == "xls" else None
    sheets, merged = load_book(data, kind)
    if kind == "ods":
        restore_ods_error_cells(data, sheets)
        merged = ods_merged_ranges(data)
    elif compound is not None:
        from soni.intake import xls

        xls.restore_error_cells(compound, len(data), sheets)
    filled = {}
    for name, ranges in merged.items():
        if name in sheets:
            counts = fill_merged(sheets[name], ranges)
            if counts:
                filled[name] = sorted(counts.items())
    return sheets, filled


def open_xls(data: bytes):
    """The OLE2 container of an xls (``soni.intake.xls.open_compound``); ``Refused`` with "corrupt"
    when it is broken, "password" when it is an encrypted OOXML workbook, "not_a_table" (and a key
    of ``xls.NOT_A_TABLE``) when it is a Word, PowerPoint or Outlook file or other OLE2 file."""
    from soni.intake import xls

    try:
        compound = xls.open_compound(data)
        reason = xls.refusal(compound)
    except (xls.Broken, RecursionError, OSError):
        raise Refused("corrupt") from None
    if reason == "password":
        raise Refused("password")
    if reason:
        raise Refused("not_a_table", reason)
    return compound


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
