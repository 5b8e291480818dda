"""Annotation shortcuts: the default key map, remapping stored in QSettings, and a settings dialog.

Every annotation action has a stable id (tools use their `Tool` value). `ShortcutMap` reads the
user's keys from ``shortcuts/<id>`` (a list of portable key strings; an empty list unbinds) and
applies them to the QActions, writing the keys into each action's tooltip and status tip so menus
and buttons always show the current binding.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.esc_cancel import is_esc
from app.panels import fit_to_screen
from app.shortcut_modes import never_on_together
from app.theme import ERROR_COLOR

__all__ = ["DEFAULT_SHORTCUTS", "ShortcutDialog", "ShortcutMap"]

_PREFIX = "shortcuts/"
_WIDE_KEY = "Ctrl+Shift+Z"  # the Shortcut column fits at least this
_KEY_CELL_MARGINS = 20  # the editor's frame and text margins, and the cell's

DEFAULT_SHORTCUTS: dict[str, list[str]] = {
    "navigate": ["V"],
    "brush": ["B"],
    "eraser": ["E"],
    "ignore_brush": ["I"],
    "threshold_brush": ["T"],
    "polygon_fill": ["P"],
    "polygon_cut": ["Shift+P"],
    "lasso_fill": ["L"],
    "lasso_cut": ["Shift+L"],
    "flood_fill": ["G"],
    "wand": ["W"],
    "brush_smaller": ["["],
    "brush_larger": ["]"],
    "undo": ["Ctrl+Z"],
    "redo": ["Ctrl+Shift+Z", "Ctrl+Y"],
    "save_now": ["Ctrl+S"],
    "cancel": ["Esc"],
    "close_polygon": ["Return", "Enter"],
    "accept_prediction": ["Shift+A"],
    "threshold_to_mask": ["Shift+T"],
    "copy_previous_mask": ["Shift+C"],
    "clear_mask": ["Delete", "Backspace"],  # a Mac's Delete key is Backspace
    "fill_holes": ["Shift+H"],
    "remove_specks": ["Shift+K"],
    "dilate": ["Shift+D"],
    "erode": ["Shift+E"],
    "smooth": ["Shift+S"],
    "outline": ["O"],
    "toggle_mask": ["M"],
    "mark_reviewed": ["R"],
    "next_unreviewed": ["N"],
    "previous_unreviewed": ["Shift+N"],
    "first_image": ["Home"],  # the worklist's first / last image, as other viewers' Home / End
    "last_image": ["End"],
    "import_labels": [],
    "export": ["Ctrl+E"],
    "shortcut_settings": [],
}


def _text(keys: list[str]) -> str:
    return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


class ShortcutMap:
    """Keys per action id: defaults overridden by the user's settings."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings
        self.actions: dict[str, QAction] = {}
        self._tips: dict[str, str] = {}

    def keys(self, action_id: str) -> list[str]:
        """The keys bound to `action_id` (portable strings such as "Ctrl+Shift+Z")."""
        stored = self.settings.value(_PREFIX + action_id)
        if stored is None:
            return list(DEFAULT_SHORTCUTS.get(action_id, []))
        if isinstance(stored, str):
            stored = [stored] if stored else []
        return [str(k) for k in stored if str(k)]

    def set_keys(self, action_id: str, keys: list[str]) -> None:
        """Store the user's keys for `action_id` (the default's keys clear the override)."""
        if keys == DEFAULT_SHORTCUTS.get(action_id, []):
            self.settings.remove(_PREFIX + action_id)
        else:
            self.settings.setValue(_PREFIX + action_id, list(keys))
        if action_id in self.actions:
            self._apply(action_id)

    def register(self, action_id: str, action: QAction, tip: str) -> None:
        """Bind `action` to the keys of `action_id` now and on every later change."""
        self.actions[action_id] = action
        self._tips[action_id] = tip
        self._apply(action_id)

    def _apply(self, action_id: str) -> None:
        action, keys = self.actions[action_id], self.keys(action_id)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = self._tips[action_id]
        action.setToolTip(f"{tip} ({_text(keys)})" if keys else tip)
        action.setStatusTip(tip)


