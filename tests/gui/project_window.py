"""A window on the demo's photos with the tiny model ready and the annotation project open, and a
Pre-label All held after its first image: the set-up the pre-label and Run on all window tests share."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.gui.tiny_model import WAIT_MS, ready_window

__all__ = ["held_after_first", "project_window"]


def project_window(qtbot, make_window, checkpoint: Path, demo: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    """`ready_window` on folder `demo` with `checkpoint`, projects under ``tmp_path / "projects"``, once
    the annotation view has its document and project: (window, analysis controller)."""
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo], projects_root=tmp_path / "projects")
    controller = window.annotation.controller
    qtbot.waitUntil(lambda: controller.document is not None and controller.project is not None, timeout=WAIT_MS)
    return window, ctl


def held_after_first(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Pre-label's job waits after its first image until the event returned is set."""
    from app.annotation import prelabel_runs

    real, gate = prelabel_runs.prelabel, threading.Event()

    def held(project, probability, stamp, *, progress, cancelled, **options):  # noqa: ANN001, ANN003, ANN202
        def told(done: int, total: int) -> None:
            progress(done, total)
            if done == 1:
                gate.wait(20)

        return real(project, probability, stamp, progress=told, cancelled=cancelled, **options)

    monkeypatch.setattr(prelabel_runs, "prelabel", held)
    return gate
