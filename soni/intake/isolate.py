"""Parse a workbook in a separate process with a memory limit and a timeout.

python-calamine aborts the whole process on some crafted files (a Rust allocation failure or
panic that ``except Exception`` cannot catch). Parsing therefore runs in a fresh interpreter
(``soni.intake._child``) started with ``subprocess`` — no fork of the threaded Streamlit server — with
an address-space limit (RLIMIT_AS) set in the child and a wall-clock timeout. Whatever happens
there becomes an ``InputError`` with a German message here; the server process survives.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from soni.intake import sniff
from soni.intake.messages import CELL_LIMIT, CORRUPT, OLE_NOT_A_TABLE, PASSWORD, RESAVE, not_a_table
from soni.intake.sheetscan import Scan, scan_quietly
from soni.intake.workbook import Rows

if TYPE_CHECKING:  # soni.report imports pandas: only where an error is raised (``prefetch`` runs first)
    import numpy as np

    from soni.report import InputError

ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the ``soni`` package
MAX_PARALLEL = 2  # children at the same time (each may use up to ``memory_mb``); others wait
DETAIL_CHARS = 160  # how much of the parser's own (English) error text is shown in parentheses

_SLOTS = threading.BoundedSemaphore(MAX_PARALLEL)
# -I: isolated mode (no PYTHON* variables, no user site, no current folder on sys.path);
# the repository root is put on sys.path explicitly so that exactly this ``soni`` is imported.
_BOOT = "import sys; sys.path.insert(0, {root!r}); from soni.intake._child import main; main()"

MESSAGES = {
    "memory": ("Die Datei konnte nicht gelesen werden: das Lesen brauchte zu viel Speicher (mehr als "
               "{memory_mb} MB). Vermutlich enthält sie Werte in sehr weit entfernten Zellen oder ist "
               "beschädigt. Bitte in Excel mit Strg+Ende die letzte benutzte Zelle prüfen, überflüssige "
               "Zeilen und Spalten löschen und neu speichern."),
    "timeout": ("Die Datei konnte nicht gelesen werden: das Lesen dauerte zu lange (mehr als {timeout} "
                "Sekunden). Bitte nur die benötigten Blätter und Zeilen hochladen."),
    "crash": "Die Datei konnte nicht gelesen werden: das Lesen brach unerwartet ab{detail}. " + RESAVE,
    "panic": "Die Datei konnte nicht gelesen werden: das Lesen brach unerwartet ab{detail}. " + RESAVE,
    "password": PASSWORD,
    "zip": "Die Datei ist beschädigt oder unvollständig (fehlerhaftes ZIP-Archiv{detail}). " + RESAVE,
    "xml": "Die Datei ist beschädigt: ein Teil der Arbeitsmappe ist kein gültiges XML{detail}. " + RESAVE,
    "entities": ("Die Datei enthält XML-Deklarationen (DOCTYPE/ENTITY), die in Tabellen nicht vorkommen; "
                 "sie wird aus Sicherheitsgründen nicht gelesen."),
    "cells": CELL_LIMIT,
    "format": "Die Datei hat kein lesbares Tabellenformat{detail}. " + RESAVE,
    "corrupt": CORRUPT,
    "other": "Die Datei konnte nicht gelesen werden{detail}. " + RESAVE,
    "busy": ("Der Server liest gerade viele Dateien gleichzeitig. Bitte in einer Minute erneut "
             "versuchen."),
}

_ALLOWED_CLASSES = {("datetime", name) for name in ("datetime", "date", "time", "timedelta", "timezone")}


class _RowsUnpickler(pickle.Unpickler):
    """Accepts plain values only: the child parsed untrusted input, so trust its answer no further."""

    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} not allowed")


KINDS = ("xlsx", "xlsm", "xls", "xlsb", "ods")
TIMEOUT_S = 60
MEMORY_MB = 2048


class Columns:
    """One sheet as the reader child sends it: per column the distinct values and a code per row.

    ``column(j)`` gives a column as an object array (the same Python values a row list would
    hold), ``rows()`` the plain rows (``soni.intake.workbook.Rows``), ``values(j)``/``codes(j)`` the
    encoding itself, which lets callers look at each distinct value once.
    """

    def __init__(self, n_rows: int, lengths: bytes | None, columns: list[tuple[list, str, bytes]]) -> None:
        import numpy as np

        self.n_rows = n_rows
        #: cells filled from merged ranges, per column (0-based) — ``soni.intake._child.fill_merged``
        self.merged: dict[int, int] = {}
        self._lengths = np.frombuffer(lengths, dtype=np.uint32) if lengths is not None else None
        self._values: list[np.ndarray] = []
        self._codes: list[np.ndarray] = []
        for values, typecode, codes in columns:
            distinct = np.empty(len(values), dtype=object)
            distinct[:] = values
            self._values.append(distinct)
            self._codes.append(np.frombuffer(codes, dtype={"B": np.uint8, "H": np.uint16, "I": np.uint32}[typecode]))

    def __len__(self) -> int:
        return self.n_rows

    @property
    def width(self) -> int:
        return len(self._values)

    def values(self, j: int) -> np.ndarray:
        """The distinct values of column ``j`` (object array)."""
        return self._values[j]

    def codes(self, j: int) -> np.ndarray:
        """Per row, the index into ``values(j)``."""
        return self._codes[j]

    def column(self, j: int, start: int = 0) -> np.ndarray:
        """Column ``j`` from row ``start`` on as an object array (short rows padded with None)."""
        return self._values[j][self._codes[j][start:]]

    def fill_empty(self, cells: list[tuple[int, int, str]]) -> int:
        """Put ``text`` into each empty ("" or None) cell ``(row, column, text)`` (0-based) that the
        sheet has; returns how many were filled. Used for Excel's error codes."""
        import numpy as np

        by_column: dict[int, list[tuple[int, str]]] = {}
        for row, j, text in cells:
            if 0 <= j < self.width and 0 <= row < self.n_rows:
                by_column.setdefault(j, []).append((row, text))
        filled = 0
        for j, wanted in by_column.items():
            values, codes = self._values[j], self._codes[j]
            index = {v: i for i, v in enumerate(values.tolist()) if type(v) is str}
            added: list[str] = []
            changes: list[tuple[int, int]] = []
            for row, text in wanted:
                short = self._lengths is not None and j >= self._lengths[row]
                if short or values[codes[row]] not in ("", None):
                    continue
                if text not in index:
                    index[text] = len(values) + len(added)
                    added.append(text)
                changes.append((row, index[text]))
            if not changes:
                continue
            if added:
                self._values[j] = np.concatenate([values, np.array(added, dtype=object)])
            codes = codes.astype(np.uint32)  # a writable copy, wide enough for the added values
            for row, code in changes:
                codes[row] = code
            self._codes[j] = codes
            filled += len(changes)
        return filled

    def head(self, n: int) -> Rows:
        """The first ``n`` rows as lists."""
        return self.rows(stop=n)

    def rows(self, stop: int | None = None) -> Rows:
        """The rows as lists, exactly as ``soni.intake.workbook.load_sheets`` returns them."""
        stop = self.n_rows if stop is None else min(stop, self.n_rows)
        if not self._values:
            return [[] for _ in range(stop)]
        out = [list(row) for row in zip(*(self._values[j][self._codes[j][:stop]].tolist()
                                          for j in range(self.width)), strict=True)]
        if self._lengths is not None:
            out = [row[:length] for row, length in zip(out, self._lengths[:stop].tolist(), strict=True)]
        return out


