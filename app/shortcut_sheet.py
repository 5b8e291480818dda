"""Help ▸ Keyboard Shortcuts: every shortcut of the window in one searchable table.

The rows are read from the window when the sheet opens (the menus, walked recursively, then any
other action of the window that has a key), so they always show the keys in force, the annotation
shortcuts a user remapped included. The sheet only shows them; Annotate ▸ Annotation Shortcuts…
changes them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

__all__ = ["GROUP_PROPERTY", "KEYS_WITHOUT_ACTION", "ShortcutSheet", "shortcut_rows"]

GROUP_PROPERTY = "shortcut_group"  # an action outside the menus lists under this property's value ("Video")

#: (where, action, key) of the keys that are no action of the window, each listed after the rows
#: of its menu: Esc cancels an open under way, of images or of a video (`app.esc_cancel.EscCancel`).
KEYS_WITHOUT_ACTION: tuple[tuple[str, str, Qt.Key], ...] = (
    ("File", "Cancel Opening", Qt.Key.Key_Escape),
)


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "").strip()


def _keys(action: QAction) -> str:
    return ", ".join(
        k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()
    )


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, action, keys) for every action of `window` with a shortcut: the menus' first, in
    menu order ("Annotate ▸ Clean-up" for a submenu), then the window's other actions (under their `GROUP_PROPERTY`, else "Other"),
    and the `KEYS_WITHOUT_ACTION` after the rows of their menu."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(where: str, action: QAction) -> None:
        keys, text = _keys(action), _clean(action.text())
        if keys and text and (text, keys) not in seen:
            seen.add((text, keys))
            rows.append((where, text, keys))

    def walk(menu: QMenu, where: str) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                walk(action.menu(), f"{where} ▸ {_clean(action.text())}")
            else:
                add(where, action)

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _clean(top.text()))
    for action in window.findChildren(QAction):
        add(action.property(GROUP_PROPERTY) or "Other", action)
    for where, text, key in KEYS_WITHOUT_ACTION:
        keys = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        after = max((i + 1 for i, row in enumerate(rows) if row[0] == where), default=len(rows))
        rows.insert(after, (where, text, keys))
    return rows


class ShortcutSheet(QDialog):
    """See module doc. `filter` narrows the rows to those whose text contains what is typed."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        self.rows = shortcut_rows(window)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Search actions or keys…")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(len(self.rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab goes on to Close, not round the cells for ever
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, values in enumerate(self.rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        hint = QLabel("Annotation keys can be changed under Annotate ▸ Annotation Shortcuts…", self)
        hint.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(560, 620)

    def apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row, values in enumerate(self.rows):
            self.table.setRowHidden(row, bool(needle) and not any(needle in v.lower() for v in values))

    def visible_actions(self) -> list[str]:
        """The action names of the rows shown (for tests and scripts)."""
        return [self.rows[r][1] for r in range(len(self.rows)) if not self.table.isRowHidden(r)]
