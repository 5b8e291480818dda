"""Annotate ▸ Import Labels… given another copy of the project (a teammate's images folder, its .fosp
inside) takes each image with its status there (`fosp_core.annotation.project_merge`): the dialog's "These
labels are: made by people / a model's predictions" is not used, yet it stayed offered as if it were, and
with "a model's predictions" chosen the status bar said "Imported 2 masks as a model's predictions" over
masks that came in reviewed. Now the dialog says what happens to a copy (statuses kept) and takes the
choice away while a copy is selected; the status bar says the copy's statuses were kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

import app.annotation as annotation_ui
from app.annotation.import_labels_dialog import ImportChoice, LabelSourceDialog
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import open_and_wait


def _copies(tmp_path: Path) -> tuple[Path, Path]:
    """Alice's images folder and Bob's copy of it, with b reviewed and c a model's there."""
    alice = tmp_path / "alice"
    alice.mkdir()
    for name in "abc":
        cv2.imwrite(str(alice / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    bob = Path(shutil.copytree(alice, tmp_path / "bob"))
    with Project.open(bob) as project:
        smoke = np.zeros((40, 60), np.uint8)
        smoke[:7, :7] = 1
        project.save_mask("b", smoke, Status.REVIEWED)
        project.save_mask("c", smoke, Status.PREDICTED)
    return alice, bob


def test_a_copy_selected_takes_the_made_by_choice_away_and_says_why(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    alice, bob = _copies(tmp_path)
    dialog = LabelSourceDialog(None, str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.made_by_model.click()
    dialog.selectFile(str(bob))
    assert not dialog.made_by_people.isEnabled() and not dialog.made_by_model.isEnabled()
    assert dialog.copy_note.isVisibleTo(dialog), "nothing says what happens to a copy's statuses"
    assert "copy of a project" in dialog.copy_note.text() and "status" in dialog.copy_note.text()
    dialog.selectFile(str(alice / "a.jpg"))  # not a copy: the choice is back, as it was
    assert dialog.made_by_model.isEnabled() and dialog.made_by_model.isChecked()
    assert not dialog.copy_note.isVisibleTo(dialog)


def test_a_copy_imported_with_a_models_chosen_is_not_said_to_be_a_models(  # noqa: ANN001
        qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alice, bob = _copies(tmp_path)

    def ask(parent, directory: str = "") -> ImportChoice | None:  # noqa: ANN001 - ask_label_source as answered
        dialog = LabelSourceDialog(parent, str(tmp_path))
        dialog.made_by_model.click()  # chosen first, then the copy selected
        dialog.selectFile(str(bob))
        dialog.accept()
        choice = dialog.choice()
        dialog.deleteLater()
        return choice

    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, alice)
    monkeypatch.setattr(annotation_ui, "ask_label_source", ask)
    window.annotation.import_labels_dialog()
    window.annotation.imports.wait()
    project = window.annotation.controller.project
    assert project.entry("b").status == Status.REVIEWED and project.entry("c").status == Status.PREDICTED
    said = window.statusBar().currentMessage()
    assert said.startswith("Imported 2 masks"), said
    assert "model's predictions" not in said and "status" in said, said
    window.annotation.controller.close()
