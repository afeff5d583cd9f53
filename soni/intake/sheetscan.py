"""One streamed pass over the worksheet XML of an xlsx/xlsm, without a parser.

It finds what calamine cannot tell us or what must be known to refuse a file with a precise
message: how far each sheet reaches (farthest filled row and column, how many cells hold a
value), formulas without a stored result, and the literal codes of Excel's error cells
(calamine 0.9 reads them as ""). ``soni.read`` runs it for error cells and formulas
(``guard.scan_cells``) while the reader child parses; the child measures a sheet's extent only
when calamine read it beyond a limit, and ``soni.intake.guard`` measures it itself before parsing
(``inspect``) or when the child failed. pandas-free: the child imports it.

Also home of the small OOXML helpers ``sheet_parts`` (which zip member holds which sheet),
``scan_xml`` (stream a zip member in chunks that never cut a cell element in two) and
``column_index``.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import astuple, dataclass, field
from operator import itemgetter
from typing import Any

# --- Limits of a sheet's extent (messages in soni.intake.guard; the isolation is the backstop) --------

#: Worksheet XML (inflated) scanned for cell references, all sheets together. Beyond this
#: the rest of the sheet is left to the isolated parser.
MAX_SCAN_BYTES = 256 * 1024 * 1024
#: Farthest row that may hold a value. soni.read refuses a sheet longer than MAX_ROWS +
#: HEADER_SEARCH_ROWS (500,000 + 30) after parsing; the scan names the cell (typically a stray
#: value in row 1,048,576, Excel's last row).
MAX_ROWS = 500_030
#: Farthest column that may hold a value (column SF) — soni.read.MAX_COLUMNS. Inventories have
#: 10-50 columns; a value in column XFD (16,384) is a stray note or a crafted file.
MAX_COLS = 500
#: The parser allocates the full rectangle A1..(farthest row, farthest column) — ~32 bytes per
#: cell in calamine plus 8 in Python. 10 million cells stay well under the child's memory limit.
MAX_CELLS = 10_000_000
#: A rectangle larger than SPARSE_CELLS must be "real": at least 1/SPARSE_FACTOR of its
#: cells hold a value. A file that claims A1:A1048576 with five values is refused.
SPARSE_CELLS = 2_000_000
SPARSE_FACTOR = 50

_CHUNK = 1 << 20  # bytes inflated per step when scanning a zip member
_MAX_CARRY = 1 << 20  # an unfinished element longer than this is dropped from the scan
_META_LIMIT = 16 << 20  # workbook.xml / rels larger than this are not parsed here

# A cell that holds something: a start tag that is not self-closing (<c r="A1" s="1"/> is
# formatting only; calamine ignores it — measured). Written so that it runs in linear time on any
# input (atomic/possessive parts, no class that crosses "<").
_FILLED_CELL = re.compile(rb'<c\b(?>[^<>]*?\sr=["\'])([A-Z]{1,3})([0-9]{1,8})["\'][^<>]*+(?<!/)>')
# A formula element: self-closing (a filled-down formula, <f t="shared" si="0"/>) or with its text.
_FORMULA = rb'<f\b[^<>]*+(?<=/)>|<f\b[^<>]*+(?<!/)>[^<]*+</f>'
# A formula cell and what follows up to its end, for formulas without a stored result.
_FORMULA_CELL = re.compile(rb'<c\b([^<>]*+)>\s*+(' + _FORMULA + rb')\s*+'
                           rb'(<v\s*+/>|<v>([^<]*+)</v>)?\s*+</c>')
_ATTR_REF = re.compile(rb'\br=["\']([A-Z]{1,3})([0-9]{1,8})["\']')
# Excel writes error results as <c r="C2" t="e"><f>…</f><v>#DIV/0!</v></c>; calamine 0.9 reads
# them as "". The start tag (attributes: group 1), an optional formula, then the code (group 2).
_ERROR_CELL = re.compile(rb'<c\b((?>[^<>]*?\st="e")[^<>]*+)>\s*+(?:' + _FORMULA + rb')?'
                         rb'\s*+<v>([^<]{1,32})</v>')
# A number cell holding Excel's serial 60 (60 to under 61): in a date format that is 29.02.1900, a day
# Excel counts wrongly (1900 was no leap year); calamine reads it as 28.02.1900. The start tag: group 1.
_SERIAL_60 = re.compile(rb'<c\b([^<>]*+)>\s*+(?:' + _FORMULA + rb')?\s*+<v>60(?:\.[0-9]{1,20})?</v>')


@dataclass
class Extent:
    """Farthest filled cells of one sheet and how many cells hold a value."""

    max_row: int = 0
    row_ref: str = ""
    max_col: int = 0
    col_ref: str = ""
    filled: int = 0
    complete: bool = True  # False when the scan budget ended inside this sheet

    @property
    def area(self) -> int:
        return self.max_row * self.max_col

    def violation(self) -> str | None:
        """Which limit the sheet breaks: "rows", "cols", "cells", "sparse" — or None."""
        if self.max_row > MAX_ROWS:
            return "rows"
        if self.max_col > MAX_COLS:
            return "cols"
        if self.area > MAX_CELLS:
            return "cells"
        if self.complete and self.area > SPARSE_CELLS and self.filled * SPARSE_FACTOR < self.area:
            return "sparse"
        return None


@dataclass
class Scan:
    """What ``scan_workbook`` found, per sheet in workbook order."""

    extents: dict[str, Extent] = field(default_factory=dict)
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (sheet, cell) without a stored result
    errors: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # 0-based (row, col, code)
    serial_60: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # 0-based (row, col)

    def violation(self) -> tuple[str, Extent, str] | None:
        """(sheet, extent, kind) of the first sheet that breaks a limit, or None."""
        for sheet, extent in self.extents.items():
            kind = extent.violation()
            if kind:
                return sheet, extent, kind
        return None

    def to_wire(self) -> tuple:
        """Plain tuples and strings, for the child's pickle (the parent unpickles no classes)."""
        return ([(sheet, astuple(e)) for sheet, e in self.extents.items()], list(self.formulas),
                list(self.serial_60.items()))

    @classmethod
    def from_wire(cls, wire: Any) -> Scan:
        """The inverse of ``to_wire`` (without error cells, which the child has put in already).

        Raises ``ValueError`` when the shape is not what ``to_wire`` makes.
        """
        try:
            extents, formulas, serial_60 = wire
            scan = cls({str(sheet): Extent(*_checked(values)) for sheet, values in extents},
                       [(str(sheet), str(ref)) for sheet, ref in formulas],
                       serial_60={str(sheet): [(int(r), int(c)) for r, c in cells] for sheet, cells in serial_60})
        except (TypeError, ValueError) as exc:
            raise ValueError("scan") from exc
        return scan


