"""The Fine-tune dialog's status line said "Choose a dataset and press Start." still after a dataset was
typed or chosen (and a checkpoint was there): it now says what Start will do, or the next thing missing,
until a run or Start's check takes the line over."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import WindowFactory
from tests.gui.finetune_start import read_settled


def test_the_status_says_what_start_will_do_once_a_dataset_is_chosen(qtbot, make_window: WindowFactory,
                                                                      tmp_path: Path, export: Path,
                                                                      tiny_checkpoint: Path) -> None:
    window = make_window()
    window.training.runs_dir = str(tmp_path / "runs")
    window.training.action.trigger()
    dialog = window.training.dialog
    assert dialog is not None
    dialog.checkpoint_edit.setText("")
    dialog.dataset_edit.setText("")
    read_settled(qtbot, dialog)
    assert dialog.status.text() == "Choose a dataset and press Start."
    assert not dialog.start()  # refused: the dataset is missing (said in red)
    assert "Choose the dataset" in dialog.status.text()

    dialog.dataset_edit.setText(str(export))  # as Browse… fills it
    read_settled(qtbot, dialog)
    said = dialog.status.text()
    assert "Choose a dataset" not in said and "checkpoint" in said.lower(), said  # the next thing missing

    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    said = dialog.status.text()
    assert said.startswith("Press Start to fine-tune"), said
    n = dialog.form.facts.train_images
    assert tiny_checkpoint.name in said and export.name in said and f"{n} training image" in said, said

    dialog.dataset_edit.clear()  # emptied again: asked for again
    read_settled(qtbot, dialog)
    assert dialog.status.text() == "Choose a dataset and press Start."


def test_a_dataset_typed_that_is_none_says_so_not_press_start(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                                tiny_checkpoint: Path) -> None:
    window = make_window()
    window.training.action.trigger()
    dialog = window.training.dialog
    assert dialog is not None
    dialog.checkpoint_edit.setText(str(tiny_checkpoint))
    nothing = tmp_path / "no-dataset"
    nothing.mkdir()
    dialog.dataset_edit.setText(str(nothing))
    read_settled(qtbot, dialog)
    said = dialog.status.text()
    assert "Choose a dataset and press Start." != said and not said.startswith("Press Start"), said
