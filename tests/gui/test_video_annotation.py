"""Annotating video frames with the image annotation tools: the frame's document is lent to the
shared `AnnotationController` (polygon, flood fill, Ctrl+Z), edits are saved per frame by the
timeline, and the image's document comes back when the video closes. Also: which model the video
view predicts with by default."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from fosp_core.data.types import SMOKE
from fosp_core.video.timeline import frame_id
from tests.gui.annotation_helpers import click, copy_demo, key, open_and_wait

SQUARE = [(40, 30), (100, 30), (100, 80), (40, 80)]  # image points (x, y) of the polygon


def _write_video(path: Path, frames: int = 6, size: tuple[int, int] = (160, 120)) -> Path:
    """A small MJPG clip: grey sky over dark ground with a frame-numbered brightness."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, size)
    assert writer.isOpened()
    width, height = size
    for i in range(frames):
        bgr = np.full((height, width, 3), 40 + 10 * i, np.uint8)
        bgr[height // 2:] = (30, 60, 30)
        writer.write(bgr)
    writer.release()
    return path


def _open_video(qtbot, window: MainWindow, path: Path) -> None:  # noqa: ANN001 - qtbot fixture
    window.video.state_root = Path(window.services.settings.fileName()).parent / "video-state"
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([path], remember=False)


def _step(qtbot, window: MainWindow, delta: int) -> None:  # noqa: ANN001 - qtbot fixture
    video = window.video
    target = video.index + delta
    with qtbot.waitSignal(video.frame_shown, timeout=5000, check_params_cb=lambda i: i == target):
        next(a for a in video.actions if a.text() == ("Next Frame" if delta > 0 else "Previous Frame")).trigger()


def test_frame_edited_with_the_annotation_tools(qtbot, make_window, tmp_path: Path, demo_dir: Path) -> None:
    window = make_window(show=True)
    open_and_wait(qtbot, window, copy_demo(demo_dir, tmp_path / "demo"))
    ui = window.annotation
    controller = ui.controller
    image_doc = controller.document
    image_history = (image_doc.can_undo, image_doc.mask.copy())
    _open_video(qtbot, window, _write_video(tmp_path / "clip.avi"))
    video = window.video

    frame_doc = video.document
    assert controller.attached and controller.document is frame_doc and frame_doc.shape == (120, 160)
    assert frame_doc.image_id == frame_id(video.annotations.stem, 0)
    assert np.shares_memory(controller.layer.mask, frame_doc.mask)  # the tools' mask layer shows the frame

    ui.actions.tools[Tool.POLYGON_FILL].trigger()  # through the annotation actions, as from the menu/dock
    assert controller.state.tool == Tool.POLYGON_FILL
    for x, y in SQUARE:
        click(window, x, y)
    key(window, "Return")  # close the polygon
    inside = frame_doc.mask[35:75, 45:95]
    assert (inside == SMOKE).all() and frame_doc.mask[:20].sum() == 0 and frame_doc.mask[100:].sum() == 0
    polygon = frame_doc.mask.copy()

    ui.actions.tools[Tool.FLOOD_FILL].trigger()
    click(window, 10, 10)  # the background around the square: everything becomes smoke
    assert (frame_doc.mask == SMOKE).all()
    assert ui.actions.undo.isEnabled()

    key(window, "Ctrl+Z")  # undoes the frame's edit, not the hidden image document's
    np.testing.assert_array_equal(frame_doc.mask, polygon)
    assert (image_doc.can_undo, image_doc.mask.tolist()) == (image_history[0], image_history[1].tolist())

    _step(qtbot, window, 1)
    assert video.index == 1 and controller.document is video.document and video.document.mask.sum() == 0
    assert video.annotations.edited == {0} and video.annotations.mask_path(0).is_file()
    _step(qtbot, window, -1)
    np.testing.assert_array_equal(video.document.mask, polygon)  # reloaded from the timeline's save
    assert np.shares_memory(controller.layer.mask, video.document.mask)

    window.open_paths([tmp_path / "demo"], remember=False)  # back to image mode: the image's document
    assert not video.active and not controller.attached
    qtbot.waitUntil(lambda: controller.document is not None and controller.project is not None, timeout=10_000)
    assert controller.document.image_id == image_doc.image_id


def test_video_predicts_with_the_default_model(qtbot, make_window, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = tmp_path / "models" / "fosp-default.safetensors"
    loads: list[Path] = []
    sizes: list[dict[str, object]] = []

    def fake_probability_fn(path: Path, device: str = "auto", **kwargs: object):  # noqa: ANN202
        loads.append(Path(path))
        sizes.append({k: kwargs[k] for k in ("input_size", "tiled")})
        return lambda rgb: np.full(rgb.shape[:2], 0.9, np.float32)

    monkeypatch.setattr("fosp_core.infer.predictor.probability_fn", fake_probability_fn)
    window = make_window(show=True, default_model=checkpoint)  # nothing loaded in the analysis panel
    assert window.analysis.loaded_checkpoint() is None
    with qtbot.waitSignal(window.video.models.ready, timeout=10_000):
        _open_video(qtbot, window, _write_video(tmp_path / "clip.avi"))
    video = window.video
    assert loads == [checkpoint.resolve()] and video.worker.has_model
    assert sizes == [{"input_size": 512, "tiled": False}]
    assert video.panel.model_label.text() == checkpoint.name
    qtbot.waitUntil(lambda: video.probability() is not None, timeout=10_000)

    # the analysis panel's model takes over when it loads one (the user chose none in the video panel)
    analysis_model = tmp_path / "models" / "other.safetensors"
    monkeypatch.setattr(window.analysis, "loaded_checkpoint", lambda: (analysis_model, "cpu", "fp32", "448"))
    with qtbot.waitSignal(video.models.ready, timeout=10_000):
        window.analysis.model_changed.emit()
    assert loads[-1] == analysis_model.resolve() and video.panel.model_label.text() == analysis_model.name
    assert sizes[-1] == {"input_size": 448, "tiled": False}  # with its Input choice

    # "Model…" picks another one, which the analysis panel no longer overrides
    chosen = tmp_path / "models" / "chosen.safetensors"
    with qtbot.waitSignal(video.models.ready, timeout=10_000):
        video.load_model(chosen)
    window.analysis.model_changed.emit()
    assert video.models.chosen and video.panel.model_label.text() == chosen.name and loads[-1] == chosen.resolve()