_EXTENT_TYPES = (int, str, int, str, int, bool)


def _checked(values: Any) -> tuple:
    values = tuple(values)
    if len(values) != len(_EXTENT_TYPES) or not all(map(isinstance, values, _EXTENT_TYPES)):
        raise ValueError("extent")
    return values


def scan_workbook(data: bytes, *, budget: int = MAX_SCAN_BYTES, extent: bool = True, errors: bool = True) -> Scan:
    """Scan every worksheet of an xlsx/xlsm (``data``) in one streamed pass; see ``scan_zip``.

    Raises what zipfile/zlib raise on a broken container (``BadZipFile``, ``zlib.error``,
    ``EOFError`` …).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return scan_zip(zf, budget=budget, extent=extent, errors=errors)


def scan_zip(zf: zipfile.ZipFile, *, budget: int = MAX_SCAN_BYTES, extent: bool = True,
             errors: bool = True) -> Scan:
    """Scan the worksheets of an open xlsx/xlsm zip.

    Formulas without a stored result, (``extent=True``) each sheet's extent and (``errors=True``)
    the error cells are taken from the first ``budget`` inflated bytes, all sheets together; a
    sheet cut short is marked incomplete. The extent costs a pattern match per cell; the rest only
    a substring test per megabyte unless a formula or an error cell is there. Every pattern runs
    in linear time on any input (no backtracking across ``<``): this also runs in the server.
    """
    scan = Scan()
    for name, member in sheet_parts(zf):
        sheet = scan.extents.setdefault(name, Extent()) if extent else None
        cells = scan.errors.setdefault(name, []) if errors else None
        if budget <= 0:
            if sheet is not None:
                sheet.complete = False
            continue
        for piece in scan_xml(zf, member, limit=budget):
            budget -= len(piece)
            if sheet is not None:
                _add_cells(piece, sheet)
            if b"<f" in piece:
                scan.formulas.extend((name, ref) for ref in _formulas_without_value(piece))
            if cells is not None and b't="e"' in piece:
                cells.extend(_error_cells(piece))
            if errors and b"<v>60" in piece:
                scan.serial_60.setdefault(name, []).extend(_serial_60_cells(piece))
        if sheet is not None and budget <= 0:
            sheet.complete = False
    return scan


#: What reading a broken or unsupported zip container can raise.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, KeyError, OSError, EOFError, ValueError, RuntimeError,
              NotImplementedError)


def scan_quietly(data: bytes, *, extent: bool, errors: bool) -> Scan | None:
    """``scan_workbook``, or None where the container cannot be followed."""
    try:
        return scan_workbook(data, extent=extent, errors=errors)
    except ZIP_ERRORS:
        return None


def _add_cells(piece: bytes, extent: Extent) -> None:
    cells = _FILLED_CELL.findall(piece)
    if not cells:
        return
    extent.filled += len(cells)
    top = max(map(int, map(itemgetter(1), cells)))
    if top > extent.max_row:
        ref = next(c + d for c, d in reversed(cells) if int(d) == top)
        extent.max_row, extent.row_ref = top, ref.decode()
    widest = max(set(map(itemgetter(0), cells)), key=lambda c: (len(c), c))
    if column_index(widest) > extent.max_col:
        ref = next(c + d for c, d in cells if c == widest)
        extent.max_col, extent.col_ref = column_index(widest), ref.decode()


def _formulas_without_value(piece: bytes) -> list[str]:
    refs = []
    for attrs, _f, v_element, value in _FORMULA_CELL.findall(piece):
        is_text = b't="str"' in attrs or b't="inlineStr"' in attrs
        if (v_element and value.strip()) or (v_element and is_text):
            continue  # a stored result ("" is a valid result of a text formula)
        ref = _ATTR_REF.search(attrs)
        if ref:
            refs.append((ref.group(1) + ref.group(2)).decode())
    return refs


def _error_cells(piece: bytes) -> Iterator[tuple[int, int, str]]:
    for match in _ERROR_CELL.finditer(piece):
        ref = _ATTR_REF.search(match.group(1))
        if ref and int(ref.group(2)) > 0:  # "A0" is no cell
            yield (int(ref.group(2)) - 1, column_index(ref.group(1)) - 1, match.group(2).decode("utf-8", "replace"))


def _serial_60_matches(piece: bytes) -> Iterator[re.Match]:
    """``_SERIAL_60.finditer(piece)``, looking only at the cells around each ``<v>60`` (a list with many
    values such as 60 or 600 hours has them in every piece; the pattern over the whole piece cost ~0.1 s
    at 50,000 rows). A cell's value follows its start tag with no other ``<c`` in between."""
    at = piece.find(b"<v>60")
    while at >= 0:
        start = piece.rfind(b"<c", 0, at)
        match = _SERIAL_60.search(piece, max(start, 0), at + _SERIAL_60_TAIL) if start >= 0 else None
        if match is not None and match.start() < at < match.end():  # this <v>60's cell, not a later one
            yield match
        at = piece.find(b"<v>60", at + 1)


