"""Annotate ▸ Run on All Again with no model loaded (none found, none opened yet) did nothing and said nothing,
where Run on All Images (Ctrl+Shift+R, the same run) says "No model loaded: open a checkpoint (…)" in the status
bar and the Model panel. It says the same now (real SmokeSeg samples)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.analysis.model_panel import NO_MODEL_RUN_TEXT

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory


def test_run_on_all_again_without_a_model_says_what_is_needed(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    folder = tmp_path / "photos"
    folder.mkdir()
    for image in sorted((shared_data / "smokeseg-samples" / "JPEGImages").iterdir())[:3]:
        shutil.copy(image, folder / image.name)
    window = make_window(show=True)  # no default model
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, folder)
    assert window.analysis.model is None and window.analysis.model_state == "none"
    window.statusBar().clearMessage()

    action = window.annotation.actions.run_all_again
    assert action.isEnabled()
    action.trigger()
    assert window.statusBar().currentMessage() == NO_MODEL_RUN_TEXT
