"""Shared test configuration: offscreen Qt, paths to bundled and shared data."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "resources" / "demo"
SHARED_DATA = Path(os.environ.get("FOSP_SHARED_DATA", ROOT.parent / "shared" / "data"))


def pytest_configure(config: pytest.Config) -> None:
    """`FOSP_TEST_RSS=path`: record each test's memory there (`tests/rss_recorder.py`, docs/testing.md)."""
    path = os.environ.get("FOSP_TEST_RSS")
    if path:
        from tests.rss_recorder import RssRecorder

        worker = os.environ.get("PYTEST_XDIST_WORKER")
        target = Path(path).with_suffix(f".{worker}{Path(path).suffix}") if worker else Path(path)
        config.pluginmanager.register(RssRecorder(target, detail=os.environ.get("FOSP_TEST_RSS_DETAIL") == "1"),
                                      "fosp-rss-recorder")


@pytest.fixture(autouse=True)
def _isolated_user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own FoSp cache (projects of the demo, user models, runs): tests never
    read or write the real user's ~/.cache/fosp, and no lock or project leaks between tests."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path_factory.mktemp("fosp-cache")))


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The SmokeSeg samples bundled with the app (always present)."""
    return DEMO_DIR


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """`../shared/data`, the real data next to the project; skip where a fresh clone lacks it."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"needs the shared data folder {SHARED_DATA} (absent in a fresh clone)")
    return SHARED_DATA


@pytest.fixture()
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Every background mask PNG write (`fosp_core.annotation.mask_saves`) held until the event is
    set (set again at the end). Shared by the unit and GUI tests."""
    from fosp_core.annotation import mask_saves

    release, real = threading.Event(), mask_saves.encode_mask_png

    def slow(mask: object, compress_level: int = 6) -> bytes:
        assert release.wait(60)
        return real(mask, compress_level)

    monkeypatch.setattr(mask_saves, "encode_mask_png", slow)
    yield release
    release.set()
