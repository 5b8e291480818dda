"""Which theme the window uses: View ▸ Theme ▸ Dark, Light or Follow the System, kept in the settings
(:data:`SETTINGS_KEY`) as the Annotate tools' and the worklist's choices are, so that the next run opens
in it; ``--theme dark|light|system`` on the command line for one run (not kept). "Follow the system"
reads Qt's colour scheme (:meth:`QStyleHints.colorScheme`; dark where the platform says nothing) and
follows it when it changes. The themes themselves are :mod:`app.theme`'s.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from app.icons import icon
from app.theme import Theme, apply_theme

__all__ = ["CHOICES", "DEFAULT_CHOICE", "SETTINGS_KEY", "ThemeChoice", "resolve_choice", "stored_choice"]

SETTINGS_KEY = "appearance/theme"
#: choice -> its menu entry; the stored value is the choice
CHOICES = {"dark": "&Dark", "light": "&Light", "system": "Follow the &System"}
DEFAULT_CHOICE = "dark"  # the app's look so far


def stored_choice(settings: QSettings) -> str:
    """The theme choice kept in `settings` ("dark", "light", "system"); :data:`DEFAULT_CHOICE` where
    none is, or one this version does not know (a hand-edited file)."""
    value = settings.value(SETTINGS_KEY, DEFAULT_CHOICE)
    return value if isinstance(value, str) and value in CHOICES else DEFAULT_CHOICE


def resolve_choice(choice: str) -> str:
    """The theme `choice` means now: itself, or for "system" the platform's scheme (dark if unknown)."""
    if choice != "system":
        return choice if choice in CHOICES else DEFAULT_CHOICE
    hints = QGuiApplication.styleHints()
    return "light" if hints.colorScheme() == Qt.ColorScheme.Light else "dark"


class ThemeChoice(QObject):
    """View ▸ Theme of `window`: one checkable entry a choice; a choice is applied at once and kept in
    `settings`. The kept choice is applied by :meth:`apply`, which the app's ``main`` calls before the
    window shows (a window made in a test leaves the application's theme as it is)."""

    def __init__(self, window: QWidget, menu: QMenu, settings: QSettings) -> None:
        super().__init__(window)
        self.settings = settings
        self.choice = stored_choice(settings)
        self.menu = menu.addMenu(icon("fa6s.circle-half-stroke"), "&Theme")  # as the View menu's other entries
        self.menu.setToolTipsVisible(True)
        group = QActionGroup(self.menu)
        group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for choice, text in CHOICES.items():
            action = QAction(text, self.menu)
            action.setCheckable(True)
            action.setData(choice)
            action.setStatusTip("Follow the system's light or dark setting" if choice == "system" else
                                f"Show the window in its {choice} colours")
            group.addAction(action)
            self.menu.addAction(action)
            self.actions[choice] = action
        self.actions[self.choice].setChecked(True)
        group.triggered.connect(lambda action: self.choose(str(action.data())))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def choose(self, choice: str, keep: bool = True) -> Theme:
        """Use the theme `choice` ("dark", "light", "system") from now on; `keep`: also in the next runs
        (False: this run only, as ``--theme`` does)."""
        self.choice = choice if choice in CHOICES else DEFAULT_CHOICE
        self.actions[self.choice].setChecked(True)  # no signal: the group's triggered is a user's choice
        if keep:
            self.settings.setValue(SETTINGS_KEY, self.choice)
        return self.apply()

    def apply(self) -> Theme:
        """Apply the theme the choice means now (:func:`resolve_choice`)."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        return apply_theme(app, resolve_choice(self.choice))

    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply()
