"""Uploads stay in their session: not in another session, not in a shared cache, not in the log.

Two AppTest sessions upload different invented inventories (titles "Ahornweg …" and "Birkenhof …");
every page of each is rendered, and then each session's state, rendered elements, every
``st.cache_data``/``st.cache_resource`` entry and every argument a cached function was called with
are searched for the other session's text (zip members, i.e. xlsx bytes, are searched inside).
Each search is also shown to find what it looks for (positive controls), so it can fail.
"Daten entfernen" must remove the uploaded bytes and everything derived from them. The Streamlit
settings that protect visitors are checked as Streamlit itself reads them. All content is invented.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import subprocess
import sys
import tomllib
import types
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.caching import cache_data_api, cache_resource_api, cache_utils
from streamlit.testing.v1 import AppTest

from soni import pipeline, sample, schema
from soni.export import images
from soni.intake import guard
from tests.test_app_common import APP, TIMEOUT, XLSX_MIME, current_inventory, run, upload, xlsx_bytes
from views import results
from views.keys import Keys

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("upload", "quartier", "vergleich", "pruefen", "export")

# --- invented inventories, one per session ------------------------------------------------------

KINDS = [
    ("Nachbarschaftstreff", "Offener Treff fuer Nachbarinnen und Nachbarn im Quartier"),
    ("Sozialberatung", "Einzelberatung und Begleitung zu Aemtern nach individuellem Bedarf"),
    ("Traegerrunde", "Abstimmung der Angebote mehrerer Traeger im Stadtteil"),
    ("Sozialraumanalyse", "Befragung und Auswertung von Sozialdaten zum Bedarf im Quartier"),
]


@dataclasses.dataclass(frozen=True)
class Upload:
    """One session's invented file and the texts that identify it (ASCII: found in JSON and Arrow alike)."""

    name: str
    data: bytes
    mime: str
    titles: frozenset[str]
    traeger: str

    @property
    def needles(self) -> frozenset[str]:
        return self.titles | {self.name, self.traeger}


def inventory_frame(tag: str, traeger: str, n: int = 8) -> pd.DataFrame:
    rows = []
    for i in range(n):
        kind, text = KINDS[i % len(KINDS)]
        rows.append({"Titel": f"{tag} {kind} {i + 1} (erfunden)", "Beschreibung": text,
                     "Stadtteil": ["Nordstadt", "Suedviertel"][i % 2], "Traeger": traeger,
                     "Beginn": f"0{1 + i % 9}.0{1 + i % 9}.2024", "Stunden": str(10 + i)})
    return pd.DataFrame(rows)


def csv_upload(tag: str, name: str) -> Upload:
    traeger = f"{tag}-Verein (erfunden)"
    frame = inventory_frame(tag, traeger)
    return Upload(name, frame.to_csv(sep=";", index=False).encode("utf-8"), "text/csv",
                  frozenset(frame["Titel"]), traeger)


def xlsx_upload(tag: str, name: str, sheet: str) -> Upload:
    traeger = f"{tag}-Verein (erfunden)"
    frame = inventory_frame(tag, traeger)
    return Upload(name, xlsx_bytes(frame, sheet=sheet), XLSX_MIME, frozenset(frame["Titel"]), traeger)


AHORN = csv_upload("Ahornweg", "ahornweg-liste.csv")
BIRKE = xlsx_upload("Birkenhof", "birkenhof-liste.xlsx", sheet="Birkenblatt")


# --- searching anything for text -------------------------------------------------------------

def found(obj: object, needles: Iterable[str]) -> set[str]:
    """Which ``needles`` occur anywhere in ``obj`` (containers, frames, dataclasses, protobufs, bytes)."""
    wanted = set(needles)
    hits: set[str] = set()
    _walk(obj, wanted, hits, set(), 0)
    return hits


