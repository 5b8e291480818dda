"""Compare Two Checkpoints' "trained on" column says what a user can trust ("A: not recorded, B: no",
never "?") and is tied to its run: a mark, row or end of a cancelled comparison never lands on the
next comparison's rows (app/training/compare_runner.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from PySide6.QtCore import QSettings

from app.training.compare_dialog import CompareDialog
from app.training.compare_table import COLUMNS, trained_cell
from fosp_core.analysis.settings import AnalysisSettings
from fosp_core.trained_on import METADATA_KEY, fingerprint
from tests.gui.tiny_model import save_tiny_checkpoint

WAIT_MS = 120_000


@pytest.mark.parametrize(("pair", "recorded", "said"), [
    ((None, False), (False, True), "A: not recorded, B: no"),
    ((None, True), (False, True), "A: not recorded, B: yes"),
    ((True, None), (True, False), "A: yes, B: not recorded"),
    ((None, False), (True, True), "A: unknown, B: no"),  # A records, but cannot say for this file
    ((None, None), (False, False), "not recorded"),
    ((False, False), (True, True), "no"),
    ((True, True), (True, True), "A, B"),
    ((False, True), (True, True), "B"),
    (None, (True, True), "unknown"),
])
def test_the_trained_on_cell_says_what_each_checkpoint_knows(pair, recorded, said) -> None:  # noqa: ANN001
    assert trained_cell(pair, recorded) == said


def _cells(dialog: CompareDialog) -> dict[str, str]:
    column = COLUMNS.index("trained on")
    return {dialog.table.path_at(r).name: dialog.table.item(r, column).text() for r in range(dialog.table.rowCount())}


def test_a_cancelled_runs_marks_never_land_on_the_next_runs_rows(qtbot, demo_dir: Path, tmp_path: Path) -> None:
    torch.set_num_threads(1)
    paths = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    start = save_tiny_checkpoint(tmp_path / "start.safetensors", seed=0)  # records nothing
    all_of_them = save_tiny_checkpoint(tmp_path / "all.safetensors", seed=1,
                                       metadata={METADATA_KEY: fingerprint(paths).to_metadata()})
    none_of_them = save_tiny_checkpoint(tmp_path / "none.safetensors", seed=2,
                                        metadata={METADATA_KEY: fingerprint([]).to_metadata()})
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = CompareDialog(settings, AnalysisSettings(start, device="cpu"), lambda: paths, input_size=64)
    qtbot.addWidget(dialog)
    first_run: list[tuple] = []  # what the worker sent for the first run: its id and each mark
    dialog.worker.trained.connect(lambda run, path, pair: first_run.append((run, path, pair)))
    try:
        dialog.set_checkpoints(start, all_of_them)
        dialog.runner.row.connect(dialog.cancel)  # cancel at the first row
        with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS) as done:
            assert dialog.start()
        dialog.runner.row.disconnect(dialog.cancel)
        assert done.args == [True] and 1 <= dialog.table.rowCount() < len(paths)
        assert set(_cells(dialog).values()) == {"A: not recorded, B: yes"}
        old_run, _, _ = first_run[0]

        dialog.set_checkpoints(start, none_of_them)  # B trained on none of them: held out of B, every one
        assert dialog.start()
        for path in paths:  # the cancelled run's marks, arriving late (queued behind the new start)
            dialog.worker.trained.emit(old_run, path, (None, True))
        dialog.worker.done.emit(old_run, True)  # and its end: the new run goes on
        assert dialog.running()
        with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS) as done:
            pass
        assert done.args == [False]
        assert _cells(dialog) == {p.name: "A: not recorded, B: no" for p in paths}
        assert dialog.runner.dropped == len(paths) + 1
        assert {p: pair for p, pair in dialog.marks.items()} == {p: (None, False) for p in paths}
    finally:
        dialog.shutdown()
