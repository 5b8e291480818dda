"""The Model panel's status line starts each message with a capital, as its others do ("Model ready
(CPU) · …", "No model loaded: …"): it said "loading fosp-default.safetensors…" and "cancelling…"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")


def test_loading_and_cancelling_say_so_with_a_capital(qtbot, make_window, checkpoint: Path, demo_dir: Path,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    said: list[str] = []
    show = ctl.panel.show_status
    monkeypatch.setattr(ctl.panel, "show_status", lambda text, *rest, **kw: (said.append(text), show(text, *rest, **kw)))
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.load_model()
    run_all(qtbot, ctl)
    ctl.cancel()
    loading = [t for t in said if "tiny.safetensors" in t]
    assert loading and any("ancelling" in t for t in said), said
    assert all(t[0].isupper() for t in said), said
