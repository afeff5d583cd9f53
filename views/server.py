"""Web-server settings that Streamlit has no option for (``app.py`` applies them at import),
and memory given back to the system after sessions end or data are replaced.

Uploads in memory: Streamlit 1.67 serves the app with Starlette, whose multipart parser keeps an
uploaded file in memory only up to 1 MB (``MultiPartParser.spool_max_size``) and writes the rest
to an unnamed temporary file in the temp folder. Raising that threshold above Streamlit's own cap
on an upload request (``server.maxUploadSize`` plus 1 MB of multipart framing, enforced while the
body streams in) keeps every accepted upload in memory, so no upload byte is written to disk.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import time

from soni.intake import guard

#: Streamlit's cap on an upload request: maxUploadSize (= guard.MAX_FILE_MB) in binary megabytes, as
#: its server counts them, plus its framing margin (starlette_routes).
UPLOAD_BODY_CAP = guard.MAX_FILE_MB * 1024 * 1024 + 1024 * 1024


def keep_uploads_in_memory() -> None:
    """Let Starlette's multipart parser hold a whole upload in memory (never spool it to disk)."""
    from starlette.formparsers import MultiPartParser

    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, UPLOAD_BODY_CAP + 1)


# --- memory given back -------------------------------------------------------------------------
#: Seconds between two returns of freed memory to the system (sessions end without a hook).
TRIM_INTERVAL = 60.0
_trimmer: threading.Thread | None = None


def release_memory() -> bool:
    """Collect garbage and hand freed heap memory back to the system (glibc ``malloc_trim``).

    pandas frames of a replaced upload or an ended session are freed by Python, but glibc keeps
    the pages in its arenas, so the server's resident size never shrank (issue #16: 462 MB →
    2,460 MB after three 50 MB uploads, and it stayed there). Returns False where there is no glibc.
    """
    gc.collect()
    import pyarrow as pa

    pa.default_memory_pool().release_unused()  # Arrow's own allocator (mimalloc) keeps freed pages too
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    libc.malloc_trim(0)
    return True


def _trim_forever() -> None:
    while True:
        time.sleep(TRIM_INTERVAL)
        release_memory()


def start_trimmer() -> None:
    """Once per process: return freed memory every TRIM_INTERVAL seconds (after sessions end)."""
    global _trimmer
    if _trimmer is None:
        _trimmer = threading.Thread(target=_trim_forever, name="soni-trim", daemon=True)
        _trimmer.start()
