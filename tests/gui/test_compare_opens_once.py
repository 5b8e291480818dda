"""Analysis ▸ Compare Two Checkpoints… counts the open images once when it first opens: the dialog's
constructor refreshed, and `TrainingUI.open_compare` refreshed it again straight after (the pass over
every open image's label and project mask, twice). Opened again later, it recounts once (images may
have been opened or annotated meanwhile). Counted refreshes and passes, in a real window."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.training import compare_dialog
from app.training.compare_dialog import CompareDialog
from fosp_core.analysis.compare_truth import ProjectTruth
from tests.gui.annotation_helpers import demo_window
from tests.gui.conftest import WindowFactory


def test_first_opening_counts_the_images_once_and_a_reopening_once_again(
        qtbot, make_window: WindowFactory, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    refreshes: list[str] = []
    passes: list[int] = []
    refresh, take = CompareDialog.refresh, ProjectTruth.take
    monkeypatch.setattr(CompareDialog, "refresh", lambda self: refreshes.append("refresh") or refresh(self))
    monkeypatch.setattr(compare_dialog.ProjectTruth, "take",
                        staticmethod(lambda paths, *a, **k: passes.append(len(paths)) or take(paths, *a, **k)))
    dialog = window.training.open_compare()
    n = len(window.session.paths)
    assert n > 1
    assert dialog.status.text().startswith(f"{n} images open, "), dialog.status.text()
    assert (refreshes, passes) == (["refresh"], [n])
    dialog.close()
    assert window.training.open_compare() is dialog
    assert (refreshes, passes) == (["refresh"] * 2, [n, n])
