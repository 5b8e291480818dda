"""A newcomer's first hour: the window, opened with nothing (no settings, no recent files), says what
to do first; each dock says what it is for while it has nothing to show; the Help menu leads to a
quick start, the model card and the keys; the Model panel's expert settings say what they are in
plain words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from app.help_menu import GETTING_STARTED_TITLE, MODEL_CARD_TITLE
from app.main_window import MainWindow
from fosp_core import __version__
from fosp_core.paths import find_model
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A tiny fosp-s checkpoint (random weights: the wiring, not the smoke)."""
    return save_tiny_checkpoint(tmp_path / "tiny.safetensors")


def _help_actions(window: MainWindow) -> dict[str, object]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help")
    return {a.text().replace("&", "").rstrip("…"): a for a in menu.actions() if a.text()}


def test_the_empty_window_says_every_way_to_open(make_window: WindowFactory) -> None:
    window = make_window()
    hint = window.canvas.placeholder
    assert not hint.isHidden()
    text = hint.text()
    for words in ("Ctrl+O", "folder", "video", "drop"):  # File ▸ Open… opens videos too: the hint said no word of them
        assert words in text, text


def test_the_layers_dock_says_what_fills_it_until_a_result(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                                             tiny: Path, tmp_path: Path) -> None:
    window = make_window()
    note = window.analysis.layer_list.empty_note
    assert not note.isHidden()  # twelve greyed rows and no word why
    assert "Open a model first" in note.text(), note.text()  # no model: Run on this image is disabled
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path)
    note = ctl.layer_list.empty_note
    assert not note.isHidden()  # an image open, no result yet
    assert "Run on This Image" in note.text() and "Ctrl+R" in note.text(), note.text()
    assert ctl.run_current() is not None
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: note.isHidden(), timeout=WAIT_MS)  # the layers have something now


def test_the_other_docks_say_what_they_are_for_when_empty(make_window: WindowFactory) -> None:
    window = make_window()
    worklist = window.annotation.worklist  # no project: the worklist says what it will list
    assert "Open a folder" in worklist.empty_note.text()
    annotate = window.annotation.tool_dock.status_label.text()
    assert "No image open" in annotate, annotate
    run = window.analysis.action_run
    assert not run.isEnabled() and "open an image or a folder first" in run.toolTip()


def test_help_has_a_quick_start_the_model_card_the_keys_and_the_version(qtbot, make_window: WindowFactory) -> None:  # noqa: ANN001
    window = make_window(default_model=find_model())
    actions = _help_actions(window)
    for entry in (GETTING_STARTED_TITLE, MODEL_CARD_TITLE, "Keyboard Shortcuts", "About FoSp Studio"):
        assert entry in actions, list(actions)
        assert actions[entry].isEnabled()
    actions[GETTING_STARTED_TITLE].trigger()
    dialog = window.help.dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text()
    for words in ("Ctrl+O", "Run on this image", "Ctrl+R", "Brush", "Export", "F1", __version__):
        assert words in text, words
    actions[MODEL_CARD_TITLE].trigger()
    card = window.help.dialog
    assert card is not None and card.isVisible() and card is not dialog and not dialog.isVisible()
    text = card.text()
    assert "fosp-default.safetensors" in text and "training data" in text, text[:300]


def test_the_model_card_without_a_model_says_where_one_is_looked_for(make_window: WindowFactory, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOSP_MODELS", str(tmp_path / "models"))
    window = make_window(default_model=None)
    _help_actions(window)[MODEL_CARD_TITLE].trigger()
    text = window.help.dialog.text()
    assert "No model" in text and str(tmp_path / "models") in text and "fosp-default.safetensors" in text, text
    assert "Open…" in text  # what to do about it


def test_the_focus_threshold_is_said_in_plain_words(make_window: WindowFactory) -> None:
    panel = make_window().analysis.panel
    tip = panel.tau.slider.toolTip()
    assert "inpainting" not in tip, tip  # a newcomer's word for it: "repaints"
    assert "the model sets it" in tip, tip
    labels = {lab.text(): lab for lab in panel.findChildren(QLabel)}
    for row in ("Focus τ", "Regions", "Mask threshold"):  # hovering the row's words says what they set
        assert labels[row].toolTip(), row


def test_a_link_in_the_model_card_opens_its_file_not_a_blank_page(make_window: WindowFactory,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    model = find_model()
    window = make_window(default_model=model)
    card = window.help.show_model_card()
    text = card.browser.toPlainText()
    card.browser.anchorClicked.emit(QUrl("fosp-default.card.json"))  # as a click on the card's first link
    assert card.browser.toPlainText() == text  # the card stays (QTextBrowser went to an empty page)
    assert [url.toLocalFile() for url in opened] == [str(model.parent / "fosp-default.card.json")]


def test_the_scores_say_what_they_need_while_there_are_none() -> None:
    from app.analysis.readouts import metrics_note

    note = metrics_note(0, 0, 0.5, 0.15, "plain")  # a researcher's own photos: no smoke label of theirs
    assert note.startswith("no labelled results yet"), note
    assert "smoke label" in note and "Run on" in note, note


def test_help_windows_opened_one_after_another_are_not_kept(make_window: WindowFactory) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from app.help_menu import HelpDialog

    window = make_window()
    for _ in range(3):  # each opening closes the one before: only hidden, it stayed a child of the window
        window.help.show_getting_started()
        window.help.show_model_card()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(HelpDialog) == [window.help.dialog]
