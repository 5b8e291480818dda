"""Session 32 review: a destination typed as ``~out`` (for ``~/out``) names the home of a user 'out', who is not
there: ``Path(text).expanduser()`` raised RuntimeError in the Export dialogs' OK. The video's Export frames
dialog had disabled OK before and left it so (stuck: no answer, no word, OK greyed); the image Export dialog's
Export raised the same. `app.annotation.export_checks.typed_problem` now says why, reading nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.annotation.export_checks import typed_problem
from app.video.export_dialog import VideoExportDialog

NO_SUCH_USER = "~no-such-user-r2s32"


def test_typed_problem_says_a_home_of_no_user_here(tmp_path: Path) -> None:
    words = typed_problem(f"{NO_SUCH_USER}/frames", tmp_path)
    assert words is not None and NO_SUCH_USER in words and "~/" in words
    assert typed_problem("~/frames", tmp_path) is None  # one's own home: a full path


def test_the_video_dialog_says_why_and_keeps_ok(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)
    dialog = VideoExportDialog(tmp_path / "videos" / "clip-smokeseg", {"keyframes": 3, "edited": 3})
    qtbot.addWidget(dialog)
    dialog.dst.setText(f"{NO_SUCH_USER}/frames")
    dialog.ok_button.click()  # raised RuntimeError in accept, OK left disabled
    qtbot.wait(200)
    assert dialog.result() != VideoExportDialog.DialogCode.Accepted
    assert dialog.error_label.isVisibleTo(dialog) and NO_SUCH_USER in dialog.error_label.text()
    assert dialog.ok_button.isEnabled() and not dialog.checking
