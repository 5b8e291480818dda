"""A whole-video prediction asked for while its model loads, the model arriving during a frame-0 preview
(app.video.preview) of another video: the run waits out the preview (it would spend the model's time on
the video behind, competing with the scan, and be dropped once the new video opens); Cancel brings the
video behind back and starts it; the new video opening drops it, saying so. And the video behind opened
again during the preview: the preview is cancelled, that video stays open as it is (not opened again).
The scan is held (tests/held_scan.py); the model is a tiny real checkpoint whose load waits for the test."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

import fosp_core.infer.predictor as predictor
from app.main_window import MainWindow
from app.video.workers import PredictionWorker
from fosp_core.video.testclip import write_clip
from tests.gui.test_video_frame0_preview import frame0, previewing, shown
from tests.gui.tiny_model import (
    INPUT,
    save_tiny_checkpoint,
    tiny_video_input,  # noqa: F401 - a fixture (pytestmark)
)
from tests.gui.video_helpers import open_video
from tests.held_scan import HeldScan

pytestmark = pytest.mark.usefixtures("tiny_video_input")  # video frames at the tiny input, not 512 px

WAIT_MS = 20_000


@pytest.fixture
def first(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "first.mp4", frames=20, size=(128, 96))


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    return write_clip(tmp_path / "clip.mp4", frames=30, size=(128, 96))


def waiting_run(qtbot, window: MainWindow, first: Path, tmp_path: Path,  # noqa: ANN001
                monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, list[Path]]:
    """`first` open, a whole-video run asked for while its model (a tiny checkpoint) loads: (the gate the
    load waits on, the videos whole-video runs started on since)."""
    open_video(qtbot, window, first, tmp_path)
    gate, started = threading.Event(), []
    load = predictor.probability_fn

    def gated_load(path: Path, **_kwargs: object) -> object:
        gate.wait(WAIT_MS / 1000)
        return load(path, device="cpu", precision="fp32", input_size=INPUT, tiled=False)

    predict_whole = PredictionWorker.predict_whole

    def spied(worker: PredictionWorker) -> bool:
        started.append(worker.path)
        return predict_whole(worker)

    monkeypatch.setattr(predictor, "probability_fn", gated_load)
    monkeypatch.setattr(PredictionWorker, "predict_whole", spied)
    video = window.video
    video.load_model(save_tiny_checkpoint(tmp_path / "tiny.safetensors"))
    video.predict_whole()
    assert "once tiny.safetensors has loaded" in window.statusBar().currentMessage()
    assert started == [] and video.panel.cancel_button.isEnabled()
    return gate, started


class Behind(NamedTuple):
    """A whole-video run waiting for its model on the video behind a frame-0 preview (`behind`)."""

    window: MainWindow
    gate: threading.Event  # the model's load waits on it
    started: list[Path]  # the videos whole-video runs started on since
    held: HeldScan  # the preview's scan


@pytest.fixture
def behind(qtbot, make_window, tmp_path: Path, first: Path, clip: Path,  # noqa: ANN001
           monkeypatch: pytest.MonkeyPatch) -> Behind:
    """A shown window with a whole-video run on `first` waiting for its model (waiting_run), then `clip`'s
    frame-0 preview over it, its scan held."""
    window = make_window(show=True)
    gate, started = waiting_run(qtbot, window, first, tmp_path, monkeypatch)
    held = HeldScan(monkeypatch)
    previewing(qtbot, window, clip)
    return Behind(window, gate, started, held)


def model_arrives(qtbot, window: MainWindow, gate: threading.Event) -> None:  # noqa: ANN001
    with qtbot.waitSignal(window.video.models.ready, timeout=WAIT_MS):
        gate.set()
    assert window.video.worker is not None and window.video.worker.has_model  # the video behind's


def arrives_and_waits(qtbot, behind: Behind) -> None:  # noqa: ANN001
    """The model arrives during the preview: 100 ms on, no whole-video run has started."""
    model_arrives(qtbot, behind.window, behind.gate)
    qtbot.wait(100)
    assert behind.started == []


def test_the_run_waits_out_the_preview_and_starts_on_cancel(
        qtbot, behind: Behind, first: Path) -> None:  # noqa: ANN001
    window, _gate, started, held = behind
    video = window.video
    arrives_and_waits(qtbot, behind)
    assert not video.worker.whole_running  # nothing spent on the video behind
    video.preview.cancel_button.click()  # the video behind back: its run starts
    assert not video.preview.active and video.reader.meta.path == first
    assert started == [first] and video.worker.whole_running
    assert video.panel.cancel_button.isEnabled() and not video.panel.predict_all_button.isEnabled()
    qtbot.waitUntil(lambda: video.panel.predict_all_button.isEnabled(), timeout=WAIT_MS)
    assert all(video.cache.has_summary(i) for i in range(video.frame_count))
    assert "Whole video predicted" in window.statusBar().currentMessage()
    held.release()


def test_the_run_is_dropped_with_a_word_when_the_new_video_opens(
        qtbot, behind: Behind, clip: Path) -> None:  # noqa: ANN001
    window, _gate, started, held = behind
    video = window.video
    arrives_and_waits(qtbot, behind)
    held.release()
    qtbot.waitUntil(lambda: video.active and video.reader.meta.path == clip and video.shown_index == 0,
                    timeout=WAIT_MS)
    message = window.statusBar().currentMessage()
    assert message.startswith("Opened video clip.mp4")
    assert "whole-video prediction of first.mp4" in message and "dropped" in message
    assert started == [] and not video.worker.whole_running  # not started on the new video either
    assert video.panel.predict_all_button.isEnabled() and not video.panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: video.worker.has_model, timeout=WAIT_MS)  # the model predicts the new video's frames


def test_a_model_still_loading_after_cancel_starts_the_run_when_it_arrives(
        qtbot, behind: Behind, first: Path) -> None:  # noqa: ANN001
    window, gate, started, held = behind
    video = window.video
    video.preview.cancel_button.click()
    assert started == []
    model_arrives(qtbot, window, gate)
    assert started == [first]
    video.cancel_whole()
    held.release()


def test_opening_the_video_behind_the_preview_again_only_cancels_the_preview(
        qtbot, make_window, tmp_path: Path, first: Path, clip: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True)
    video = window.video
    open_video(qtbot, window, first, tmp_path)
    video.seek(5)
    qtbot.waitUntil(lambda: video.shown_index == 5, timeout=WAIT_MS)
    reader, worker = video.reader, video.worker
    HeldScan(monkeypatch)  # never released: the cancel stops the scan
    previewing(qtbot, window, clip)
    np.testing.assert_array_equal(shown(window), frame0(clip))
    opens: list[Path] = []
    monkeypatch.setattr(video.opener, "open", lambda path, *a, open=video.opener.open: opens.append(path)
                        or open(path, *a))
    window.open_paths([first], remember=True)  # Open Recent, or the file dialog, on the video behind
    assert opens == [] and not video.preview.active and video.opening is None
    assert video.reader is reader and video.worker is worker  # the same video, not opened again
    qtbot.waitUntil(lambda: video.shown_index == 5, timeout=WAIT_MS)  # back where it was
    assert "indexing" not in window.windowTitle() and "first.mp4" in window.windowTitle()
    assert "first.mp4 is open" in window.statusBar().currentMessage()
    assert window.recent.paths()[0] == first
    assert any(action.isEnabled() for action in video.actions)


def test_closing_the_window_during_the_preview_starts_no_run_on_the_video_behind(
        qtbot, behind: Behind) -> None:  # noqa: ANN001
    window, gate, started, _held = behind  # the scan is never released: the close stops it
    model_arrives(qtbot, window, gate)
    window.close()  # the preview ends with the window: the video behind is not shown (nor predicted) again
    assert started == []
    assert not window.video.preview.active
