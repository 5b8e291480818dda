"""Each test's FoSp cache (`tests/conftest.py::_isolated_user_cache`) is a folder of its own, made without
listing the run's base temp: `tmp_path_factory.mktemp` numbered it by listing the base temp, a folder more at
each test, so a worker's later tests paid more for it (tens of ms at a few thousand tests)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def test_the_cache_is_its_own_folder_outside_the_listed_base_temp(tmp_path_factory: pytest.TempPathFactory,
                                                                   tmp_path: Path) -> None:
    cache = Path(os.environ["FOSP_CACHE"])
    assert cache.is_dir() and not any(cache.iterdir())
    assert os.environ["FOSP_CONFIG"] == str(cache)
    base = tmp_path_factory.getbasetemp()
    assert cache.parent == base / "fosp-caches", cache  # was base / "fosp-cacheN", one more in base at each test
    assert tmp_path.parent == base and cache != tmp_path


def test_another_test_gets_another_cache() -> None:
    cache = Path(os.environ["FOSP_CACHE"])
    assert cache.is_dir() and not any(cache.iterdir())  # the previous test's folder is not shared
