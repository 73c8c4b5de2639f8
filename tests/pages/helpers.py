"""Running pages headless with AppTest, reading their charts and their CSV downloads."""
from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"overview": "app.py", "pipeline": "pages/1_pipeline.py", "chips": "pages/2_chips.py",
         "timeline": "pages/3_timeline.py", "sources": "pages/4_sources.py", "data": "pages/5_data.py",
         "compute": "pages/6_compute.py", "explore": "pages/7_explore.py",
         "whats_new": "pages/8_whats_new.py"}


def run(page: str, params: dict | None = None, context: dict | None = None) -> AppTest:
    """Open a page the way a link does: the server's entry point (app.py) with the query
    parameters, then the page, so page links resolve as they do for users (`context`: what
    st.context says, e.g. an embed link's is_embedded and url)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if context:
        at.context = context
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def param(at: AppTest, key: str) -> list[str] | None:
    """A query parameter as the list the URL holds, or None when absent."""
    if key not in at.query_params:
        return None
    value = at.query_params[key]
    return [value] if isinstance(value, str) else list(value)


def decode(value):
    """plotly 7 packs numeric arrays as base64; unpack them."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return arr.reshape(value["shape"]).tolist() if "shape" in value else arr.tolist()
    return value


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart_text(spec: dict) -> str:
    """Every label, hover text and annotation of a chart, as one string."""
    parts = [json.dumps(t.get(k, ""), ensure_ascii=False) for t in spec["data"] for k in ("text", "hovertext", "y", "name")]
    parts += [a.get("text", "") for a in spec["layout"].get("annotations", [])]
    return " ".join(parts)


class RecordingStorage(MemoryMediaFileStorage):
    """Keeps every file AppTest's runtime stores, by URL, so downloads can be read back
    (names: the file name each was offered under)."""
    files: dict[str, bytes] = {}
    names: dict[str, str | None] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        data = path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes()
        RecordingStorage.files[self.get_url(file_id)] = data
        RecordingStorage.names[self.get_url(file_id)] = filename
        return file_id


class RecordingManager(MediaFileManager):
    """Keeps every deferred download's callable (data made on click), by its file id."""
    deferred: dict[str, object] = {}

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name,
                                       element_id=element_id)
        RecordingManager.deferred[file_id] = data_callable
        return file_id


@pytest.fixture
def downloads(monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage)
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", RecordingManager)
    RecordingStorage.files, RecordingStorage.names, RecordingManager.deferred = {}, {}, {}
    return RecordingStorage.files


def download_keys(at: AppTest) -> list[str]:
    """The widget keys of every download button on the page, in page order."""
    return [b.proto.id.split("-", 2)[-1] for b in at.get("download_button")]


def download_bytes(at: AppTest, key: str, files: dict) -> bytes:
    """What download button `key` hands the user: its stored file, or for data made on click
    (a deferred download) what its callable makes now."""
    button = [b for b in at.get("download_button") if b.proto.id.endswith(key) or key in b.proto.id]
    assert button, f"no download button {key}"
    if button[0].proto.deferred_file_id:
        return RecordingManager.deferred[button[0].proto.deferred_file_id]()
    return files[button[0].proto.url]


def download_frame(at: AppTest, key: str, files: dict) -> pd.DataFrame:
    """The CSV behind download button `key`, as a DataFrame of strings."""
    return pd.read_csv(io.BytesIO(download_bytes(at, key, files)), dtype=str, keep_default_na=False)


def other_warnings(at: AppTest) -> list[str]:
    """The page's warnings but the staleness one (the fixture's newest report is months older
    than any build made today, so every page rightly says so)."""
    from tracker.gaps import STALE_PREFIX
    return [w.value for w in at.warning if not w.value.startswith(STALE_PREFIX)]
