"""Export to SmokeSeg of a SmokeSeg dataset whose own labels were never brought in (real SmokeSeg samples): one
image labelled in the app, "every image with a mask" exported it alone, and the dialog said nothing before
Export of the 29 person-made labels the dataset holds (ground truth only in the app: not masks, so not
exported); only the summary after said "29 without a mask left out". The dialog now says, before Export, how
many of the dataset's labels the export will not hold and how to bring them in."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.gui.smokeseg_copy import writable_smokeseg

from .annotation_helpers import open_and_wait
from .conftest import WindowFactory


def test_the_export_dialog_says_the_dataset_labels_it_will_not_hold(
        qtbot, make_window: WindowFactory, shared_data: Path, tmp_path: Path,  # noqa: ANN001 - qtbot
        monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = writable_smokeseg(shared_data, tmp_path, monkeypatch)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, window, dataset)
    assert window.opener.wait(30)
    controller = window.annotation.controller
    mask = np.zeros(controller.document.shape, np.uint8)
    mask[200:240, 220:260] = 1
    controller.document.replace_mask(mask)  # the annotator's own mask on the first image
    controller.open_documents.flush()

    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    note = getattr(dialog, "labels_note", None)
    assert note is not None and note.isVisible(), "nothing said of the 29 labels left out"
    assert note.text() == ("29 of 30 SegmentationClass labels are not in this export (ground truth only): "
                           "Annotate ▸ Import Labels… brings them in first")
    dialog.reject()

    window.annotation.start_import(dataset)
    window.annotation.imports.wait()
    dialog = window.annotation.open_export_dialog()
    qtbot.waitExposed(dialog)
    assert not dialog.labels_note.isVisible()  # all brought in: nothing to say
    dialog.reject()
