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


def test_tmp_path_is_a_new_folder_named_after_the_test_without_numbering(
        request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """tests/conftest.py's `tmp_path`: pytest's numbered one listed the whole base temp at each call."""
    import re

    assert tmp_path.parent == tmp_path_factory.getbasetemp() and tmp_path.is_dir() and not any(tmp_path.iterdir())
    prefix = re.sub(r"[\W]", "_", request.node.name)[:30]
    assert re.fullmatch(rf"{re.escape(prefix)}-\w{{8}}", tmp_path.name), tmp_path.name  # was prefix + a number
    assert oct(tmp_path.stat().st_mode & 0o777) == oct(0o700)  # as pytest's: the user's alone


@pytest.mark.parametrize("n", [1, 2])
def test_each_test_gets_its_own_tmp_path(tmp_path: Path, n: int) -> None:
    assert not any(tmp_path.iterdir())  # nothing of the other's
    (tmp_path / "mine").write_text(str(n))
