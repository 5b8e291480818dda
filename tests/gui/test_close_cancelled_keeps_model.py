"""A close the user cancels (Retry / Discard / Cancel, edits that cannot be saved) leaves the window as
it was: its model still runs. The analysis view stopped its inference thread at the window's Close
event, before the window asked (``MainWindow.closeEvent``): cancelled, the window stayed open with
a model that never answered again (Run did nothing, no error)."""

from __future__ import annotations

from pathlib import Path

from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "JPEGImages"


def test_a_cancelled_close_keeps_the_model_running(qtbot, make_window, tmp_path: Path,  # noqa: ANN001
                                                   monkeypatch) -> None:  # noqa: ANN001
    checkpoint = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    image = sorted(DEMO.glob("*.jpg"))[0]
    window, ctl = ready_window(qtbot, make_window, checkpoint, [image], projects_root=tmp_path / "projects")
    window.show()
    monkeypatch.setattr(window.annotation.controller, "confirm_close", lambda parent=None: False)  # Cancel
    assert not window.close()
    assert window.isVisible()
    with qtbot.waitSignal(ctl.worker.result, timeout=WAIT_MS):  # the model still answers
        assert ctl.run_current() is not None
    monkeypatch.undo()
