"""Child-process side of ``soni.isolate``: parse one workbook under limits, send the rows back.

Started by ``soni.isolate.load_sheets_isolated`` as a fresh interpreter; reads the file from
stdin, writes one pickle to stdout. Must stay free of pandas (and of ``soni.report``, which
imports it) so that the child starts fast: it imports only ``soni.workbook`` and the parsers.

Also home of two small pandas-free OOXML helpers shared with ``soni.guard``: ``sheet_parts``
(which zip member holds which sheet) and ``scan_xml`` (stream a zip member in chunks that never
cut a cell element in two).

Protocol: argv = [kind, memory_mb]; stdin = the file's bytes; stdout = pickle of
``("ok", {sheet: rows})`` or ``("error", code, detail)`` with ``code`` in ``ERROR_CODES``.
"""

from __future__ import annotations

import gc
import io
import pickle
import posixpath
import re
import sys
import zipfile
from collections.abc import Iterator
from typing import Any

ERROR_CODES = ("password", "zip", "xml", "entities", "memory", "panic", "format", "other")

_CHUNK = 1 << 20  # bytes inflated per step when scanning a zip member
_MAX_CARRY = 1 << 20  # an unfinished element longer than this is dropped from the scan
_META_LIMIT = 16 << 20  # workbook.xml / rels larger than this are not parsed here

# Excel writes error results as <c r="C2" t="e"><f>…</f><v>#DIV/0!</v></c>; calamine 0.9 turns
# them into "" — we put the literal code back so the validator can report it by row and column.
_ERROR_CELL = re.compile(rb'<c\b[^>]*\bt="e"[^>]*>')
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<v>([^<]{1,32})</v>")


def main(argv: list[str] | None = None) -> None:
    """Entry point in the child: limits, parse, pickle to stdout."""
    args = sys.argv[1:] if argv is None else argv
    kind, memory_mb = args[0], int(args[1])
    _set_limits(memory_mb)
    gc.disable()  # a short-lived process building many lists: collection would only cost time
    data = sys.stdin.buffer.read()
    try:
        result: tuple = ("ok", parse(data, kind))
    except MemoryError:
        result = ("error", "memory", "MemoryError")
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        result = ("error", classify(exc), _detail(exc))
    try:
        out = _dumps(result)
    except MemoryError:
        result = None  # free the rows before pickling the short answer
        out = pickle.dumps(("error", "memory", "MemoryError while sending"))
    sys.stdout.buffer.write(out)
    sys.stdout.buffer.flush()


def _dumps(result: tuple) -> bytes:
    """Pickle without the memo (``fast``): the rows hold no cycles, and it is ~40 % quicker."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(result)
    return buffer.getvalue()


def parse(data: bytes, kind: str) -> dict[str, list[list[Any]]]:
    """``soni.workbook.load_sheets`` plus the literal Excel error codes (xlsx/xlsm)."""
    from soni.workbook import load_sheets

    sheets = load_sheets(data, kind)
    if kind in ("xlsx", "xlsm"):
        restore_error_cells(data, sheets)
    return sheets


def _set_limits(memory_mb: int) -> None:
    import resource

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


# --- OOXML helpers (pandas-free, shared with soni.guard) ------------------------------------

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


def restore_error_cells(data: bytes, sheets: dict[str, list[list[Any]]]) -> int:
    """Write Excel's error codes (``#DIV/0!``, ``#N/A`` …) into the cells calamine left empty.

    Returns how many cells were restored. Does nothing when the structure cannot be followed.
    """
    restored = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for name, member in sheet_parts(zf):
                rows = sheets.get(name)
                if rows is None:
                    continue
                for piece in scan_xml(zf, member):
                    if b't="e"' not in piece:
                        continue
                    for match in _ERROR_CELL.finditer(piece):
                        ref = _REF.search(match.group(0))
                        end = piece.find(b"</c>", match.end())
                        value = _VALUE.search(piece, match.end(), end) if end > 0 else None
                        if not ref or not value:
                            continue
                        row, col = int(ref.group(2)) - 1, column_index(ref.group(1)) - 1
                        if row < len(rows) and col < len(rows[row]) and rows[row][col] in ("", None):
                            rows[row][col] = value.group(1).decode("utf-8", "replace")
                            restored += 1
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return restored
    return restored


if __name__ == "__main__":
    main()
