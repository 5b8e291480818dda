"""A dataset whose project is open in the window, opened again after images were added to its ``JPEGImages/``:
the new images join its project (their reference mask, as at its making), and the dataset is read for them
(`fosp_core.annotation.labels.read_source`: its masks and split lists) on the open's worker, not on the GUI
thread.

Before, the join (`ProjectRegistry._join` -> `Project.add_listed` -> `dataset_listing.follow_dataset`, on the
GUI thread) read the whole dataset there: 1-1.6 s for 30 000 images, the window frozen
(bench/bench_dataset_reopen.py). The worker that lists the folder now reads it, and the GUI thread applies the
result. An image of a big dataset opened alone (a small open, done at once on the GUI thread) goes to the
worker when its project needs that read."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from app import opening
from fosp_core.annotation import dataset_listing

from .annotation_helpers import demo_project, open_and_wait
from .conftest import WindowFactory

FIRST = "20180706_West_lp-n-mobo-c__1530902221_+00540"


def _add(dataset: Path, name: str) -> Path:
    """A new image in the dataset's JPEGImages/ with its mask in SegmentationClass/."""
    image = cv2.imread(os.fspath(dataset / "JPEGImages" / f"{FIRST}.jpg"))
    path = dataset / "JPEGImages" / f"{name}.jpg"
    cv2.imwrite(os.fspath(path), np.ascontiguousarray(image[::-1]))
    mask = np.zeros(image.shape[:2], np.uint8)
    mask[5:50, 5:50] = 1
    cv2.imwrite(os.fspath(dataset / "SegmentationClass" / f"{name}.png"), mask)
    return path


def _reader_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the threads that read the dataset (`read_source`, as `dataset_listing` calls it) from now on."""
    threads: list[str] = []
    real = dataset_listing.read_source

    def spied(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(dataset_listing, "read_source", spied)
    return threads


@pytest.fixture()
def open_demo(qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
              monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """(window, demo): a copy of the demo dataset, its project made and open in a shown window."""
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    window = make_window(show=True)
    demo, _location = demo_project(window, demo_dir, tmp_path)
    open_and_wait(qtbot, window, demo)
    assert window.opener.wait(30)
    return window, demo


def test_a_dataset_opened_again_is_read_for_its_new_images_on_the_worker(
        open_demo, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001 - fixture
    window, demo = open_demo
    new = _add(demo, "new1")
    threads = _reader_threads(monkeypatch)
    window.opener.open([demo], remember=False, background=True)  # as a dataset of 30 000 images opens
    assert window.opener.wait(30)
    found = window.annotation.controller.registry.lookup(new)
    assert found is not None and found[1] == "new1", "the image added while the project was open did not join"
    assert found[0].entry("new1").label == "SegmentationClass/new1.png"
    assert len(threads) == 1, f"the dataset was read {len(threads)} times for its new image: {threads}"
    assert threading.main_thread().name not in threads, threads


def test_an_image_of_a_big_dataset_opened_alone_is_read_on_the_worker(
        qtbot, open_demo, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001 - fixtures
    window, demo = open_demo
    monkeypatch.setattr(opening, "SYNC_LIMIT", 3)  # the demo's 4 images: a dataset too big to read at once
    new = _add(demo, "new2")
    threads = _reader_threads(monkeypatch)
    window.open_paths([new], remember=False)  # one image: a small open, which would be done on the GUI thread
    assert window.opener.wait(30)
    found = window.annotation.controller.registry.lookup(new)
    assert found is not None and found[1] == "new2", "the image opened alone did not join the dataset's project"
    assert threads and threading.main_thread().name not in threads, threads
    qtbot.waitUntil(lambda: window.session.current_path == new.resolve(), timeout=10000)
