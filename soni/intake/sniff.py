"""What a file is, by its bytes: magic numbers, the text encoding, the CSV delimiter.

The one place for each of these guesses: the guard (``soni.intake.guard``) decides the format
and refuses what is no table, the reader (``soni.intake.isolate``) guesses the kind to start its
child early, the CSV reader (``soni.intake.text``) decodes and splits with the same answers.
No imports at all: the reader child imports this module too and must start fast.
"""

from __future__ import annotations

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE2 compound file: .xls, .doc, encrypted OOXML …
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")  # xlsx, xlsm, xlsb, ods …

#: A name for the encoding in the report, by the codec that decoded the text.
ENCODING_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16",
                  "utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1"}
DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "Semikolon", ",": "Komma", "\t": "Tabulator", "|": "senkrechter Strich"}


def container(data: bytes) -> str | None:
    """"zip" or "ole" by the first bytes, else None (text or something else)."""
    if data[:4] in ZIP_MAGIC:
        return "zip"
    if data[:8] == OLE_MAGIC:
        return "ole"
    return None


def encoding_candidates(data: bytes) -> list[str]:
    """Codecs to try, best first: a BOM decides; else UTF-16 without BOM when the start has the
    byte pattern of UTF-16 text; else strict UTF-8, then cp1252 (a German office's Windows export)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return ["utf-8-sig"]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ["utf-16"]
    sample = data[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if _utf16_high_bytes(high=odd, low=even):
            return ["utf-16-le"]
        if _utf16_high_bytes(high=even, low=odd):
            return ["utf-16-be"]
    return ["utf-8", "cp1252"]


def _utf16_high_bytes(high: bytes, low: bytes) -> bool:
    """UTF-16 without BOM: the high bytes of Latin text are NUL (ASCII, umlauts, tabs, line breaks:
    at least a fifth of the characters, since separators and header words are Latin even where the
    cells are full of dashes, quotes and euro signs), and a low byte is almost never NUL
    (stray NUL bytes in a UTF-8 file, or binary data, break the second condition)."""
    return high.count(0) > 0.2 * len(high) and low.count(0) < 0.02 * len(low)


def text_encoding(data: bytes) -> str | None:
    """The first codec of ``encoding_candidates`` that decodes ``data`` without error, or None."""
    for encoding in encoding_candidates(data):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding's name for the report. UTF-8 is strict, so cp1252 text (umlauts as
    single bytes) is never garbled; when no candidate decodes, cp1252's five undefined bytes fall
    back to Latin-1 and a broken UTF-8/UTF-16 text gets replacement characters."""
    encoding = encoding or text_encoding(data)
    if encoding is not None:
        return data.decode(encoding), ENCODING_NAMES[encoding]
    first = encoding_candidates(data)[0]
    if first == "utf-8":
        return data.decode("latin-1"), ENCODING_NAMES["latin-1"]
    return data.decode(first, errors="replace"), ENCODING_NAMES[first]


def logical_lines(text: str) -> list[str]:
    """Lines of CSV text, joining lines inside quoted fields."""
    lines, buf, in_quotes = [], [], False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        buf.append(raw)
        in_quotes ^= raw.count('"') % 2 == 1
        if not in_quotes:
            lines.append("\n".join(buf))
            buf = []
    if buf:
        lines.append("\n".join(buf))
    return lines


def count_outside_quotes(line: str, delim: str) -> int:
    return sum(part.count(delim) for part in line.split('"')[::2])


def find_delimiter(text: str) -> str | None:
    """The delimiter of CSV text: the candidate that splits the first lines most consistently
    (quoted fields ignored, so commas inside quoted text do not win against semicolons between
    fields); None when no candidate splits any line."""
    sample_lines = [line for line in logical_lines(text[:200_000])[:50] if line.strip()]
    best, best_score = None, -1.0
    for delim in DELIMITERS:
        counts = [count_outside_quotes(line, delim) for line in sample_lines]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        consistency = counts.count(mode) / len(counts)
        score = consistency * 10 + min(mode, 50) / 50
        if mode > 0 and score > best_score:
            best, best_score = delim, score
    return best


def sniff_delimiter(text: str) -> str:
    """``find_delimiter``, a semicolon when nothing splits (one column)."""
    return find_delimiter(text) or ";"


def looks_delimited(text: str) -> bool:
    """Text that is a table: its delimiter splits the first two lines into the same number (> 1) of fields."""
    lines = [line for line in logical_lines(text[:100_000])[:20] if line.strip()][:2]
    delim = find_delimiter(text[:100_000])
    return (len(lines) == 2 and delim is not None
            and count_outside_quotes(lines[0], delim) == count_outside_quotes(lines[1], delim) > 0)