def _walk(obj: object, wanted: set[str], hits: set[str], seen: set[int], depth: int) -> None:
    if obj is None or depth > 40 or id(obj) in seen or hits >= wanted:
        return
    seen.add(id(obj))
    if isinstance(obj, str):
        hits.update(n for n in wanted if n in obj)
    elif isinstance(obj, bytes | bytearray | memoryview):
        _bytes(bytes(obj), wanted, hits)
    elif isinstance(obj, io.BytesIO):
        _bytes(obj.getvalue(), wanted, hits)
    elif isinstance(obj, pd.DataFrame):
        _walk([str(c) for c in obj.columns], wanted, hits, seen, depth + 1)
        _walk(obj.astype(str).to_numpy().ravel().tolist(), wanted, hits, seen, depth + 1)
    elif isinstance(obj, pd.Series | pd.Index | np.ndarray):
        _walk([str(v) for v in np.asarray(obj, dtype=object).ravel()], wanted, hits, seen, depth + 1)
    elif isinstance(obj, Mapping):
        for key, value in list(obj.items()):
            _walk(key, wanted, hits, seen, depth + 1)
            _walk(value, wanted, hits, seen, depth + 1)
    elif isinstance(obj, list | tuple | set | frozenset):
        for item in list(obj):
            _walk(item, wanted, hits, seen, depth + 1)
    elif hasattr(obj, "SerializeToString"):  # protobuf messages (widget states, rendered elements)
        _bytes(obj.SerializeToString(), wanted, hits)
    elif isinstance(obj, int | float | complex | type | types.ModuleType | types.FunctionType
                    | types.MethodType | types.BuiltinFunctionType) or callable(obj):
        return
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            _walk(getattr(obj, f.name, None), wanted, hits, seen, depth + 1)
    elif hasattr(obj, "__dict__"):
        _walk(vars(obj), wanted, hits, seen, depth + 1)
    elif hasattr(obj, "__slots__"):
        for name in obj.__slots__:
            _walk(getattr(obj, name, None), wanted, hits, seen, depth + 1)


def _bytes(data: bytes, wanted: set[str], hits: set[str]) -> None:
    hits.update(n for n in wanted if n.encode() in data or n.encode("utf-16-le") in data)
    if data[:4] == b"PK\x03\x04":  # xlsx, pptx, zip: look inside
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for member in zf.namelist():
                    _bytes(zf.read(member), wanted, hits)
        except (zipfile.BadZipFile, OSError, EOFError):
            pass


def session_state(at: AppTest) -> list[object]:
    """Everything a session holds: its values and widget states (without AppTest's own bookkeeping)."""
    state = at._session_state._state
    parts = [dict(state._old_state), dict(state._new_session_state), dict(state._new_widget_state.states)]
    return [{k: v for k, v in part.items() if not str(k).startswith("$$STREAMLIT_INTERNAL_KEY_TESTING")}
            for part in parts]


def rendered(at: AppTest) -> list[object]:
    """The protobufs of every element of the last run (tables as Arrow, charts as JSON, texts)."""
    def nodes(node) -> Iterator[object]:
        proto = getattr(node, "proto", None)
        if proto is not None:
            yield proto
        for child in getattr(node, "children", {}).values():
            yield from nodes(child)

    return list(nodes(at._tree))


def shared_caches() -> list[object]:
    """The values stored by every st.cache_data function (unpickled) and st.cache_resource function."""
    values: list[object] = []
    for caches in list(cache_data_api._data_caches._function_caches.values()):
        for cache in list(caches.values()):
            for entry in list(getattr(cache.storage, "_mem_cache", {}).values()):
                values.append(bytes(entry))
                values.append(_unpickle(bytes(entry)))
    for caches in list(cache_resource_api._resource_caches._function_caches.values()):
        for cache in list(caches.values()):
            values.append(dict(getattr(cache, "_mem_cache", {})))
    return values


def _unpickle(entry: bytes) -> object:
    import pickle

    return pickle.loads(entry).value  # our own process's cache entry


