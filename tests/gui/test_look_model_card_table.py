"""Help ▸ Model Card showed its first table (architecture, parameters, weights, ...) under an empty
bordered row: the card's Markdown writes a table without headings as `| | |` over `|---|---|` (the
one way Markdown has), and Qt drew that blank heading row as a row of empty boxes. A heading row with
no text is dropped; a table with headings keeps them."""

from __future__ import annotations

from PySide6.QtGui import QTextTable

from app.help_menu import HelpDialog, model_card
from fosp_core.paths import find_model


def _tables(dialog: HelpDialog) -> list[QTextTable]:
    root = dialog.browser.document().rootFrame()
    return [frame for frame in root.childFrames() if isinstance(frame, QTextTable)]


def _row(table: QTextTable, row: int) -> list[str]:
    cells = [table.cellAt(row, column) for column in range(table.columns())]
    return [cell.firstCursorPosition().block().text().strip() for cell in cells]


def test_a_table_without_headings_has_no_empty_first_row(qtbot) -> None:
    text = "# Card\n\n| | |\n|---|---|\n| architecture | fosp-s |\n| weights | fp16 |\n"
    dialog = HelpDialog("Model Card", "markdown", text)
    qtbot.addWidget(dialog)
    (table,) = _tables(dialog)
    assert table.rows() == 2
    assert _row(table, 0) == ["architecture", "fosp-s"]


def test_a_table_with_headings_keeps_them(qtbot) -> None:
    text = "| split | n |\n|---|---|\n| total | 164 |\n"
    dialog = HelpDialog("Model Card", "markdown", text)
    qtbot.addWidget(dialog)
    (table,) = _tables(dialog)
    assert table.rows() == 2
    assert _row(table, 0) == ["split", "n"]


def test_the_bundled_card_opens_on_its_architecture_row(qtbot) -> None:
    model = find_model()
    if model is None:
        import pytest

        pytest.skip("no bundled model here")
    kind, text = model_card(model)
    dialog = HelpDialog("Model Card", kind, text, base=model.parent)
    qtbot.addWidget(dialog)
    tables = _tables(dialog)
    assert tables, "the card has its tables"
    assert all(any(_row(table, 0)) for table in tables), [_row(t, 0) for t in tables]
