"""An annotator's pass over the two real smoke clips of the shared data (skipped, saying why, where a fresh clone
lacks it), with the default model: scrub, predict, accept the prediction, undo and redo it, carry it to the next
frame, keyframe both, export the keyframes, reopen. On the HPWREN clip the model sees the distant plume under the
mask threshold, so the accepted frame is smoke-free; carrying it to the next frame recorded nothing and the export
skipped that frame ("no mask") though the annotator had carried to it and keyframed it (fixed in
`VideoAnnotations.carry`). Whatever the model sees, both frames must be labelled, exported and found again."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.main_window import MainWindow
from fosp_core.data.types import SMOKE
from fosp_core.video.export import VideoExportReport
from tests.gui.annotation_helpers import key
from tests.gui.video_helpers import open_video

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "resources" / "models" / "fosp-default.safetensors"
WAIT_MS = 120_000  # the default model's first frame on two busy CPU cores


def _go(qtbot, window: MainWindow, index: int) -> None:  # noqa: ANN001
    with qtbot.waitSignal(window.video.frame_shown, timeout=20_000, check_params_cb=lambda i: i == index):
        window.video.seek(index)


@pytest.mark.parametrize(("name", "frames"), [("hpwren-los-pinos-2019-10-06.mp4", 156),
                                              ("ijmond-blast-furnace-dusk.mp4", 36)])
def test_accept_undo_carry_keyframe_export_reopen_on_a_real_clip(
        qtbot, make_window, tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
        name: str, frames: int) -> None:
    if not MODEL.is_file():
        pytest.skip(f"needs the default model {MODEL}")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    clip = tmp_path / "videos" / name
    clip.parent.mkdir()
    shutil.copy(shared_data / "videos" / name, clip)
    window = make_window(show=True, default_model=MODEL)
    open_video(qtbot, window, clip, tmp_path)  # projects_root and the video state under tmp_path
    video = window.video
    assert video.frame_count == frames
    for index in (frames - 1, 0, 12):  # scrub: the end, the start, then the frame to label
        _go(qtbot, window, index)
    # what Shift+A reads: the frame document's map, given on the GUI thread once the prediction is shown (the
    # worker fills the cache first: `video.probability()` alone raced the key under load)
    qtbot.waitUntil(lambda: video.editor.document is not None and video.editor.document.probability is not None,
                    timeout=WAIT_MS)
    key(window, "Shift+A", settle=False)  # Accept Prediction
    notes = video.annotations
    assert notes is not None and notes.edited == {12}
    accepted = video.document.mask.copy()
    key(window, "Ctrl+Z", settle=False)
    assert notes.edited == set() and not (video.document.mask == SMOKE).any()
    key(window, "Ctrl+Shift+Z", settle=False)
    assert notes.edited == {12} and np.array_equal(video.document.mask, accepted)
    key(window, "K", settle=False)
    _go(qtbot, window, 13)
    key(window, "C", settle=False)  # carried from frame 12, smoke or not
    key(window, "K", settle=False)
    assert notes.keyframes == {12, 13}
    assert notes.edited == {12, 13}, window.statusBar().currentMessage()  # hpwren: was {12}
    out = tmp_path / "out"
    with qtbot.waitSignal(video.export_finished, timeout=WAIT_MS) as outcome:
        video.export(sorted(notes.keyframes), out)
    report = outcome.args[0]
    assert isinstance(report, VideoExportReport), report
    assert report.frames == [12, 13] and report.skipped == [], report  # hpwren: frame 13 skipped, 'no mask'
    masks = sorted((out / "SegmentationClass").glob("*.png"))
    assert len(masks) == 2
    assert all(np.array_equal(np.asarray(Image.open(m)) == SMOKE, accepted == SMOKE) for m in masks)
    video.leave()
    open_video(qtbot, window, clip, tmp_path)
    again = video.annotations
    assert again is not None and again.edited == {12, 13} and again.keyframes == {12, 13}
    assert video.shown_index == 13  # resumes on the frame last shown
