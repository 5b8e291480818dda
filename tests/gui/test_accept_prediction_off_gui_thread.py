"""Accept Prediction on a huge photo (a 4000x3000 camera photo, over `accept_worker.BACKGROUND_PIXELS`)
compares the map with the mask and packs its undo patches on a worker thread, and lands the step
on the GUI thread: the same mask, status, undo step and saved file as before; and steps keep the
order they were asked in (Ctrl+Z or a stroke while it is being prepared lands it first)."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.annotation import accept_worker, commands
from fosp_core.annotation import cleanup
from fosp_core.annotation.document import Status
from fosp_core.annotation.history import Patch
from tests.gui.annotation_helpers import drag, key, open_and_wait, settle_saves

PHOTO = "ckakldp3vdjmg0b12dcxe2tgz"  # a real camera photo, 12 % smoke
WIDTH, HEIGHT = 4000, 3000


@pytest.fixture(scope="module")
def _camera(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, np.ndarray]:
    """(JPEG bytes, probability), read-only, made once for the file's tests (~2 s under -n 2 for each test
    before, most of it the blur of the label at full size): a 4000x3000 photo made from a SMOKE5K photo,
    and a probability made from its label (blurred, smooth noise: real smoke edges). The blur (sigma 40
    px) is made at a quarter of the size (sigma 10) and scaled up: the same smooth edges."""
    smoke5k = shared_data / "smoke5k-train"
    bgr = cv2.resize(cv2.imread(str(smoke5k / "img" / f"{PHOTO}.jpg")), (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    gt = cv2.imread(str(smoke5k / "gt" / f"{PHOTO}.png"), cv2.IMREAD_GRAYSCALE)
    quarter = (WIDTH // 4, HEIGHT // 4)
    label = cv2.resize((gt > 127).astype(np.float32), quarter, interpolation=cv2.INTER_NEAREST)
    blurred = cv2.resize(cv2.GaussianBlur(label, (0, 0), 10), (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR)
    noise = cv2.resize(np.random.default_rng(0).random((24, 32), np.float32), (WIDTH, HEIGHT))
    probability = np.clip(0.8 * blurred + 0.35 * (noise - 0.5), 0, 1).astype(np.float32)
    probability.flags.writeable = False
    return jpeg.tobytes(), probability


@pytest.fixture()
def huge_window(qtbot, make_window, _camera: tuple[bytes, np.ndarray], tmp_path: Path):  # noqa: ANN001, ANN201
    """(window, probability): the 4000x3000 photo of `_camera`, open with an empty mask, and its
    probability (a copy: the test's own) given to it."""
    assert WIDTH * HEIGHT >= accept_worker.BACKGROUND_PIXELS
    jpeg, made = _camera
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "camera.jpg").write_bytes(jpeg)
    probability = made.copy()
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    window.annotation.controller.set_probability(window.session.current_path, probability)
    return window, probability