def load_sheets_isolated(data: bytes, kind: str, *, timeout_s: float = TIMEOUT_S, memory_mb: int = MEMORY_MB,
                         file: str = "") -> dict[str, Rows]:
    """``soni.intake.workbook.load_sheets`` run in a child process (``kind``: xlsx, xlsm, xls, xlsb, ods).

    Error cells arrive as their literal text: the code Excel stores (``#DIV/0!``, ``#N/A`` …) for
    xlsx, xlsm and xls, the text LibreOffice shows (``#DIV/0!``, ``#NV``, ``#WERT!`` …) for ods;
    xlsb error cells stay empty (calamine gives ""). Raises
    ``InputError`` (German, with ``file``) when the child runs out of memory or time, crashes,
    or the parser refuses the file. CSV is not handled here (it is read in-process).
    """
    book = load_workbook_isolated(data, kind, timeout_s=timeout_s, memory_mb=memory_mb, file=file)
    if book.scan is not None:  # a sheet beyond the limits: refused with the cell named
        from soni.intake.guard import check_scan

        check_scan(book.scan, file)
    if kind in ("xlsx", "xlsm"):
        found = scan_quietly(data, extent=False, errors=True)
        if found is not None:
            put_error_cells(book.sheets, found.errors)
    return {name: columns.rows() for name, columns in book.sheets.items()}


