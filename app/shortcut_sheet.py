"""Help ▸ Keyboard Shortcuts: every shortcut of the window in one searchable table.

The rows are read from the window when the sheet opens (the menus, walked recursively, then any
other action of the window that has a key), so they always show the keys in force, the annotation
shortcuts a user remapped included. The sheet only shows them; Annotate ▸ Annotation Shortcuts…
changes them.

Only what applies in the current mode is listed: an action hidden now (the image's analysis, its layer
keys, Run, Export View, while a video is open) does nothing on its keys, so its row is left out and a
note under the table says how many and which (:func:`hidden_rows`). A QShortcut that stands in for such
an action meanwhile (Ctrl+Shift+R predicts the whole video) is listed while it is on, under the name in
its `TEXT_PROPERTY`; an action whose keys all went to such a shortcut is not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
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

__all__ = ["GROUP_PROPERTY", "KEYS_WITHOUT_ACTION", "TEXT_PROPERTY", "ShortcutSheet", "hidden_rows", "shortcut_rows"]

GROUP_PROPERTY = "shortcut_group"  # an action outside the menus lists under this property's value ("Video")
TEXT_PROPERTY = "shortcut_text"  # a QShortcut with this property is listed, while on, under that name

#: (where, action, key) of the keys that are no action of the window, each listed after the rows
#: of its menu: Esc cancels an open under way, of images or of a video (`app.esc_cancel.EscCancel`).
KEYS_WITHOUT_ACTION: tuple[tuple[str, str, Qt.Key], ...] = (
    ("File", "Cancel Opening", Qt.Key.Key_Escape),
)


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "").strip()


def _keys(action: QAction | QShortcut) -> str:
    keys = action.shortcuts() if isinstance(action, QAction) else action.keys()
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys if not k.isEmpty())


def _stand_ins(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, name, keys) of the named QShortcuts of `window` that are on (see `TEXT_PROPERTY`)."""
    return [(shortcut.property(GROUP_PROPERTY) or "Other", shortcut.property(TEXT_PROPERTY), _keys(shortcut))
            for shortcut in window.findChildren(QShortcut)
            if shortcut.isEnabled() and shortcut.property(TEXT_PROPERTY) and _keys(shortcut)]


def _rows(window: QMainWindow, shown: bool) -> list[tuple[str, str, str]]:
    """(where, action, keys) of the actions with a key that are shown (`shown`) or hidden now."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    walked: list[QAction] = []  # the actions in the menus: listed (or left out) where the menus put them
    taken = {k for _where, _text, keys in _stand_ins(window) for k in keys.split(", ")}

    def add(where: str, action: QAction, visible: bool) -> None:
        keys, text = _keys(action), _clean(action.text())
        visible = visible and not set(keys.split(", ")) <= taken  # its keys do another thing now
        if keys and text and (text, keys) not in seen and visible == shown:
            seen.add((text, keys))
            rows.append((where, text, keys))

    def walk(menu: QMenu, where: str, visible: bool) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                walk(action.menu(), f"{where} ▸ {_clean(action.text())}", visible and action.isVisible())
            else:
                walked.append(action)  # held: its wrapper stays the one findChildren gives
                add(where, action, visible and action.isVisible())

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _clean(top.text()), top.isVisible())
    for action in window.findChildren(QAction):
        if not any(action is a for a in walked):
            add(action.property(GROUP_PROPERTY) or "Other", action, action.isVisible())
    if shown:
        rows += _stand_ins(window)
    return rows


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, action, keys) for every action of `window` with a shortcut that applies now (not
    hidden, nor in a hidden menu, nor its keys taken by a named QShortcut): the menus' first, in menu
    order ("Annotate ▸ Clean-up" for a submenu), then the window's other actions (under their
    `GROUP_PROPERTY`, else "Other"), the named QShortcuts that are on, and the `KEYS_WITHOUT_ACTION`
    after the rows of their menu."""
    rows = _rows(window, shown=True)
    for where, text, key in KEYS_WITHOUT_ACTION:
        keys = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        after = max((i + 1 for i, row in enumerate(rows) if row[0] == where), default=len(rows))
        rows.insert(after, (where, text, keys))
    return rows


def hidden_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, action, keys) of the actions with a shortcut hidden now, which :func:`shortcut_rows`
    leaves out (their keys do nothing in this mode)."""
    shown = {(text, keys) for _where, text, keys in _rows(window, shown=True)}
    return [row for row in _rows(window, shown=False) if (row[1], row[2]) not in shown]


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
        hidden = hidden_rows(window)
        names = ", ".join(text for _where, text, _keys in hidden[:4]) + (", …" if len(hidden) > 4 else "")
        #: What is not listed: the keys of the actions hidden in this mode (image-only while a video is open).
        self.note = QLabel(f"Not listed: {len(hidden)} keys of actions hidden now, as the image-only ones "
                           f"while a video is open ({names})" if hidden else "", self)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(hidden))
        hint = QLabel("Annotation keys can be changed under Annotate ▸ Annotation Shortcuts…", self)
        hint.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
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
