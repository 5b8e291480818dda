"""The video's Export frames dialog took a blank or relative destination (``Path(text).expanduser()``): a blank
one was ``.``, the folder the app was started from (the user never sees it), and ``frames`` one there. It says
why now, as the image Export dialog does (`app.annotation.export_checks.typed_problem`), with nothing read.

The app's refusal of a folder of one's own files names up to 3 of them, in the rule the writer and every
``--overwrite`` follow (`fosp_core.data.export_folder`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.annotation.export_worker import refusal_words
from app.video.export_dialog import VideoExportDialog


@pytest.mark.parametrize("text", ["", "   ", "frames"])
def test_a_blank_or_relative_destination_is_said_not_taken(qtbot, tmp_path: Path, text: str,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # were the dialog to take it, the frames would land here
    dialog = VideoExportDialog(tmp_path / "videos" / "clip-smokeseg", {"keyframes": 3, "edited": 3})
    qtbot.addWidget(dialog)
    dialog.dst.setText(text)
    dialog.ok_button.click()
    qtbot.wait(300)  # a check's answer (were one asked) comes on the GUI thread
    assert dialog.result() != VideoExportDialog.DialogCode.Accepted  # was: accepted, dst '.' or 'frames'
    assert dialog.error_label.isVisibleTo(dialog) and not dialog.checking and dialog.ok_button.isEnabled()
    words = dialog.error_label.text()
    assert ("Type the folder" in words) if not text.strip() else \
        (f"{text} is not a full path" in words and str(tmp_path / "videos" / text) in words)
    dialog.dst.setText(str(tmp_path / "out"))  # a full path: taken
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.result() == VideoExportDialog.DialogCode.Accepted, timeout=20000)
    assert dialog.choice().dst == tmp_path / "out"


def test_the_apps_refusal_names_three_of_ones_own_files(tmp_path: Path) -> None:
    mine = tmp_path / "Documents"
    mine.mkdir()
    for name in ("d.txt", "a.txt", "c.txt", "b.txt", "JPEGImages", ".DS_Store"):
        (mine / name).write_text("mine")
    assert refusal_words(mine, None, True) == (f"{mine} holds files that are not an export's (e.g. a.txt, b.txt, "
                                               "c.txt and 1 more): choose another folder (Replace would delete them)")
