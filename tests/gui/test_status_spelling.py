"""The window spells a status the house's way, "unlabelled", where it showed the stored value
"unlabeled" as it is (the worklist's Show box, its counts and tooltips, the Annotate dock, the status
bar) beside "labelled" everywhere else; the project file keeps "unlabeled" (older projects read it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.annotation.status_words import status_word
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import demo_window, settle_saves


def test_the_window_says_unlabelled_and_the_file_keeps_unlabeled(qtbot, make_window, demo_dir: Path,
                                                                 tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    messages: list[str] = []
    controller.message.connect(lambda text, _ms: messages.append(text))
    controller.set_status(Status.UNLABELED)
    worklist = window.annotation.worklist
    worklist.refresh()
    shown = [worklist.filter.itemText(i) for i in range(worklist.filter.count())]
    row = worklist.model.row_of(controller.document.image_id)
    tooltip = str(worklist.model.data(worklist.model.index(row), Qt.ItemDataRole.ToolTipRole))
    dock = window.annotation.tool_dock.status_label.text() if hasattr(window.annotation.tool_dock, "status_label") \
        else ""
    said = [*shown, worklist.counts.text(), tooltip, dock, *messages]
    assert "Unlabelled" in shown and "status: dataset label only" in tooltip and "unlabelled" in worklist.counts.text()
    # the demo's images have dataset labels: the status bar says so, as the dock and the worklist's tooltip do
    assert any("dataset label only" in m for m in messages), messages
    assert not [s for s in said if "unlabeled" in s.lower()], said
    settle_saves(window)
    project = controller.project
    assert project is not None
    stored = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in project.folder.rglob("*")
                      if path.is_file() and path.suffix in (".json", ".jsonl"))
    assert Status.UNLABELED.value == "unlabeled" and status_word(Status.UNLABELED) == "unlabelled"
    assert '"unlabeled"' in stored and "unlabelled" not in stored


def test_a_show_choice_stored_before_is_found(qtbot, make_window) -> None:
    """"Unlabeled", as an earlier version stored the Show choice, comes back as "Unlabelled"."""
    window = make_window()
    window.services.settings.setValue("annotation/worklist/show", "Unlabeled")
    window.close()
    assert make_window().annotation.worklist.filter.currentText() == "Unlabelled"
