"""Export to SmokeSeg on the real SmokeSeg samples, one image reviewed: the dialog's notes ("Val would hold no
image: … label more images", "29 images with masks not yet reviewed will be left out") were cut once the dialog
had to show more than it opened with. Ticking Reviewed images only, then Export (its progress bar shown), left
the dialog at its first height, and the two-line split note was squeezed into one line's height, both lines
half drawn over the ratio boxes. The dialog now grows to what its rows need at its width."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

import app.annotation.export_dialog as export_dialog
from app.annotation.export_dialog import ExportDialog
from tests.gui.smokeseg_copy import writable_smokeseg

from .annotation_helpers import key, open_and_wait
from .conftest import WindowFactory


def _cut(dialog: ExportDialog) -> list[str]:
    """The wrapped labels shown lower than their text needs at their width."""
    return [f"{label.text()!r}: {label.height()} px of {label.heightForWidth(label.width())}"
            for label in dialog.findChildren(QLabel)
            if label.isVisible() and label.wordWrap() and label.text()
            and label.height() < label.heightForWidth(label.width())]


def test_the_export_dialog_grows_with_its_notes_and_progress(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    window = make_window(show=True)
    window.resize(1366, 768)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, dataset)
    assert window.opener.wait(30)
    window.annotation.start_import(dataset)  # the labels as masks (one import, no dialog)
    window.annotation.imports.wait()
    key(window, "R")  # one image reviewed (in train)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.wait(100)
    assert _cut(dialog) == []

    dialog.reviewed_only.setChecked(True)  # "29 images … will be left out"; the reviewed one alone leaves val empty
    qtbot.wait(100)
    assert dialog.reviewed_note.isVisible() and dialog.split_note.isVisible()
    qtbot.waitUntil(lambda: _cut(dialog) == [], timeout=2000)  # a note shown after the dialog opened was cut

    monkeypatch.setattr(export_dialog, "ask_check", lambda *args: None)  # held at its destination's check
    dialog.start()
    qtbot.wait(100)
    assert dialog.progress.isVisible()
    qtbot.waitUntil(lambda: _cut(dialog) == [], timeout=2000)  # the progress bar shown, a note was cut
    dialog.reject()