def threads_of(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the threads that, from now on, compare the map (`cleanup.prediction_bounds`) or pack
    an undo patch (`Patch.from_arrays`)."""
    threads: list[str] = []
    bounds, from_arrays = cleanup.prediction_bounds, Patch.from_arrays.__func__

    def spied_bounds(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        threads.append(threading.current_thread().name)
        return bounds(*args, **kwargs)

    def spied_from_arrays(cls, rect, old, new):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread().name)
        return from_arrays(cls, rect, old, new)

    monkeypatch.setattr(cleanup, "prediction_bounds", spied_bounds)
    monkeypatch.setattr(Patch, "from_arrays", classmethod(spied_from_arrays))
    return threads


def test_accept_prediction_compares_and_packs_on_a_worker(qtbot, huge_window, monkeypatch) -> None:
    window, probability = huge_window
    controller = window.annotation.controller
    doc = controller.document
    threads = threads_of(monkeypatch)
    key(window, "Shift+A", settle=False)
    qtbot.waitUntil(lambda: doc.history.undo_count == 1, timeout=20000)
    accepted = (probability > controller.state.threshold).astype(np.uint8)
    np.testing.assert_array_equal(doc.mask, accepted)
    assert (doc.history.labels(), doc.status) == (["accept prediction"], Status.PREDICTED)
    assert len(threads) > 2  # the map compared, many tiles packed
    assert threading.main_thread().name not in threads, threads  # none of it on the GUI thread
    assert window.statusBar().currentMessage() == "Accept prediction: done"
    settle_saves(window)
    assert np.array_equal(controller.project.load_mask(doc.image_id), accepted)
    key(window, "Ctrl+Z")
    assert not doc.mask.any() and doc.status == Status.UNLABELED
    key(window, "Ctrl+Shift+Z")
    np.testing.assert_array_equal(doc.mask, accepted)


def test_steps_asked_for_meanwhile_land_after_it(qtbot, huge_window, monkeypatch) -> None:
    window, probability = huge_window
    controller = window.annotation.controller
    doc = controller.document
    release = threading.Event()
    step = cleanup.prediction_step

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the worker waits for the test
        release.wait(10)
        return step(*args, **kwargs)

    monkeypatch.setattr(cleanup, "prediction_step", held)
    accepted = (probability > controller.state.threshold).astype(np.uint8)
    key(window, "Shift+A", settle=False)
    assert controller.accepting.pending and doc.history.undo_count == 0  # being prepared
    release.set()
    key(window, "Ctrl+Z")  # lands the accept, then undoes it
    assert not doc.mask.any() and doc.history.can_redo and doc.status == Status.UNLABELED
    key(window, "Ctrl+Shift+Z")
    np.testing.assert_array_equal(doc.mask, accepted)
    release.clear()
    doc.replace_mask(np.zeros(doc.shape, np.uint8), label="clear")
    key(window, "Shift+A", settle=False)
    assert controller.accepting.pending
    release.set()
    key(window, "B")
    drag(window, [(100, 100), (300, 100)])  # a stroke started meanwhile: after the accept
    assert doc.history.labels()[-2:] == ["accept prediction", "brush"]
    assert doc.mask[100, 200] == 1
    outside = doc.mask.copy()
    outside[60:140, 60:340] = accepted[60:140, 60:340]
    np.testing.assert_array_equal(outside, accepted)  # the rest is the prediction
    assert not controller.accepting.pending


def test_a_prediction_without_smoke_is_said_smoke_free(qtbot, huge_window) -> None:
    window, probability = huge_window
    controller = window.annotation.controller
    doc = controller.document
    controller.set_probability(window.session.current_path, probability * 0.2)  # nowhere over 0.5
    key(window, "Shift+A", settle=False)
    qtbot.waitUntil(lambda: doc.history.undo_count == 1, timeout=20000)
    assert not doc.mask.any() and doc.status == Status.PREDICTED  # recorded: a smoke-free image
    assert window.statusBar().currentMessage() == commands.SMOKE_FREE


class _AtOnce:
    """An executor whose job is done before `submit` returns: the worker outran the GUI thread."""

    def submit(self, fn, *args):  # noqa: ANN001, ANN002, ANN201
        from concurrent.futures import Future

        future: Future = Future()
        future.set_result(fn(*args))
        return future


def test_a_worker_done_before_start_returns_still_lands_from_the_event_loop(qtbot, huge_window) -> None:
    """On a loaded machine the worker can finish before `start` has added its done-callback: the
    callback then runs on the GUI thread inside `start`, and the step must still land from the event
    loop (after the command has said "taking the prediction"), so its own words are the last said."""
    window, probability = huge_window
    controller = window.annotation.controller
    doc = controller.document
    controller.accepting._pool = _AtOnce()
    controller.set_probability(window.session.current_path, probability * 0.2)  # nowhere over 0.5
    key(window, "Shift+A", settle=False)
    assert controller.accepting.pending and doc.history.undo_count == 0  # not landed inside the key press
    qtbot.waitUntil(lambda: doc.history.undo_count == 1, timeout=20000)
    assert not doc.mask.any() and doc.status == Status.PREDICTED
    assert window.statusBar().currentMessage() == commands.SMOKE_FREE


def test_a_landed_step_lets_its_values_go(qtbot, huge_window, monkeypatch) -> None:
    """The prepared step (its patches, the changed box's values: up to the image's size) is not held
    once it has landed, without waiting for the garbage collector."""
    window, _probability = huge_window
    doc = window.annotation.controller.document
    made: list[weakref.ref] = []
    step = cleanup.prediction_step

    def kept(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        prepared = step(*args, **kwargs)
        made.extend((weakref.ref(prepared), weakref.ref(prepared.values)))
        return prepared

    monkeypatch.setattr(cleanup, "prediction_step", kept)
    gc.disable()
    try:
        key(window, "Shift+A", settle=False)
        qtbot.waitUntil(lambda: doc.history.undo_count == 1, timeout=20000)
        qtbot.wait(50)
        assert len(made) == 2 and [ref() is None for ref in made] == [True, True]
    finally:
        gc.enable()
