"""Helpers for the tests of the analysis layers held at the network's grid (GridMap) and brought to the
image's size off the GUI thread: a letterboxed prediction, a window with one photo open, and the threads
``GridMap.full()`` ran on."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.main_window import MainWindow
from fosp_core.infer.gridmap import GridMap
from fosp_core.infer.result import Prediction
from fosp_core.infer.tiling import letterbox_geometry

SHAPE = (600, 800)


def letterboxed(seed: int, shape: tuple[int, int] = SHAPE, strides: Sequence[int] = ()) -> Prediction:
    """A letterboxed prediction of an image of `shape`: Focus Map, hole and background at the grid, and
    the foreground energy of each of `strides` (none: no energy)."""
    h, w = shape
    geom = letterbox_geometry(h, w, 512)
    rng = np.random.default_rng(seed)
    focus = GridMap(rng.random((geom.canvas_h // 16, geom.canvas_w // 16), np.float32), geom, unit=True,
                    banded=False)
    hole = GridMap(rng.random((geom.canvas_h, geom.canvas_w)) > 0.7, geom, kind="mask", banded=False)
    background = GridMap(rng.random((3, geom.canvas_h, geom.canvas_w), np.float32) * 255, geom, kind="rgb",
                         banded=False)
    energy: dict[int, GridMap | np.ndarray] = {
        s: GridMap(rng.random((geom.canvas_h // s, geom.canvas_w // s), np.float32) * s, geom) for s in strides}
    return Prediction(probability=rng.random(shape, np.float32), focus_map=focus, hole=hole,
                      background=background, foreground_energy=energy, tau=0.5)


def record_full_threads(monkeypatch: pytest.MonkeyPatch) -> list[threading.Thread]:
    """The thread of every GridMap.full() call from here on (for a test's ``full_threads`` fixture)."""
    threads: list[threading.Thread] = []
    real = GridMap.full

    def full(self: GridMap) -> np.ndarray:
        threads.append(threading.current_thread())
        return real(self)

    monkeypatch.setattr(GridMap, "full", full)
    return threads


def on_gui(threads: list[threading.Thread]) -> int:
    """How many of `threads` are the GUI (main) thread."""
    return sum(t is threading.main_thread() for t in threads)


def photo_window(qtbot, make_window, tmp_path: Path, shape: tuple[int, int] = SHAPE) -> MainWindow:  # noqa: ANN001
    """A shown window (projects under `tmp_path`) with one black photo of `shape` open."""
    path = tmp_path / "photo.png"
    Image.fromarray(np.zeros((*shape, 3), np.uint8)).save(path)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    return window


def hold_full_of(monkeypatch: pytest.MonkeyPatch, held: GridMap) -> tuple[threading.Event, threading.Event,
                                                                          Callable[[GridMap], np.ndarray]]:
    """``GridMap.full()`` of `held` made to wait on its worker until released (a map being made while the
    user moves on); returns (started, release, the real ``full``)."""
    started, release = threading.Event(), threading.Event()
    real = GridMap.full

    def full(self: GridMap) -> np.ndarray:
        if self is held:
            started.set()
            release.wait(20)
        return real(self)

    monkeypatch.setattr(GridMap, "full", full)
    return started, release, real


def images_set(monkeypatch: pytest.MonkeyPatch, item) -> list[np.ndarray]:  # noqa: ANN001 - an ImageItem
    """Every image given to `item.setImage` from here on (still set on it)."""
    drawn: list[np.ndarray] = []
    set_image = item.setImage
    monkeypatch.setattr(item, "setImage", lambda image=None, *a, **k: (drawn.append(image), set_image(image, *a, **k)))
    return drawn
