"""Annotate ▸ Import Labels… of a folder that holds no mask named after an image of the project (the dataset's
JPEGImages/ picked instead of the dataset, a folder of masks named otherwise): the status bar said "Imported 0
masks" and nothing else, where ``fosp project import`` says why and what a mask's name must be. The app now says
the same: nothing imported, no mask there named after an image of the project, and the name one needs
(real SmokeSeg samples)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from tests.gui.smokeseg_copy import writable_smokeseg

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory


def test_an_import_that_matches_no_image_says_why_and_how_masks_are_named(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, dataset)
    assert window.opener.wait(30)
    first = window.annotation.worklist.project.ids[0]

    for source in (dataset / "JPEGImages", tmp_path / "renamed"):
        if source.name == "renamed":  # masks named otherwise than the images
            source.mkdir()
            for i, mask in enumerate(sorted((dataset / "SegmentationClass").iterdir())[:3]):
                shutil.copy(mask, source / f"mask_{i:03d}.png")
        assert window.annotation.start_import(source)
        report = window.annotation.imports.wait()
        assert report is not None and report.imported == [] and report.skipped == []
        said = window.statusBar().currentMessage()
        assert said.startswith(f"Nothing imported: no mask in {source.name} is named after an image of this "
                               "project"), said
        assert f"{first}.png" in said, said
    worklist = window.annotation.worklist
    assert {worklist.status_of(i) for i in worklist.project.ids} == {Status.UNLABELED}  # nothing written