@pytest.fixture
def cache_calls(monkeypatch) -> list[tuple[str, tuple, dict]]:
    """Every call of any st.cache_data/st.cache_resource function: (name, args, kwargs)."""
    calls: list[tuple[str, tuple, dict]] = []
    real = cache_utils.CachedFunc.__call__

    def spy(self, *args, **kwargs):
        calls.append((self._info.display_name, args, kwargs))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cache_utils.CachedFunc, "__call__", spy)
    return calls


@pytest.fixture
def no_browser(monkeypatch) -> None:
    monkeypatch.setattr(images, "browser_available", lambda: False)
    monkeypatch.setattr(images, "unavailable_reason", lambda: images.NO_BROWSER_MESSAGE)


@pytest.fixture
def log_records() -> Iterator[list[str]]:
    """Every log line the app and Streamlit write (app loggers from DEBUG, the rest from INFO), formatted
    with its traceback as a log handler would write it."""
    lines: list[str] = []
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Collect(level=logging.DEBUG)
    loggers = [logging.getLogger(), logging.getLogger("streamlit"), logging.getLogger("views"),
               logging.getLogger("soni")]
    levels = [lg.level for lg in loggers]
    for lg, level in zip(loggers, (logging.INFO, logging.INFO, logging.DEBUG, logging.DEBUG), strict=True):
        lg.addHandler(handler)
        lg.setLevel(level)
    try:
        yield lines
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)


def new_session() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def sample_titles() -> set[str]:
    inventory = pipeline.run([(sample.SAMPLE_NAME, sample.sample_bytes())])
    return set(inventory.activities[schema.TITEL].astype(str).head(5))


# --- two sessions --------------------------------------------------------------------------------

def test_two_sessions_never_see_each_others_uploads(cache_calls, no_browser, log_records):
    st.cache_data.clear()
    a, b = new_session(), new_session()
    upload(a, (AHORN.name, AHORN.data, AHORN.mime))
    upload(b, (BIRKE.name, BIRKE.data, BIRKE.mime))
    assert not a.error and not b.error, [e.value for e in [*a.error, *b.error]]
    shown = {"a": [], "b": []}
    for page in PAGES:  # interleaved, as two visitors at the same time
        for key, at in (("a", a), ("b", b)):
            run(at, page)
            shown[key].extend(rendered(at))
        if page == "export":
            for at in (a, b):
                at.session_state["w_export_formats"] = ["xlsx", "csv"]
                run(at)
                at.button(key="w_export_build").click()
                run(at)
                shown["a" if at is a else "b"].extend(rendered(at))
    for me, other, key in ((AHORN, BIRKE, "a"), (BIRKE, AHORN, "b")):
        at = a if key == "a" else b
        assert found(session_state(at), me.needles) == me.needles  # the search works …
        assert found(session_state(at), other.needles) == set()  # … and finds nothing of the other
        assert found(shown[key], me.titles) == me.titles
        assert found(shown[key], other.needles) == set()
    # shared caches: only the sample (the search finds its titles), nothing of either upload
    caches = shared_caches()
    assert caches, "the sample is cached"
    titles = sample_titles()
    assert found(caches, titles) == titles
    assert found(caches, AHORN.needles | BIRKE.needles) == set()
    assert cache_calls, "the spy saw the sample's cached call"
    assert found(cache_calls, AHORN.needles | BIRKE.needles) == set(), [c[0] for c in cache_calls]
    # nothing of either file in the log
    assert found(log_records, AHORN.needles | BIRKE.needles) == set()


def test_upload_path_calls_no_cached_function_with_upload_data(cache_calls):
    st.cache_data.clear()
    at = new_session()
    run(at)
    before = len(cache_calls)
    upload(at, (AHORN.name, AHORN.data, AHORN.mime))
    run(at, "quartier")
    names = {name for name, _args, _kwargs in cache_calls[before:]}
    assert all(args == () and kwargs == {} for _name, args, kwargs in cache_calls), names
    assert "_sample_inventory" not in {n.rsplit(".", 1)[-1] for n in names}  # the upload is not the sample


