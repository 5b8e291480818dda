"""The Model panel's Open… button says what it opens to a screen reader ("Open a model checkpoint"), as the
Compare dialog's "Browse for checkpoint A" and the Fine-tune dialog's "Browse for the checkpoint to start
from" do: the keyboard sweep's Tab walk of the window read it as a bare "Open…", which File ▸ Open… (Ctrl+O,
images) is called too."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.analysis.model_panel import ModelPanel
from tests.gui.accessibility import accessible_name


def test_the_open_button_names_a_checkpoint(qtbot, make_window) -> None:  # noqa: ANN001
    window = make_window(show=True)
    panel = window.findChild(ModelPanel)
    assert panel is not None
    button = panel.open_button
    assert accessible_name(button) == "Open a model checkpoint"
    assert button.text() == "Open…"  # what the eye reads stays short
    QApplication.processEvents()
