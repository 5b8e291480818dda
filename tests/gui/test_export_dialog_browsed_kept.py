"""The Export dialog, its suggested destination still being probed (`app.annotation.free_folder`): a folder
the user browses to is the one to export to, even the very folder the dialog shows (an earlier export's,
to replace it). Before, browsing to the folder shown changed no text, so the dialog went on waiting, and the
probe's answer then put its free name (``-2``) in place of the user's choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from tests.gui.annotation_helpers import demo_window
from tests.gui.test_export_dialog_probe_off_thread import _DeadDrive, dead_drive  # noqa: F401 - the fixture


def test_the_folder_shown_browsed_to_while_probing_is_kept(qtbot, make_window, demo_dir: Path,  # noqa: ANN001
                                                           tmp_path: Path, dead_drive: _DeadDrive,  # noqa: F811
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    earlier = tmp_path / "demo-smokeseg"
    (earlier / "images").mkdir(parents=True)
    (earlier / "images" / "a.jpg").write_bytes(b"x")  # an earlier export: the free name would be -2
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None and dialog.probing and Path(dialog.dst.text()) == earlier
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args, **_kw: str(earlier))
    dialog._browse()  # the user browses to the folder shown: that one, to replace it
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not dialog.probing and ok.isEnabled()  # before: still waiting for the probe
    with qtbot.waitSignal(dialog.free_probe.found):
        dead_drive.release()
    assert Path(dialog.dst.text()) == earlier  # before: demo-smokeseg-2
    dialog.reject()
