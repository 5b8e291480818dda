"""Shared test configuration: offscreen Qt, paths to bundled and shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEMO_DIR = ROOT / "resources" / "demo"
SHARED_DATA = Path(os.environ.get("FOSP_SHARED_DATA", ROOT.parent / "shared" / "data"))


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
