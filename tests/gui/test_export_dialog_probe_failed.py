"""The Export dialog's free-destination probe (`app.annotation.free_folder`) that fails - the home folder
unknown (no HOME and no passwd entry: a container run under an arbitrary user id) for a project whose
folder may not be written - answers all the same, with the folder asked about: Export is offered. Before,
the probe's thread died with the exception, no answer came, and Export stayed off, 'Looking for a free
destination folder…', until the user typed a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import app.annotation.free_folder as free_folder
from tests.gui.annotation_helpers import demo_window


def test_a_failed_probe_still_offers_export(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(free_folder, "writable_folder", lambda _folder: False)  # the project's folder: read-only
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    monkeypatch.setattr("threading.excepthook", lambda _args: None)  # (before: the thread's death, not told)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    shown = dialog.dst.text()
    qtbot.waitUntil(lambda: not dialog.probing, timeout=5000)  # before: never
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled() and dialog.dst.text() == shown
    dialog.reject()
