"""Annotate ▸ Pre-label All… with a folder open and no model loaded said "Open a folder and a model first:
Pre-label All saves the model's masks": the folder was open, and the line did not say where a model comes from.
It now names what is missing, as Run on All Images does (real SmokeSeg photos)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory


def test_pre_label_all_without_a_model_names_the_model_only(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    window = make_window(show=True)  # no default model
    assert not window.prelabel.prelabel_all(ask=True)  # nothing open yet: both missing
    assert window.statusBar().currentMessage().startswith("Open a folder and a model first")

    folder = tmp_path / "photos"
    folder.mkdir()
    for image in sorted((shared_data / "smokeseg-samples" / "JPEGImages").iterdir())[:3]:
        shutil.copy(image, folder / image.name)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    assert not window.prelabel.prelabel_all(ask=True)
    said = window.statusBar().currentMessage()
    assert said == ("Pre-label All needs a model: open a checkpoint (Analysis ▸ Open Checkpoint…, or Open… in "
                    "the Model panel)"), said
