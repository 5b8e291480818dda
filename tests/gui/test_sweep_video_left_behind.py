"""A video renamed or moved after it was labelled opens with no labels (its annotation folder and mask
names follow its name and folder): the opening says where its old labels are and how to see them again
(`fosp_core.video.left_behind`), instead of showing an unlabelled video without a word. Found by the video
annotator's sweep (session 30, task N) on the HPWREN clip: renamed or moved, the 2 labelled frames and the
keyframe were gone from view, the status bar said only 'Opened video ...'."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.main_window import MainWindow
from fosp_core.annotation.tool_state import Tool
from fosp_core.video.left_behind import find_left_behind
from fosp_core.video.testclip import write_clip
from tests.gui.annotation_helpers import drag, key


def _open(qtbot, window: MainWindow, path: Path) -> None:  # noqa: ANN001 - qtbot fixture
    with qtbot.waitSignal(window.video.frame_shown, timeout=10_000):
        window.open_paths([path], remember=False)


def _label(qtbot, window: MainWindow, clip: Path) -> Path:  # noqa: ANN001 - qtbot fixture
    """Open `clip` (annotations beside it, as the app keeps them), paint frame 0, mark it a keyframe, close it."""
    _open(qtbot, window, clip)
    window.annotation.actions.tools[Tool.BRUSH].trigger()
    drag(window, [(40, 40), (90, 70)])
    key(window, "K")
    notes = window.video.annotations
    assert notes is not None and notes.edited == {0} and notes.keyframes == {0}
    window.video.leave()
    return notes.folder


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:  # noqa: ANN001
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    made = make_window(show=True)
    made.annotation.controller.registry.projects_root = tmp_path / "projects"
    return made


def test_a_renamed_video_says_where_its_labels_are(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "films").mkdir()
    clip = write_clip(tmp_path / "films" / "plume.mp4", frames=12)
    folder = _label(qtbot, window, clip)
    renamed = clip.rename(clip.with_name("plume-cam2.mp4"))
    _open(qtbot, window, renamed)
    assert window.video.annotations is not None and not window.video.annotations.edited
    said = window.statusBar().currentMessage()
    assert f"{folder} holds 1 labelled frame(s), 1 keyframe(s) of {clip}" in said
    assert "rename it back to plume.mp4" in said
    window.video.leave()
    renamed.rename(clip)  # as told: the labels are back
    _open(qtbot, window, clip)
    assert window.video.annotations is not None and window.video.annotations.edited == {0}
    assert "holds" not in window.statusBar().currentMessage()


def test_a_video_moved_without_its_labels_says_where_they_are(qtbot, window: MainWindow, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "films").mkdir()
    clip = write_clip(tmp_path / "films" / "plume.mp4", frames=12)
    folder = _label(qtbot, window, clip)
    moved = tmp_path / "sorted" / "plume.mp4"
    moved.parent.mkdir()
    shutil.move(clip, moved)
    _open(qtbot, window, moved)
    said = window.statusBar().currentMessage()
    assert f"{folder} holds 1 labelled frame(s), 1 keyframe(s) of {clip}" in said
    assert f"move it back to {clip.parent}" in said


def test_only_folders_of_gone_videos_of_the_same_frames_are_named(tmp_path: Path) -> None:
    """Another video still there, or one of another frame count or size, is never named."""
    base = tmp_path / ".fosp"
    for name, count, there in (("kept", 12, True), ("longer", 40, False), ("gone", 12, False)):
        masks = base / f"video-{name}" / "masks"
        masks.mkdir(parents=True)
        _png(masks / f"{name}_000000.png")
        video = tmp_path / f"{name}.mp4"
        if there:
            video.write_bytes(b"")
        (base / f"video-{name}" / "video.json").write_text(
            f'{{"format": "fosp-video", "video": "{video}", "frame_count": {count}, "keyframes": []}}')
    found = find_left_behind(base / "video-new", 12, (120, 160))
    assert [hit.folder.name for hit in found] == ["video-gone"]
    assert find_left_behind(base / "video-new", 12, (64, 96)) == []  # frames of another size


def _png(path: Path) -> None:
    import cv2
    import numpy as np

    assert cv2.imwrite(str(path), np.zeros((120, 160), np.uint8))
