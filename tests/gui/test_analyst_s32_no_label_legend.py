"""An image without a ground truth (no label file beside it), its result shown: the "ground truth" and
"error map" rows were greyed with no word why (a map the model lacks says "This model has no ..."), and
selecting one, the legend showed its colours ("■ false positive ■ false negative") as if it were drawn.
Both now say there is no ground truth for this picture and where one would be, in the legend and in
the row's tooltip. The legend's note is rich text always: words escaped for it (an apostrophe as &#x27;)
read as such where no colour mark came with them (Qt took the note for plain text and showed the code)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from app.analysis.legend import missing_words
from fosp_core.infer.result import Prediction

SHOWN = {"probability", "prediction mask", "focus map", "hole", "τ contour", "separated background",
         "foreground energy /4"}


def test_the_label_layers_of_a_result_without_ground_truth_say_why() -> None:
    truth, errors = missing_words("ground truth", SHOWN), missing_words("error map", SHOWN)
    assert truth.startswith("No ground truth for this picture") and "SegmentationClass" in truth, truth
    assert errors.startswith("No error map: no ground truth for this picture"), errors
    assert missing_words("ground truth", SHOWN | {"ground truth", "error map"}) == ""
    assert missing_words("error map", set()) == ""  # no result: nothing to say


def test_the_legend_and_row_say_it_in_the_window(qtbot, make_window, tmp_path: Path) -> None:
    path = tmp_path / "alone.png"  # no label folder beside it
    Image.fromarray(np.full((20, 30, 3), 120, np.uint8)).save(path)
    window = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    probability = np.zeros((20, 30), np.float32)
    probability[5:10, 5:12] = 0.9
    window.analysis._show(Prediction(probability=probability))
    layers = window.analysis.layer_list
    qtbot.waitUntil(lambda: "prediction mask" in layers._arrays)
    layers.select("error map")
    text = layers.legend.text()
    assert text.startswith("No error map: no ground truth for this picture") and "false positive" not in text.split("\n")[0]
    note = layers.legend.note  # as it reads on screen: the words escaped for rich text read as words
    rich = note.textFormat() == Qt.TextFormat.RichText or (
        note.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(note.text()))
    document = QTextDocument()
    document.setHtml(note.text()) if rich else document.setPlainText(note.text())
    assert "an image's is its label file" in document.toPlainText(), document.toPlainText()
    row = next(layers.list.item(i) for i in range(layers.list.count()) if layers.list.item(i).text() == "ground truth")
    assert row.toolTip().startswith("No ground truth for this picture"), row.toolTip()
