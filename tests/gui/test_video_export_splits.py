"""The Export frames dialog's splits: by default the video's frames are split by time (the end of the
video validates), "Everything in train" is still there to choose, and a video with too few frames for
a val split says so instead of leaving the user to find out when a fine-tune has no validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.main_window import MainWindow
from app.video.export_dialog import VideoExportDialog
from fosp_core.data.datasets import open_dataset
from fosp_core.video.splits import DEFAULT_GAP_S, DEFAULT_VIDEO_RATIOS
from fosp_core.video.testclip import write_clip
from tests.gui.test_video_export_dialog import _answer, _mark
from tests.gui.video_helpers import open_video


def test_the_dialog_splits_by_time_by_default_and_offers_everything_in_train(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    dialog = VideoExportDialog(tmp_path / "out", {"keyframes": 3, "edited": 3})
    qtbot.addWidget(dialog)
    choice = dialog.choice()
    assert choice.kind == "keyframes"  # the split's radio buttons are another question
    assert choice.splits is not None and choice.gap_s == DEFAULT_GAP_S
    assert choice.splits[1] / sum(choice.splits) == pytest.approx(DEFAULT_VIDEO_RATIOS[1] / sum(DEFAULT_VIDEO_RATIOS))
    dialog.val_share.setValue(0.3)
    dialog.gap.setValue(2.5)
    assert dialog.choice().splits == pytest.approx((0.7, 0.3)) and dialog.choice().gap_s == 2.5
    dialog.all_train.setChecked(True)
    dialog.edited.setChecked(True)
    assert dialog.choice().splits is None and dialog.choice().kind == "edited"
    assert not dialog.val_share.isEnabled() and not dialog.gap.isEnabled()


def _export(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, dst: Path,  # noqa: ANN001
            all_train: bool = False) -> object:
    def steps(dialog: VideoExportDialog) -> None:
        dialog.dst.setText(str(dst))
        dialog.all_train.setChecked(all_train)
        dialog.ok_button.click()

    _answer(monkeypatch, steps)
    with qtbot.waitSignal(window.video.export_finished, timeout=20_000) as blocker:
        window.video.export_dialog()
    return blocker.args[0]


def test_an_export_from_the_dialog_has_a_val_split_and_says_so(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=36), tmp_path)  # 3 s at 12 fps
    _mark(qtbot, window, [2, 30])
    report = _export(qtbot, window, monkeypatch, tmp_path / "out")
    assert report.splits == {"train": [2], "val": [30]}
    assert open_dataset(tmp_path / "out", "val").ids == ["clip_000030"]
    assert "train 1, val 1" in window.statusBar().currentMessage()


def test_too_few_frames_for_val_export_all_in_train_with_a_note(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True)
    open_video(qtbot, window, write_clip(tmp_path / "clip.mp4", frames=12), tmp_path)
    _mark(qtbot, window, [2, 5])  # a quarter second apart: a val frame would be train's twin
    report = _export(qtbot, window, monkeypatch, tmp_path / "out")
    assert report.splits == {"train": [2, 5]}
    said = window.statusBar().currentMessage()
    assert "all in train" in said and "no val split" in said
    report = _export(qtbot, window, monkeypatch, tmp_path / "out2", all_train=True)
    assert report.splits == {"train": [2, 5]} and not report.notes  # asked for: nothing to explain
    assert "no val split" not in window.statusBar().currentMessage()