_SERIAL_60_TAIL = len(b"<v>60.") + 20 + len(b"</v>")  # the longest value the pattern takes, from "<v>"


def _serial_60_cells(piece: bytes) -> Iterator[tuple[int, int]]:
    for match in _serial_60_matches(piece):
        attrs = match.group(1)
        ref = _ATTR_REF.search(attrs)
        if ref and int(ref.group(2)) > 0 and (b" t=" not in attrs or b't="n"' in attrs):
            yield (int(ref.group(2)) - 1, column_index(ref.group(1)) - 1)


# --- OOXML helpers -------------------------------------------------------------------------------

def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """``(sheet name, zip member)`` of every worksheet, in workbook order.

    Follows ``_rels/.rels`` → workbook part → its rels. Returns ``[]`` when the structure
    cannot be followed (the parser will then say what is wrong). The caller has made sure
    that these parts carry no DOCTYPE; defusedxml refuses one anyway.
    """
    from defusedxml import ElementTree

    names = set(zf.namelist())

    def read_xml(member: str):
        info = zf.getinfo(member)
        if info.file_size > _META_LIMIT:
            raise ValueError(member)
        return ElementTree.fromstring(zf.read(member))

    def rels_of(part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in names:
            return {}
        out = {}
        for rel in read_xml(rels):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            out[rel.get("Id", "")] = (rel.get("Type", ""), path)
        return out

    try:
        book = next((path for typ, path in rels_of("").values() if typ.endswith("/officeDocument")),
                    "xl/workbook.xml")
        if book not in names:
            return []
        rels = rels_of(book)
        parts = []
        for element in read_xml(book).iter():
            if not element.tag.endswith("}sheet"):
                continue
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), "")
            typ, path = rels.get(rid, ("", ""))
            if typ.endswith("/worksheet") and path in names:
                parts.append((element.get("name", ""), path))
        return parts
    except (ValueError, KeyError, SyntaxError, zipfile.BadZipFile):
        return []


def scan_xml(zf: zipfile.ZipFile, member: str, *, limit: int | None = None,
             boundary: bytes = b"<c ") -> Iterator[bytes]:
    """Inflate ``member`` step by step and yield pieces that never cut an element starting with
    ``boundary`` in two (the unfinished rest is carried into the next piece).

    Stops after ``limit`` inflated bytes (None: no limit). Memory stays at about one chunk.
    """
    carry = b""
    seen = 0
    with zf.open(member) as stream:
        while limit is None or seen < limit:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            seen += len(chunk)
            buf = carry + chunk
            cut = buf.rfind(boundary)
            if cut <= 0:
                cut = len(buf) if len(buf) > _MAX_CARRY else 0
            if cut:
                yield buf[:cut]
            carry = buf[cut:]
    if carry:
        yield carry


def column_index(letters: bytes | str) -> int:
    """1-based column number of ``"A"``, ``"XFD"`` …"""
    number = 0
    for ch in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + (ord(ch) - 64)
    return number


def column_letters(index: int) -> str:
    """The letters of the 0-based column ``index``: 0 → ``"A"``, 16383 → ``"XFD"``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