# --- Daten entfernen -------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["upload", "export"])
def test_daten_entfernen_removes_the_bytes_and_everything_derived(where, no_browser):
    """Clicked right after the upload (on the upload page) or after corrections and an export."""
    st.cache_data.clear()
    at = new_session()
    upload(at, (BIRKE.name, BIRKE.data, BIRKE.mime))
    if where == "export":
        run(at, "pruefen")
        row_id = str(current_inventory(at).activities[schema.ZEILEN_ID].iloc[0])
        at.session_state[Keys.CORRECTIONS] = {row_id: ("Sozialstruktur", None)}
        at.session_state[Keys.CORRECTIONS_REV] = 7
        run(at)
        run(at, "export")
        at.session_state["w_export_formats"] = ["xlsx", "csv"]
        run(at)
        at.button(key="w_export_build").click()
        run(at)
        assert Keys.EXPORT_RESULT in at.session_state and Keys.CORRECTED in at.session_state
    needles = BIRKE.needles | {"Birkenblatt"}
    assert found(session_state(at), needles) == needles

    at.button(key="w_clear_data").click()
    run(at)
    for key in (Keys.UPLOADS, Keys.CORRECTED, Keys.EXPORT_RESULT, Keys.UPLOAD_SIGNATURE, Keys.AUTO_SHEETS):
        assert key not in at.session_state, key
    for key in (Keys.DIGESTS, Keys.OPTIONS, Keys.CORRECTIONS):  # re-created empty by init_state
        assert not at.session_state[key], key
    assert list(at.session_state[Keys.CACHE]) in ([], [results.SAMPLE_KEY])
    assert at.sidebar.text[0].value == "Beispieldaten (erfunden)"
    assert found(session_state(at), needles) == set(), {
        k for part in session_state(at) for k, v in part.items() if found([k, v], needles)}
    for page in PAGES:
        run(at, page)
        assert found(session_state(at), needles) == set(), page
        assert found(rendered(at), needles) == set(), page


# --- the log -----------------------------------------------------------------------------------

def test_an_unexpected_error_quoting_a_cell_does_not_reach_the_log(monkeypatch, log_records):
    """pandas and numpy errors quote the offending value ("could not convert string to float: '…'");
    the user sees a German message, and the log must not get the cell's text either."""
    title = sorted(AHORN.titles)[0]

    def failing_run(*_args, **_kwargs):
        raise ValueError(f"could not convert string to float: '{title}'")

    st.cache_data.clear()
    at = new_session()
    run(at)
    monkeypatch.setattr(pipeline, "run", failing_run)
    upload(at, (AHORN.name, AHORN.data, AHORN.mime))
    messages = [e.value for e in at.error]
    assert any("unerwarteter Fehler" in m and "ValueError" in m for m in messages), messages
    assert found(messages, {title}) == set()
    assert any("pipeline failed" in line for line in log_records), log_records  # the failure is logged …
    assert found(log_records, {title}) == set(), [line for line in log_records if title in line]  # … its data not


def test_an_unexpected_export_error_quoting_a_cell_does_not_reach_the_log(monkeypatch, no_browser, log_records):
    from soni.export import package

    title = sorted(AHORN.titles)[0]

    def failing_build(*_args, **_kwargs):
        raise KeyError(title)

    st.cache_data.clear()
    at = new_session()
    upload(at, (AHORN.name, AHORN.data, AHORN.mime))
    monkeypatch.setattr(package, "build_report", failing_build)
    run(at, "export")
    at.session_state["w_export_formats"] = ["xlsx"]
    run(at)
    at.button(key="w_export_build").click()
    run(at)
    messages = [e.value for e in at.error]
    assert any("KeyError" in m for m in messages) and found(messages, {title}) == set(), messages
    assert any("export failed" in line for line in log_records), log_records
    assert found(log_records, {title}) == set(), [line for line in log_records if title in line]