def put_error_cells(sheets: dict[str, Columns], errors: dict[str, list[tuple[int, int, str]]]) -> int:
    """Excel's error codes found by ``soni.intake.sheetscan`` into the cells calamine left empty; how many."""
    return sum(sheets[name].fill_empty(cells) for name, cells in errors.items() if name in sheets)


#: A parsed sheet: plain rows (CSV, tests) or the reader child's column encoding.
Sheet = Rows | Columns


class Workbook(NamedTuple):
    """The child's answer: each sheet as ``Columns``; ``scan`` is None, or (xlsx/xlsm) the precise
    extent of a sheet beyond the limits (``scan.violation()``), and then ``sheets`` is empty, or
    (xls) the cells holding Excel's serial 60 (``scan.serial_60``) where a 28.02.1900 was read.

    Error cells of an xlsx/xlsm are not in ``sheets``: the caller scans for them (it has the time
    while the child parses) and puts them in with ``put_error_cells``.
    """

    sheets: dict[str, Columns]
    scan: Scan | None


def load_workbook_isolated(data: bytes, kind: str, *, timeout_s: float = TIMEOUT_S, memory_mb: int = MEMORY_MB,
                           file: str = "") -> Workbook:
    """Like ``load_sheets_isolated``, each sheet as ``Columns`` (no list per row: faster for large
    sheets); see ``Workbook``.

    Uses the child ``prefetch`` started for the same ``data`` object if there is one.
    """
    if kind not in KINDS:
        raise ValueError(f"load_workbook_isolated: unsupported kind {kind!r}")
    pending = _take_prefetch(data, kind, timeout_s, memory_mb)
    if pending is not None:
        completed = pending.result()
    else:
        if not _SLOTS.acquire(timeout=timeout_s):
            raise _error("busy", file=file)
        try:
            with _stdin_file(data) as stdin:
                completed = subprocess.run(_command(kind, memory_mb), capture_output=True, timeout=timeout_s,
                                           cwd=str(ROOT), env=_child_env(), check=False,
                                           **({"stdin": stdin} if stdin is not None else {"input": data}))
        except subprocess.TimeoutExpired:
            completed = None
        finally:
            _SLOTS.release()
    if completed is None:
        raise _error("timeout", file=file, timeout=f"{timeout_s:g}")
    return _answer(completed, memory_mb=memory_mb, file=file)


def _command(kind: str, memory_mb: int) -> list[str]:
    return [sys.executable, "-I", "-c", _BOOT.format(root=str(ROOT)), kind, str(int(memory_mb))]


# --- prefetch: start the child before the caller has checked the file ---------------------------

_SAME_KIND = {"xlsx": "xlsx", "xlsm": "xlsx", "xls": "xls"}  # the child treats xlsx and xlsm alike


def guess_kind(data: bytes) -> str | None:
    """The child's kind for ``data`` by its first bytes (zip → xlsx, OLE2 → xls), or None.

    Only a guess for ``prefetch``: ``soni.intake.guard`` decides the format; a prefetch whose guess the
    guard does not confirm (ods, xlsb, encrypted files) is thrown away.
    """
    return {"zip": "xlsx", "ole": "xls"}.get(sniff.container(data) or "")


