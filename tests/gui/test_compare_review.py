"""Review of Compare Two Checkpoints as a user sees it (dialog built alone, tiny models): the
table's first order, the change column's sign, and the progress of an "only images with a ground
truth" run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from app.training.compare_dialog import CompareDialog
from fosp_core.analysis.compare import CompareRow
from fosp_core.analysis.results import Scores
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.tiny_model import INPUT, save_tiny_checkpoint

WAIT_MS = 60_000


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("models")
    return (save_tiny_checkpoint(folder / "start.safetensors", seed=0),
            save_tiny_checkpoint(folder / "tuned.safetensors", seed=1))


@pytest.fixture
def make_dialog(qtbot, tmp_path: Path, checkpoints: tuple[Path, Path]) -> Iterator:
    made: list[CompareDialog] = []

    def factory(paths: list[Path]) -> CompareDialog:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        dialog = CompareDialog(settings, AnalysisSettings(checkpoints[0], device="cpu"), lambda: paths,
                               input_size=INPUT)
        qtbot.addWidget(dialog)
        dialog.set_checkpoints(*checkpoints)
        made.append(dialog)
        return dialog

    yield factory
    for dialog in made:
        dialog.shutdown()


def _scores(f_beta: float) -> Scores:
    return Scores(1, f_beta, 0.5, 0.5, 0.5, 0.1)


def test_a_change_that_rounds_to_nothing_shows_without_a_minus(make_dialog) -> None:
    """A change of -0.004 points showed as "-0.0" beside "+0.0" rows: same value, two signs (the
    summary line already writes "+0.00")."""
    dialog = make_dialog([])
    for change in (-0.00004, 0.00004, -0.002):
        dialog._on_row(CompareRow(Path(f"{change}.jpg"), (0.1, 0.1), 1.0, (_scores(0.5), _scores(0.5 + change)), 0.05),
                       b"", b"")
    texts = [dialog.table.item(r, 4).text() for r in range(3)]
    assert texts == ["+0.0", "+0.0", "-0.2"]


def test_rows_keep_the_image_order_when_the_run_ends(qtbot, make_dialog, demo_dir: Path) -> None:
    """When a run ended the table turned on sorting with Qt's default indicator, column 0
    descending: the images jumped to Z→A."""
    paths = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    dialog = make_dialog(paths)
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    shown = [dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(dialog.table.rowCount())]
    assert shown == [str(p) for p in paths]
    header = dialog.table.horizontalHeader()  # a click on a column still sorts by it
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(header.sectionViewportPosition(4) + 5, 5))
    assert header.sortIndicatorSection() == 4
    changes = [float(dialog.table.item(r, 4).data(Qt.ItemDataRole.UserRole)) for r in range(len(paths))]
    assert changes == sorted(changes) or changes == sorted(changes, reverse=True)


def test_labelled_only_run_ends_with_a_full_bar_and_says_what_it_left_out(qtbot, make_dialog, demo_dir: Path,
                                                                        tmp_path: Path) -> None:
    """With "only images with a ground truth", the images without one were skipped silently: the
    run said "Done" with the bar stuck at 4 / 5 images."""
    labelled = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    other = tmp_path / "photos" / "unlabelled.jpg"
    other.parent.mkdir()
    shutil.copy(labelled[0], other)
    dialog = make_dialog([*labelled, other])
    dialog.scope.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    assert len(dialog.rows) == len(labelled)
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum() == len(labelled) + 1
    assert "1 image without a ground truth left out" in dialog.status.text(), dialog.status.text()
