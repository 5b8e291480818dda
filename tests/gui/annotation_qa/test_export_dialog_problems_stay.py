"""Export to SmokeSeg… when an image could not be exported (its file renamed or changed on disk since it
was labelled): the dialog closed as after a clean export, and the images not exported were named
only in the status bar, for 12 seconds, at the end of a long line. The dialog now stays open after
such an export, naming them, with Close to dismiss it; a clean export still closes it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialogButtonBox

from tests.gui.annotation_helpers import drag, key, settle_saves


def test_images_not_exported_are_named_in_the_dialog_which_stays(qtbot, window, tmp_path: Path) -> None:
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])  # the first image labelled
    window.session.next()
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None
                    and controller.image_path == window.session.current_path, timeout=10000)
    drag(window, [(100, 100), (150, 100)])  # and the second
    settle_saves(window)
    moved = window.session.current_path
    moved.rename(moved.with_name("renamed.jpg"))  # by another program, after it was labelled
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exported, timeout=20000) as exported:
        dialog.start()
    report = exported.args[0]
    assert report.count == 1 and [i for i, _ in report.problems] == [moved.stem]
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert f"{moved.stem}: image missing" in dialog.error_label.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()  # done: not again
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Close"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert not dialog.isVisible()


def test_a_clean_export_still_closes_the_dialog(qtbot, window, tmp_path: Path) -> None:
    key(window, "B")
    drag(window, [(100, 100), (150, 100)])
    dialog = window.annotation.open_export_dialog()
    dialog.dst.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exported, timeout=20000):
        dialog.start()
    assert not dialog.isVisible()
