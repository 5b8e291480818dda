"""Help ▸ Keyboard Shortcuts: every shortcut of the window in one searchable table.

The rows are read from the window when the sheet opens (the menus, walked recursively, then any
other action of the window that has a key), and again while it is open when an action changes (a video
opened from the recent list with the sheet up, a key remapped), so they always show the keys in force,
the annotation shortcuts a user remapped included. The sheet only shows them; Annotate ▸ Annotation
Shortcuts… changes them.

Only what applies in the current mode is listed: an action hidden now (the image's analysis, its layer
keys, Run, Export View, while a video is open), or off for the whole mode (the video's frame keys while
images are shown; Go to Image, Mark Reviewed, N while a video is open: :mod:`app.shortcut_modes`), does
nothing on its keys, so its row is left out and a note under the table says how many and which
(:func:`hidden_rows`). A QShortcut that stands in for such
an action meanwhile (Ctrl+Shift+R predicts the whole video) is listed while it is on, under the name in
its `TEXT_PROPERTY`; an action whose keys all went to such a shortcut is not, nor a menu action kept off
in this mode on a key an action of the mode has (Next / Previous Image on the frame keys Right / Left).
A key is listed once: Esc, Cancel / Navigate, says that it cancels an open under way too
(`KEYS_WITHOUT_ACTION`). Keys are compared as whole key sequences (a chord "Ctrl+K, Ctrl+S" is one).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer
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

from app.panels import fit_to_screen
from app.shortcut_modes import off_in_mode
from app.theme import HINT_STYLE

__all__ = ["GROUP_PROPERTY", "KEYS_WITHOUT_ACTION", "TEXT_PROPERTY", "Row", "ShortcutSheet", "hidden_rows",
           "shortcut_rows"]

GROUP_PROPERTY = "shortcut_group"  # an action outside the menus lists under this property's value ("Video")
TEXT_PROPERTY = "shortcut_text"  # a QShortcut with this property is listed, while on, under that name

#: (where, action, key) of the keys that are no action of the window: Esc cancels an open under way, of
#: images or of a video (`app.esc_cancel.EscCancel`). Said in the row of the action listed with that key
#: ("Cancel / Navigate (or Cancel Opening, while opening)"), so the key is listed once; with no such
#: action, a row of its own after the rows of its menu.
KEYS_WITHOUT_ACTION: tuple[tuple[str, str, Qt.Key], ...] = (
    ("File", "Cancel Opening", Qt.Key.Key_Escape),
)

Row = tuple[str, str, str]
_CELL_MARGINS = 8  # an item view's text margins, left and right together, and a little air
"""(where, action, keys as the sheet shows them: "Ctrl+Shift+Z, Ctrl+Y")."""


def _clean(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").replace("…", "").strip()


def _sequences(action: QAction | QShortcut) -> list[QKeySequence]:
    """The key sequences of `action`, each a whole one (a chord such as "Ctrl+K, Ctrl+S" is one)."""
    keys = action.shortcuts() if isinstance(action, QAction) else action.keys()
    return [k for k in keys if not k.isEmpty()]


def _text(keys: list[QKeySequence]) -> str:
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def _stand_ins(window: QMainWindow) -> list[tuple[str, str, list[QKeySequence]]]:
    """(where, name, keys) of the named QShortcuts of `window` that are on (see `TEXT_PROPERTY`)."""
    return [(shortcut.property(GROUP_PROPERTY) or "Other", shortcut.property(TEXT_PROPERTY), _sequences(shortcut))
            for shortcut in window.findChildren(QShortcut)
            if shortcut.isEnabled() and shortcut.property(TEXT_PROPERTY) and _sequences(shortcut)]


def _placed(window: QMainWindow) -> list[tuple[str, QAction, bool, bool]]:
    """(where, action, visible, in a menu) of every action of `window` with a key: the menus' first,
    walked recursively in menu order (hidden with a hidden menu), then the window's other actions under
    their `GROUP_PROPERTY`, else "Other"."""
    placed: list[tuple[str, QAction, bool, bool]] = []
    walked: list[QAction] = []  # held: its wrapper stays the one findChildren gives

    def walk(menu: QMenu, where: str, visible: bool) -> None:
        for action in menu.actions():
            if action.isSeparator():
                continue
            if action.menu() is not None:
                walk(action.menu(), f"{where} ▸ {_clean(action.text())}", visible and action.isVisible())
            else:
                walked.append(action)
                placed.append((where, action, visible and action.isVisible(), True))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), _clean(top.text()), top.isVisible())
    placed += [(action.property(GROUP_PROPERTY) or "Other", action, action.isVisible(), False)
               for action in window.findChildren(QAction) if not any(action is a for a in walked)]
    return [entry for entry in placed if _sequences(entry[1])]


def _rows(window: QMainWindow, shown: bool, every_mode: bool = False) -> list[Row]:
    """(where, action, keys) of the actions with a key that are shown (`shown`) or left out now. Left
    out: a hidden action (or one in a hidden menu), one off in this mode (the video's frame actions while
    images are shown, Go to Image... while a video is open: `app.shortcut_modes`), one whose keys all went
    to a named QShortcut, and
    a disabled menu action with a key that an enabled action outside the menus has (Next Image's Right
    while a video is open: the key steps frames, and the action's other keys do nothing meanwhile; the
    actions outside the menus, as the frame actions, are on in their mode only, where a menu action's
    being on follows what there is to do: Next Image is off on the last image). Keys are compared as
    whole key sequences."""
    stand_ins = _stand_ins(window)
    placed = _placed(window)
    off = [] if every_mode else off_in_mode(window)
    taken = {k for _where, _text, keys in stand_ins for k in keys}
    working = {k for _where, action, visible, in_menu in placed if visible and action.isEnabled() and not in_menu
               for k in _sequences(action)}
    rows: list[Row] = []
    seen: set[tuple[str, str]] = set()
    for where, action, visible, in_menu in placed:
        keys = _sequences(action)
        visible = (visible and not set(keys) <= taken  # its keys do another thing now
                   and not any(action is a for a in off)  # off in this mode (app.shortcut_modes)
                   and (action.isEnabled() or not in_menu or not set(keys) & working))
        row = (where, _clean(action.text()), _text(keys))
        if row[1] and (row[1], row[2]) not in seen and visible == shown:
            seen.add((row[1], row[2]))
            rows.append(row)
    if shown:
        rows += [(where, name, _text(keys)) for where, name, keys in stand_ins]
    return rows


def shortcut_rows(window: QMainWindow, every_mode: bool = False) -> list[Row]:
    """(where, action, keys) for every action of `window` with a shortcut that applies now (not
    hidden, nor in a hidden menu, nor its keys taken by a named QShortcut or, for a menu action that is
    off, by an action outside the menus that is on): the menus' first, in menu order ("Annotate ▸ Clean-up" for a submenu), then the
    window's other actions (under their `GROUP_PROPERTY`, else "Other") and the named QShortcuts that
    are on. The `KEYS_WITHOUT_ACTION` are said in the row with their key, else listed after the rows
    of their menu. `every_mode`: the actions off in this mode listed too, where they would be (the
    README's reference table: the video's frame keys with images shown)."""
    rows = _rows(window, shown=True, every_mode=every_mode)
    for where, text, key in KEYS_WITHOUT_ACTION:
        keys = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        same = next((i for i, row in enumerate(rows) if row[2] == keys), None)
        if same is not None:  # one row for the key, saying both
            row = rows[same]
            rows[same] = (row[0], f"{row[1]} (or {text}, while opening)", row[2])
            continue
        after = max((i + 1 for i, row in enumerate(rows) if row[0] == where), default=len(rows))
        rows.insert(after, (where, text, keys))
    return rows


def hidden_rows(window: QMainWindow) -> list[Row]:
    """(where, action, keys) of the actions with a shortcut that :func:`shortcut_rows` leaves out
    (their keys do nothing in this mode, or another thing)."""
    shown = {(text, keys) for _where, text, keys in _rows(window, shown=True)}
    return [row for row in _rows(window, shown=False) if (row[1], row[2]) not in shown]


class ShortcutSheet(QDialog):
    """See module doc. `filter` narrows the rows to those whose text contains what is typed. The rows
    follow the window while the sheet is open: a change of any of its actions (a video opened or closed
    hides and turns off whole sets of them, a key remapped) builds them again, once per turn of the
    event loop, the filter kept."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard Shortcuts")
        self._window = window
        self.rows: list[Row] = []
        self.builds = 0  # how many times the rows were read from the window (for tests)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Search actions or keys…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Search shortcuts")
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab goes on to Close, not round the cells for ever
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)  # a long action wraps (its row grows: `_fit_rows`), never elided
        self._refit = QTimer(self)  # the rows' heights again once the columns settle (a resize moves them)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_rows)
        header.sectionResized.connect(lambda index, _old, _new: self._refit.start() if index == 1 else None)
        #: What is not listed: the keys of the actions hidden in this mode (image-only while a video is open).
        self.note = QLabel("", self)
        self.note.setWordWrap(True)
        hint = QLabel("Annotation keys can be changed under Annotate ▸ Annotation Shortcuts…", self)
        hint.setStyleSheet(HINT_STYLE)  # a disabled label's grey was 3.1:1 on the dialog, under AA's 4.5:1
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
        fit_to_screen(self, 560, 620)  # its Close stays on a 1024 x 600 screen
        self.rebuild()
        self._again = QTimer(self)  # one rebuild for the many action changes of a mode change
        self._again.setSingleShot(True)
        self._again.setInterval(0)
        self._again.timeout.connect(self._rebuild_if_shown)
        for action in window.findChildren(QAction):
            action.changed.connect(self._again.start)  # a C++ slot: gone with the sheet

    def _rebuild_if_shown(self) -> None:
        if self.isVisible():
            self.rebuild()

    def rebuild(self) -> None:
        """Read the rows from the window again (and the note of what is left out); the filter stays."""
        rows, hidden = shortcut_rows(self._window), hidden_rows(self._window)
        self.builds += 1
        names = ", ".join(text for _where, text, _keys in hidden[:4]) + (", …" if len(hidden) > 4 else "")
        self.note.setText(f"Not listed: {len(hidden)} keys of actions that do nothing now: hidden or off in "
                          f"this mode (as the image-only ones while a video is open, the video's while images "
                          f"are shown), or off with their keys on another action ({names})" if hidden else "")
        self.note.setVisible(bool(hidden))
        if rows == self.rows:
            return
        self.rows = rows
        self.table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self._fit_rows()
        self.apply_filter(self.filter.text())

    def _fit_rows(self) -> None:
        """Each row as tall as its action needs, wrapped in the Action column (one line: the default
        height): at 560 px the Esc row was cut to "Cancel / Navigate (or Cancel Opening, ..."."""
        width = self.table.columnWidth(1) - _CELL_MARGINS
        metrics = self.table.fontMetrics()
        one_line = self.table.verticalHeader().defaultSectionSize()
        for row in range(self.table.rowCount()):
            text = self.rows[row][1] if row < len(self.rows) else ""
            height = one_line
            if width > 0 and metrics.horizontalAdvance(text) > width:
                wrapped = metrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text).height()
                height = max(one_line, wrapped + one_line - metrics.height())
            if self.table.rowHeight(row) != height:
                self.table.setRowHeight(row, height)

    def apply_filter(self, text: str) -> None:
        """Show only the rows with `text` in their menu, action or keys (case-insensitive)."""
        needle = text.strip().lower()
        for row, values in enumerate(self.rows):
            self.table.setRowHidden(row, bool(needle) and not any(needle in v.lower() for v in values))

    def visible_actions(self) -> list[str]:
        """The action names of the rows shown (for tests and scripts)."""
        return [self.rows[r][1] for r in range(len(self.rows)) if not self.table.isRowHidden(r)]
