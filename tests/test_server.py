"""views/server.py: an upload up to the limit is parsed in memory; no byte reaches a temporary file."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from soni.intake import guard
from views import middleware, server
from views.keys import Keys

ROOT = Path(__file__).resolve().parent.parent


def _parse(body: bytes, boundary: str) -> bytes:
    """The file of a multipart body, parsed the way Streamlit's upload endpoint does (Request.form)."""
    chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)]

    async def receive():
        return {"type": "http.request", "body": chunks.pop(0) if chunks else b"", "more_body": bool(chunks)}

    async def run() -> bytes:
        scope = {"type": "http", "method": "PUT", "path": "/", "query_string": b"",
                 "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())]}
        form = await Request(scope, receive).form(max_part_size=1024 * 1024)
        upload = next(v for v in form.values() if isinstance(v, UploadFile))
        assert not upload.file._rolled  # still in memory
        data = await upload.read()
        upload.file.close()
        return data

    return asyncio.run(run())


def test_an_upload_of_the_full_limit_never_touches_a_temporary_file(monkeypatch, tmp_path):
    """Issue #16: Starlette spooled every upload over 1 MB to the temp folder."""
    marker = uuid.uuid4().hex.encode()
    content = marker + b"x" * (guard.MAX_FILE_BYTES - 2 * len(marker)) + marker
    boundary = "soniboundary" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"liste.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    assert len(body) <= server.UPLOAD_BODY_CAP  # what Streamlit lets through at most
    opened: list[object] = []
    real = tempfile.TemporaryFile

    def watched(*args, **kwargs):  # every rollover of a SpooledTemporaryFile goes through here
        opened.append(args)
        return real(*args, dir=tmp_path, **{k: v for k, v in kwargs.items() if k != "dir"})

    monkeypatch.setattr(tempfile, "TemporaryFile", watched)
    monkeypatch.setattr(MultiPartParser, "spool_max_size", 1024 * 1024)
    server.keep_uploads_in_memory()
    assert _parse(body, boundary) == content
    assert opened == [] and list(tmp_path.iterdir()) == []
    # positive control: Starlette's own threshold does write to a temporary file
    monkeypatch.setattr(MultiPartParser, "spool_max_size", 1024 * 1024)
    with contextlib.suppress(AssertionError):  # the file was rolled over to disk
        _parse(body, boundary)
    assert opened, "without the setting the upload goes to a temporary file"


def test_the_app_applies_it_when_the_server_imports_it():
    from streamlit.web.server.starlette import starlette_routes

    streamlit_cap = guard.MAX_FILE_MB * 1024 * 1024 + starlette_routes._MAX_UPLOAD_MULTIPART_OVERHEAD_BYTES
    assert streamlit_cap <= server.UPLOAD_BODY_CAP
    code = ("import app; from starlette.formparsers import MultiPartParser as M; "
            "from views import server; print(M.spool_max_size > server.UPLOAD_BODY_CAP)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "True"


_TRIM_PROBE = """
import gc
from pathlib import Path

from views import server

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

blocks = [bytes(2000) + i.to_bytes(4, "little") for i in range(40_000)]  # ~80 MB through malloc, not pymalloc
keep = blocks[::200]  # a few survivors pin the heap: it cannot shrink from the top by itself
del blocks
gc.collect()
before = rss_mb()
released = server.release_memory()
print(released, before, rss_mb(), len(keep))
"""


def test_release_memory_gives_freed_heap_back_to_the_system():
    """Issue #16: freed memory stayed in glibc's heap; malloc_trim hands it back (Linux/glibc only).

    Measured in a fresh interpreter: inside the test session the heap already holds the free space of
    a thousand earlier tests, so the probe's blocks would reuse it and the figures say nothing.
    """
    if not Path("/proc/self/status").exists():
        return
    result = subprocess.run([sys.executable, "-c", _TRIM_PROBE], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    released, before, after, kept = result.stdout.split()
    assert released == "True" and kept == "200"
    assert float(before) - float(after) > 40, (before, after)


def test_one_trimmer_per_process(monkeypatch):
    monkeypatch.setattr(server, "_trimmer", None)
    server.start_trimmer()
    first = server._trimmer
    server.start_trimmer()
    assert server._trimmer is first and first.daemon and first.is_alive()


def test_a_session_past_its_reconnect_time_is_shut_down_and_its_uploads_leave():
    """Issue #16, point 6: Streamlit keeps a closed tab's session for reconnecting; when that time is
    over it forgets the session only at the next write to its store, so on a quiet server the uploaded
    files (and the session's data) stayed. Streamlit's own classes, a short reconnect time."""
    import asyncio

    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.memory_session_storage import MemorySessionStorage
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.script_data import ScriptData
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.runtime.session_manager import SessionInfo
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    async def scenario() -> tuple[bool, int, bool, int, int, bool]:
        files = MemoryUploadedFileManager("/_stcore/upload_file")
        manager = WebsocketSessionManager(MemorySessionStorage(ttl_seconds=0.2), files, ScriptCache(), None)
        session = AppSession(ScriptData(str(ROOT / "app.py")), files, ScriptCache(), None, {})
        session_id = session.id
        upload = b"Titel;Stadtteil\r\n" * 100
        files.add_file(session_id, UploadedFileRec("f1", "liste.csv", "text/csv", upload))
        session.session_state[Keys.UPLOADS] = [("liste.csv", upload)]  # what the app keeps
        manager._session_storage.save(SessionInfo(client=None, session=session, script_run_count=0))
        await asyncio.sleep(0.3)  # the reconnect time is over
        gc.collect()
        gone = manager._session_storage.get(session_id) is None
        kept = len(files.get_files(session_id, ["f1"]))  # Streamlit alone: still held
        state_kept = Keys.UPLOADS in session.session_state
        ended = server.end_expired_sessions(manager)
        # ``session`` is still referenced here, as Streamlit's message loop does with the last one it
        # flushed: its state must be empty all the same
        return gone, kept, state_kept, ended, len(files.get_files(session_id, ["f1"])), \
            Keys.UPLOADS in session.session_state

    assert asyncio.run(scenario()) == (True, 1, True, 1, 0, False)
    assert server.end_expired_sessions() == 0  # no server running: nothing to do


def test_every_response_of_the_real_server_carries_the_security_headers():
    """Issue #16: X-Frame-Options / Content-Security-Policy set by the app itself (st.App middleware)."""
    import urllib.request

    from tests.test_browser import streamlit_server

    with streamlit_server() as url:
        for path in ("/", "/_stcore/health", "/hochladen"):
            with urllib.request.urlopen(url + path, timeout=10) as response:
                assert response.headers["X-Frame-Options"] == "SAMEORIGIN", path
                policy = response.headers["Content-Security-Policy"]
                assert "frame-ancestors 'self'" in policy and "script-src 'self' 'sha256-" in policy, path
                assert "unsafe-eval" not in policy and response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_full_garbage_collection_after_each_script_run():
    """Issue #16 part 10: Streamlit's gc.collect(2) after every script run (ScriptRunner._on_script_finished;
    AppTest's runner skips it, so this reads the option as the server does) cost 60-70 ms holding the GIL
    per page view; .streamlit/config.toml turns it off, memory goes back via release_memory."""
    code = ("from streamlit import config as c; c.get_config_options(); "
            "print(c.get_option('runner.postScriptGC'), c.get_where_defined('runner.postScriptGC'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=True)
    value, where = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert (value, where) == ("False", str(ROOT / ".streamlit" / "config.toml"))
    assert server.TRIM_INTERVAL <= 60  # what collects instead


def test_the_chart_bundle_is_served_compressed_once_with_the_security_headers():
    """The charts' plotly.js comes gzip-compressed from memory (not compressed anew per request by Streamlit's
    middleware in the event loop), cacheable for good (its name carries its version), with the security
    headers. (The component's own page is Streamlit's answer, once a page has declared it: tests/test_browser.py.)"""
    import gzip
    import urllib.request

    from tests.test_browser import streamlit_server

    plain = middleware.CHART_BUNDLE.read_bytes()
    with streamlit_server() as url:
        bundle = url + middleware.CHART_BUNDLE_URL_END
        bodies = []
        for _ in range(2):
            request = urllib.request.Request(bundle, headers={"Accept-Encoding": "gzip, deflate"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.headers["Content-Encoding"] == "gzip"
                assert response.headers["Content-Type"].startswith("text/javascript")
                assert "immutable" in response.headers["Cache-Control"]
                assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
                bodies.append(response.read())
        assert bodies[0] == bodies[1] and gzip.decompress(bodies[0]) == plain
        with urllib.request.urlopen(bundle, timeout=30) as response:  # a client without gzip
            assert response.headers.get("Content-Encoding") is None and response.read() == plain


def test_release_memory_forgets_the_cell_texts_the_intake_looked_at():
    """The intake's caches of short cell texts and headers (up to 139,264 users' texts, 32 MB) do not
    outlive the session: release_memory runs when data are replaced or removed and every minute."""
    import numpy as np

    from soni import columns

    columns.no_value_mask(np.array(["Fr. Beispiel", "k.A.", "Ort 12"], dtype=object))
    columns.no_value_mask(np.array(["Fr. Beispiel", "-"], dtype=object), text_column=True)
    columns.header_scores("Zielgruppe")
    cached = (columns._no_value_text, columns._no_value_text_column, columns._header_scores)
    assert all(f.cache_info().currsize for f in cached)
    server.release_memory()
    assert [f.cache_info().currsize for f in cached] == [0, 0, 0]
