"""The runs decide what the Model panel's status line does after a run's progress and end from the
kind of line it is (`ModelPanel.status_kind`, :class:`~app.analysis.model_panel.PanelStatus`), never
from its words: they looked whether the text began with "Model ready " (refresh its count) or with
"cannot"/"inference" (a failure that stays), so a reworded line broke both. A failure whose words begin
otherwise ("the model changed since this run…") was replaced by the ready line; a cancelled run's end
while another model loads replaced "Loading …" by the old model's ready line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis import runs
from app.analysis.model_panel import PanelStatus
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("ckpt") / "tiny.safetensors")


def test_a_runs_progress_refreshes_a_reworded_ready_line(qtbot, make_window, checkpoint: Path, demo_dir: Path,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    monkeypatch.setattr(runs, "ready_text", lambda device, done: f"All set on {device}: {done} finished")
    ctl._show_ready(ctl.model)
    counts: list[str] = []
    ctl.worker.progress.connect(lambda _rid, done, total: counts.append(ctl.panel.status_label.text()))
    total = len(window.session)
    assert total >= 3
    request = run_all(qtbot, ctl)
    assert request is not None
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS)
    # each progress (1 .. total of total) rewrote the line with the count: the reworded line is the ready one
    shown = [text for text in counts if text.startswith("All set on ")]
    assert len(set(shown)) >= total - 1, counts
    assert ctl.panel.status_label.text() == f"All set on cpu: {total} finished"


def test_a_failure_in_other_words_stays_after_the_run_and_loading_stays_after_a_cancel(
        qtbot, make_window, checkpoint: Path, demo_dir: Path, tmp_path: Path) -> None:
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    qtbot.waitUntil(lambda: not ctl._runs, timeout=WAIT_MS)
    ctl._runs.add(990)  # a run that failed in words that begin neither "cannot" nor "inference"
    ctl._on_failed(990, window.session.current_path, "the model changed since this run was asked for: run it again")
    ctl._on_done(990, False)
    assert ctl.panel.status_label.text().startswith("the model changed since this run")
    assert ctl.panel.status_kind is PanelStatus.FAILURE
    ctl._runs.add(991)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.load_model()  # (cancels run 991)
        ctl._on_done(991, True)  # the cancelled run ends while the model loads: "Loading …" stays
        assert ctl.panel.status_label.text().startswith("Loading tiny.safetensors")
        assert ctl.panel.status_kind is PanelStatus.LOADING
    assert ctl.panel.status_kind is PanelStatus.READY
