"""Parse a workbook in a separate process with a memory limit and a timeout.

python-calamine aborts the whole process on some crafted files (a Rust allocation failure or
panic that ``except Exception`` cannot catch). Parsing therefore runs in a fresh interpreter
(``soni._child``) started with ``subprocess`` — no fork of the threaded Streamlit server — with
an address-space limit (RLIMIT_AS) set in the child and a wall-clock timeout. Whatever happens
there becomes an ``InputError`` with a German message here; the server process survives.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path

from soni.report import InputError
from soni.workbook import Rows

ROOT = Path(__file__).resolve().parent.parent  # the folder that holds the ``soni`` package
MAX_PARALLEL = 2  # children at the same time (each may use up to ``memory_mb``); others wait
DETAIL_CHARS = 160  # how much of the parser's own (English) error text is shown in parentheses

_SLOTS = threading.BoundedSemaphore(MAX_PARALLEL)
# -I: isolated mode (no PYTHON* variables, no user site, no current folder on sys.path);
# the repository root is put on sys.path explicitly so that exactly this ``soni`` is imported.
_BOOT = "import sys; sys.path.insert(0, {root!r}); from soni._child import main; main()"

_RESAVE = "Bitte die Datei in Excel (oder LibreOffice) öffnen, als .xlsx neu speichern und erneut hochladen."
MESSAGES = {
    "memory": ("Die Datei konnte nicht gelesen werden: das Lesen brauchte zu viel Speicher (mehr als "
               "{memory_mb} MB). Vermutlich enthält sie Werte in sehr weit entfernten Zellen oder ist "
               "beschädigt. Bitte in Excel mit Strg+Ende die letzte benutzte Zelle prüfen, überflüssige "
               "Zeilen und Spalten löschen und neu speichern."),
    "timeout": ("Die Datei konnte nicht gelesen werden: das Lesen dauerte zu lange (mehr als {timeout} "
                "Sekunden). Bitte nur die benötigten Blätter und Zeilen hochladen."),
    "crash": "Die Datei konnte nicht gelesen werden: das Lesen brach unerwartet ab{detail}. " + _RESAVE,
    "panic": "Die Datei konnte nicht gelesen werden: das Lesen brach unerwartet ab{detail}. " + _RESAVE,
    "password": ("Die Datei ist mit einem Passwort geschützt. Bitte den Kennwortschutz in Excel entfernen "
                 "(Datei → Informationen → Arbeitsmappe schützen → Mit Kennwort verschlüsseln) und die "
                 "Datei erneut hochladen."),
    "zip": "Die Datei ist beschädigt oder unvollständig (fehlerhaftes ZIP-Archiv{detail}). " + _RESAVE,
    "xml": "Die Datei ist beschädigt: ein Teil der Arbeitsmappe ist kein gültiges XML{detail}. " + _RESAVE,
    "entities": ("Die Datei enthält XML-Deklarationen (DOCTYPE/ENTITY), die in Tabellen nicht vorkommen; "
                 "sie wird aus Sicherheitsgründen nicht gelesen."),
    "format": "Die Datei hat kein lesbares Tabellenformat{detail}. " + _RESAVE,
    "other": "Die Datei konnte nicht gelesen werden{detail}. " + _RESAVE,
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


def load_sheets_isolated(data: bytes, kind: str, *, timeout_s: float = 60, memory_mb: int = 2048,
                         file: str = "") -> dict[str, Rows]:
    """``soni.workbook.load_sheets`` run in a child process (``kind``: xlsx, xlsm, xls, xlsb, ods).

    Error cells arrive as their literal text: the code Excel stores (``#DIV/0!``, ``#N/A`` …) for
    xlsx, xlsm and xls, the text LibreOffice shows (``#DIV/0!``, ``#NV``, ``#WERT!`` …) for ods;
    xlsb error cells stay empty (calamine gives ""). Raises
    ``InputError`` (German, with ``file``) when the child runs out of memory or time, crashes,
    or the parser refuses the file. CSV is not handled here (it is read in-process).
    """
    if kind not in ("xlsx", "xlsm", "xls", "xlsb", "ods"):
        raise ValueError(f"load_sheets_isolated: unsupported kind {kind!r}")
    if not _SLOTS.acquire(timeout=timeout_s):
        raise _error("busy", file=file)
    try:
        completed = subprocess.run(
            [sys.executable, "-I", "-c", _BOOT.format(root=str(ROOT)), kind, str(int(memory_mb))],
            input=data, capture_output=True, timeout=timeout_s, cwd=str(ROOT), env=_child_env(),
            check=False)
    except subprocess.TimeoutExpired:
        raise _error("timeout", file=file, timeout=f"{timeout_s:g}") from None
    finally:
        _SLOTS.release()
    return _answer(completed, memory_mb=memory_mb, file=file)


def _child_env() -> dict[str, str]:
    """A small environment: nothing of the server's (secrets, proxies) is handed to the child."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "RUST_BACKTRACE": "0"}
    if "SYSTEMROOT" in os.environ:  # Windows needs it to start Python
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


def _answer(completed: subprocess.CompletedProcess, *, memory_mb: int, file: str) -> dict[str, Rows]:
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
    if isinstance(answer, tuple) and len(answer) == 2 and answer[0] == "ok" and isinstance(answer[1], dict):
        return answer[1]
    if isinstance(answer, tuple) and len(answer) == 3 and answer[0] == "error":
        code, detail = str(answer[1]), str(answer[2])
        if code == "memory":
            raise _error("memory", file=file, memory_mb=memory_mb)
        raise _error(code if code in MESSAGES else "other", file=file, detail=detail)
    raise _error("crash", file=file, detail="ungültige Antwort des Leseprozesses")


def _signal_text(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"Signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"Signal {-returncode}"
    return f"Exit-Code {returncode}"


def _error(code: str, *, file: str, detail: str = "", **values: object) -> InputError:
    detail = " ".join(detail.split())
    if len(detail) > DETAIL_CHARS:
        detail = detail[:DETAIL_CHARS - 1] + "…"
    text = MESSAGES[code].format(detail=f"; technisch: {detail}" if detail else "", **values)
    return InputError(text, file=file)

