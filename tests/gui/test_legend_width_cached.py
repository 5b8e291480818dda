"""The legend lays its note out once per content, not at each width change: resizing the Layers dock
(a drag, the window resized) built a QTextDocument for every new width to measure the note's items on
one line (:meth:`app.analysis.legend.LayerLegend._compose`); the measure is kept by content and font."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

import app.analysis.legend as legend_module
from app.analysis.layer_list import LayerList
from fosp_core.analysis.layers import LayerStack


def test_resizing_the_legend_measures_its_note_once(qtbot, monkeypatch) -> None:
    layers = LayerList(LayerStack())
    qtbot.addWidget(layers)
    layers.select("prediction mask")
    layers.show()
    QApplication.processEvents()
    measured: list[str] = []
    real = legend_module._one_line_width
    monkeypatch.setattr(legend_module, "_one_line_width",
                        lambda rich, font: measured.append(rich) or real(rich, font))
    texts = set()
    for width in range(layers.minimumSizeHint().width(), 560, 8):
        layers.resize(width, 600)
        QApplication.processEvents()
        texts.add(layers.legend.note.text())
    assert len(texts) == 2  # it still lays the items out on one line or one a line, by width
    assert measured == []  # the content did not change: measured when the layer was chosen, not since
    layers.select("error map")
    QApplication.processEvents()
    assert len(measured) == 1  # new content: measured once
