"""`fosp_core.mask_warnings.collected_mask_warnings`: the app's label import takes the library's warnings of
what it read on its worker thread, to name the files in its summary. Python's `warnings.catch_warnings` is
process-wide (not thread-safe: another thread's block, the inference worker's "ignore", would swallow or
keep them); the collector is the thread's own, takes every warning (not once a line) with its file."""

from __future__ import annotations

import threading
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core import NotAMaskWarning, read_mask
from fosp_core.mask_warnings import collected_mask_warnings


@pytest.fixture
def photo(demo_dir: Path, tmp_path: Path) -> Path:
    path = tmp_path / "photo.png"
    Image.open(sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]).convert("L").save(path)
    return path


def test_collected_on_this_thread_every_time_with_the_file(photo: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may reach Python's warnings inside the block
        with collected_mask_warnings() as found:
            first, second = read_mask(photo), read_mask(photo)
    assert np.array_equal(first, second)  # values unchanged
    assert [type(w) for w in found] == [NotAMaskWarning, NotAMaskWarning]
    assert found[0].path == photo and str(photo) in str(found[0])


def test_another_threads_warning_is_warned_as_ever(photo: Path) -> None:
    inside, done = threading.Event(), threading.Event()

    def other() -> None:
        inside.wait(10)
        read_mask(photo)  # while the main thread collects
        done.set()

    thread = threading.Thread(target=other)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thread.start()
        with collected_mask_warnings() as found:
            inside.set()
            assert done.wait(10)
        thread.join()
    assert found == []
    assert [w.category for w in caught] == [NotAMaskWarning]