# --- settings ------------------------------------------------------------------------------------

def test_streamlit_settings_protect_visitors():
    """As written in .streamlit/config.toml and as Streamlit itself reads them (a typo would be ignored)."""
    written = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert written["server"]["maxUploadSize"] == guard.MAX_FILE_MB
    assert written["server"]["enableXsrfProtection"] is True
    assert written["browser"]["gatherUsageStats"] is False
    assert written["client"]["showErrorDetails"] in ("none", False)
    keys = ["server.maxUploadSize", "server.enableXsrfProtection", "browser.gatherUsageStats",
            "client.showErrorDetails", "client.toolbarMode", "server.enableStaticServing"]
    code = ("import json; from streamlit import config as c; c.get_config_options(); "
            f"print(json.dumps({{k: [c.get_option(k), c.get_where_defined(k)] for k in {keys!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=True)
    effective = json.loads(result.stdout.strip().splitlines()[-1])
    config_file = str(ROOT / ".streamlit" / "config.toml")
    for key in keys:
        assert effective[key][1] == config_file, (key, effective[key])  # set by our file, not a default
    assert effective["server.maxUploadSize"][0] == guard.MAX_FILE_MB
    assert effective["server.enableXsrfProtection"][0] is True
    assert effective["browser.gatherUsageStats"][0] is False
    assert effective["client.showErrorDetails"][0] in ("none", False)
    assert effective["client.toolbarMode"][0] == "minimal"
    assert effective["server.enableStaticServing"][0] is False


def test_the_uploader_uses_the_configured_cap():
    at = new_session()
    run(at)
    run(at, "upload")
    assert at.file_uploader[0].proto.max_upload_size_mb == guard.MAX_FILE_MB


def test_server_start_does_not_look_up_the_external_ip():
    """Issue #16: with our config Streamlit's start banner does not call net_util.get_external_ip."""
    code = ("from streamlit import config as c, net_util; c.get_config_options()\n"
            "calls = []\n"
            "net_util.get_external_ip = lambda: calls.append(1)\n"
            "net_util.get_internal_ip = lambda: None\n"
            "from streamlit.web import bootstrap\n"
            "bootstrap._print_url(False)\n"
            "print('EXTERNAL', len(calls), c.get_option('server.headless'), c.get_option('browser.serverAddress'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=True)
    assert result.stdout.strip().splitlines()[-1] == "EXTERNAL 0 True localhost"
    # the same start without our setting does look it up (the test can fail)
    result = subprocess.run([sys.executable, "-c", code.replace("c.get_config_options()",
                             "c.get_config_options(); c._set_option('browser.serverAddress', 'localhost', "
                             "'<default>'); c._config_options['browser.serverAddress'].where_defined = '<default>'")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip().splitlines()[-1] == "EXTERNAL 1 True localhost"


def test_the_page_icon_is_a_file_of_the_app():
    """Issue #16: no ":material/…" favicon (Streamlit fetches those from a font CDN)."""
    at = new_session()
    run(at)
    from views import frame

    assert frame.PAGE_ICON.is_file() and frame.PAGE_ICON.read_bytes().startswith(b"\x89PNG")
    source = (ROOT / "views" / "frame.py").read_text(encoding="utf-8")
    assert "page_icon=str(PAGE_ICON)" in source


def test_no_page_script_defines_a_cached_function():
    """Issue #16: a cached function keeps the globals of the script that defines it alive, and a page
    script's globals hold the last visitor's data: the upload outlived its session. Pages call cached
    functions of modules (views/loading.py, views/downloads.py), never define them."""
    import ast

    from views.keys import PAGE_FILES

    for page in PAGE_FILES.values():
        tree = ast.parse((ROOT / page).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                decorators = [ast.unparse(d) for d in node.decorator_list]
                assert not any("cache_data" in d or "cache_resource" in d for d in decorators), (page, node.name)