class _Pending:
    """A child started by ``prefetch``; ``result()`` waits for it (None after a timeout)."""

    def __init__(self, data: bytes, kind: str, timeout_s: float, memory_mb: int) -> None:
        self.data, self.kind, self.timeout_s, self.memory_mb = data, kind, timeout_s, memory_mb
        self._completed: subprocess.CompletedProcess | None = None
        with _stdin_file(data) as stdin:
            self._piped = stdin is None
            self._process = subprocess.Popen(_command(kind, memory_mb), stdin=subprocess.PIPE if self._piped else stdin,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT),
                                             env=_child_env())
        self._thread = threading.Thread(target=self._run, name="soni-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            out, err = self._process.communicate(self.data if self._piped else None, timeout=self.timeout_s)
            self._completed = subprocess.CompletedProcess(self._process.args, self._process.returncode, out, err)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
        except (OSError, ValueError):  # cancelled while writing or reading
            self._process.kill()
            self._process.wait()
        finally:
            _SLOTS.release()

    def result(self) -> subprocess.CompletedProcess | None:
        self._thread.join()
        return self._completed

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._thread.join()


_PREFETCHED: dict[int, _Pending] = {}
_PREFETCH_LOCK = threading.Lock()


def prefetch(data: bytes, kind: str | None = None, *, timeout_s: float = TIMEOUT_S,
             memory_mb: int = MEMORY_MB) -> bool:
    """Start parsing ``data`` in the child now (same limits), so that the parse overlaps with
    other work (the pre-check in ``soni.intake.guard``, importing pandas). True if a child was started.

    The next ``load_sheets_isolated``/``load_workbook_isolated`` for the same ``data`` object and
    kind takes its answer; ``discard`` stops it when the file is refused. Starts nothing when
    the format is not a workbook by its first bytes or all child slots are busy.
    """
    kind = kind or guess_kind(data)
    with _PREFETCH_LOCK:
        running = _PREFETCHED.get(id(data))
        if running is not None and running.data is data and running.kind == kind:
            return True  # already started (the command line starts it before the pipeline does)
    if kind not in KINDS or not _SLOTS.acquire(blocking=False):
        return False
    try:
        pending = _Pending(data, kind, timeout_s, memory_mb)
    except OSError:
        _SLOTS.release()
        return False
    with _PREFETCH_LOCK:
        old = _PREFETCHED.pop(id(data), None)
        _PREFETCHED[id(data)] = pending
    if old is not None:
        old.cancel()
    return True


def discard(data: bytes) -> None:
    """Stop and forget the prefetched child for ``data`` (if any)."""
    with _PREFETCH_LOCK:
        pending = _PREFETCHED.pop(id(data), None)
    if pending is not None and pending.data is data:
        pending.cancel()


def _take_prefetch(data: bytes, kind: str, timeout_s: float, memory_mb: int) -> _Pending | None:
    with _PREFETCH_LOCK:
        pending = _PREFETCHED.get(id(data))
        if pending is None or pending.data is not data:
            return None
        del _PREFETCHED[id(data)]
    if (_SAME_KIND.get(pending.kind, pending.kind) == _SAME_KIND.get(kind, kind)
            and pending.timeout_s == timeout_s and pending.memory_mb == memory_mb):
        return pending
    pending.cancel()
    return None


@contextlib.contextmanager
def _stdin_file(data: bytes) -> Iterator[int | None]:
    """``data`` in an anonymous in-memory file (Linux ``memfd``, never on disk) for the child's stdin.

    The child then reads the whole file at once, and no thread here has to feed a pipe in 64 KB
    steps, each waiting for the GIL while this process works (measured: up to 0.1 s at 5.6 MB while
    pandas was being imported). Yields None where there is no memfd: the bytes then go through a
    pipe. The descriptor is closed when the block ends (the child keeps its own copy).
    """
    fd = None
    if hasattr(os, "memfd_create"):
        try:
            fd = os.memfd_create("soni-eingabe", os.MFD_CLOEXEC)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.lseek(fd, 0, os.SEEK_SET)
        except OSError:
            if fd is not None:
                os.close(fd)
            fd = None
    try:
        yield fd
    finally:
        if fd is not None:
            os.close(fd)


def _child_env() -> dict[str, str]:
    """A small environment: nothing of the server's (secrets, proxies) is handed to the child."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "RUST_BACKTRACE": "0"}
    if "SYSTEMROOT" in os.environ:  # Windows needs it to start Python
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


def _answer(completed: subprocess.CompletedProcess, *, memory_mb: int, file: str) -> Workbook:
    stderr = completed.stderr or b""
    if completed.returncode != 0:
        out_of_memory = (b"memory allocation of" in stderr or b"MemoryError" in stderr
                         or b"Cannot allocate memory" in stderr
                         or completed.returncode == -getattr(signal, "SIGKILL", 9))
        if out_of_memory:
            raise _error("memory", file=file, memory_mb=memory_mb)
        raise _error("crash", file=file, detail=_signal_text(completed.returncode))
    try:
        answer = _RowsUnpickler(io.BytesIO(completed.stdout)).load()
    except Exception:
        raise _error("crash", file=file, detail="ungültige Antwort des Leseprozesses") from None
    if isinstance(answer, tuple) and len(answer) == 4 and answer[0] == "ok" and isinstance(answer[1], dict):
        try:
            sheets = {str(name): _columns(encoded) for name, encoded in answer[1].items()}
            scan = Scan.from_wire(answer[2]) if answer[2] is not None else None
            for name, filled in dict(answer[3]).items():
                sheets[str(name)].merged = {int(j): int(n) for j, n in filled}
        except (TypeError, ValueError, KeyError):
            raise _error("crash", file=file, detail="ungültige Antwort des Leseprozesses") from None
        return Workbook(sheets, scan)
    if isinstance(answer, tuple) and len(answer) == 3 and answer[0] == "error":
        code, detail = str(answer[1]), str(answer[2])
        if code == "memory":
            raise _error("memory", file=file, memory_mb=memory_mb)
        if code == "not_a_table":  # an OLE2 file that is no .xls: the child names what it is by a key
            from soni.report import InputError

            what = OLE_NOT_A_TABLE.get(detail, OLE_NOT_A_TABLE["ole"])
            raise InputError(not_a_table(what, file), file=file)
        raise _error(code if code in MESSAGES else "other", file=file, detail=detail)
    raise _error("crash", file=file, detail="ungültige Antwort des Leseprozesses")


def _columns(encoded: Any) -> Columns:
    """Check the shape of one encoded sheet (``soni.intake._child.encode_sheet``) and decode it."""
    kind, n_rows, lengths, columns = encoded
    if kind != "columns" or not isinstance(n_rows, int) or n_rows < 0 or not isinstance(columns, list):
        raise ValueError("sheet")
    if lengths is not None and (not isinstance(lengths, bytes) or len(lengths) != 4 * n_rows):
        raise ValueError("lengths")
    sheet = Columns(n_rows, lengths, columns)
    for j in range(sheet.width):
        codes = sheet.codes(j)
        if len(codes) != n_rows or (n_rows and int(codes.max()) >= len(sheet.values(j))):
            raise ValueError("codes")
    return sheet


def _signal_text(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"Signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"Signal {-returncode}"
    return f"Exit-Code {returncode}"


def _error(code: str, *, file: str, detail: str = "", **values: object) -> InputError:
    from soni.report import InputError

    detail = " ".join(detail.split())
    if len(detail) > DETAIL_CHARS:
        detail = detail[:DETAIL_CHARS - 1] + "…"
    text = MESSAGES[code].format(detail=f"; technisch: {detail}" if detail else "", **values)
    return InputError(text, file=file)