class ShortcutDialog(QDialog):
    """Edit the annotation shortcuts: one row per action, the first key editable."""

    def __init__(self, shortcuts: ShortcutMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotation Shortcuts")
        self.shortcuts = shortcuts
        self.ids = sorted(shortcuts.actions, key=lambda i: shortcuts.actions[i].text().replace("&", ""))
        self.table = QTableWidget(len(self.ids), 2, self)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.setAccessibleName("Annotation shortcuts")
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)  # Tab goes on through the key editors to OK, not round the cells
        self.editors: dict[str, QKeySequenceEdit] = {}
        for row, action_id in enumerate(self.ids):
            item = QTableWidgetItem(shortcuts.actions[action_id].text().replace("&", "").replace("…", ""))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, 0, item)
            keys = shortcuts.keys(action_id)
            editor = QKeySequenceEdit(QKeySequence(keys[0]) if keys else QKeySequence(), self.table)
            editor.setClearButtonEnabled(True)
            editor.setAccessibleName(f"Shortcut for {item.text()}")  # a cell widget: its row's action is no buddy
            editor.installEventFilter(self)  # Esc closes the dialog instead of becoming a key
            self.table.setCellWidget(row, 1, editor)
            self.editors[action_id] = editor
            editor.keySequenceChanged.connect(self._fit_key_column)  # a longer key typed in shows whole
        self._fit_key_column()
        self.problem = QLabel()  # why OK was refused (a key another action has)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOR};")
        self.problem.setVisible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        fit_to_screen(self, 460, 560)  # OK and Cancel stay on a 1024 x 600 screen

    def _fit_key_column(self) -> None:
        """The Shortcut column as wide as its widest key (at least "Ctrl+Shift+Z") beside each editor's
        clear button: at Qt's default width Redo's key showed as "trl+Shift+Z"."""
        lines = [line for editor in self.editors.values() if (line := editor.findChild(QLineEdit)) is not None]
        if not lines:
            return
        metrics = lines[0].fontMetrics()
        widest = max(metrics.horizontalAdvance(text) for text in [_WIDE_KEY, *(line.text() for line in lines)])
        clear = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 8  # the clear button and its gap
        needed = widest + clear + _KEY_CELL_MARGINS
        header = self.table.horizontalHeader()
        if header.sectionSize(1) < needed:
            header.resizeSection(1, needed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Esc in a key editor closes the dialog (changing nothing), as Esc anywhere else does; a key
        editor would otherwise record it, and no key could leave the dialog."""
        if event.type() == QEvent.Type.KeyPress and is_esc(event):
            self.reject()
            return True
        return super().eventFilter(watched, event)

    def restore_defaults(self) -> None:
        for action_id, editor in self.editors.items():
            keys = DEFAULT_SHORTCUTS.get(action_id, [])
            editor.setKeySequence(QKeySequence(keys[0]) if keys else QKeySequence())

    def edited_keys(self) -> dict[str, list[str]]:
        """Every action's keys as OK would store them (the first key replaced; further keys kept)."""
        out: dict[str, list[str]] = {}
        for action_id, editor in self.editors.items():
            new = editor.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            old = self.shortcuts.keys(action_id)
            out[action_id] = old if (old[0] if old else "") == new else ([new] if new else []) + old[1:]
        return out

    def conflicts(self, keys: dict[str, list[str]]) -> list[str]:
        """"KEY: A, B" for each key that `keys` would give to two actions of the window, or to an action
        and a menu of the menu bar (Alt + its underlined letter): Qt then runs neither (an ambiguous
        shortcut) or opens the menu, so the key would go dead."""
        ours_by_key: dict[str, list[QAction]] = {}
        for action_id, action_keys in keys.items():
            for k in action_keys:
                ours_by_key.setdefault(QKeySequence(k).toString(), []).append(self.shortcuts.actions[action_id])
        owners = {text: [_name(a) for a in actions] for text, actions in ours_by_key.items()}
        window = self.parentWidget().window() if self.parentWidget() is not None else None
        ours = set(self.shortcuts.actions.values())
        for action in window.findChildren(QAction) if window is not None else []:
            if action in ours:
                continue
            for sequence in action.shortcuts():
                text = sequence.toString()
                if text not in owners or _name(action) in owners[text]:
                    continue
                if isinstance(window, QMainWindow) and all(never_on_together(window, action, mine)
                                                           for mine in ours_by_key[text]):
                    continue  # a video's key that our image action shares (Home: First Frame / First Image)
                owners[text].append(_name(action))
        bar = window.menuBar() if isinstance(window, QMainWindow) else None
        for menu in bar.actions() if bar is not None else []:  # Alt + a menu's underlined letter opens it
            text = QKeySequence.mnemonic(menu.text()).toString()
            if text in owners:
                owners[text].append(f"the {_name(menu)} menu")
        return [f"{k}: {', '.join(names)}" for k, names in owners.items() if len(names) > 1]

    def accept(self) -> None:
        """Store every changed row, unless a key would belong to two actions (then say which)."""
        keys = self.edited_keys()
        clashes = self.conflicts(keys)
        if clashes:
            self.problem.setText("Each key can do one thing; already taken: " + "; ".join(clashes))
            self.problem.setVisible(True)
            return
        for action_id, action_keys in keys.items():
            if action_keys != self.shortcuts.keys(action_id):
                self.shortcuts.set_keys(action_id, action_keys)
        super().accept()


def _name(action: QAction) -> str:
    return action.text().replace("&", "").replace("…", "")
