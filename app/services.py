"""What a main window needs from outside: settings, an error reporter, a worker-thread count.

Tests build windows with their own :class:`Services` (isolated QSettings, a recording reporter)
instead of monkeypatching; the app's own settings follow `FOSP_CONFIG`, else `FOSP_CACHE`
(`user_settings`), so a process with its own cache (a second profile; every test, under FOSP_CONFIG)
never writes the user's (a new profile starts from a copy of them); ``--screenshot`` uses a
reporter that collects errors for the exit code.
Edits that could not be saved (a full disk) are told as a :class:`~app.save_problems.SaveProblem`: once,
prominently, then updated in place (`app.annotation.save_status.SaveStatus` decides when); edits lost when
the window closed as :class:`~app.save_problems.LostEdits`. Reporters tell them from files that could not be opened
(:class:`~fosp_core.session.OpenError`) by their type, never by their words.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from app.quiet_notice import show_quietly
from app.save_problems import LostEdits, SaveProblem
from fosp_core.paths import find_model
from fosp_core.session import OpenError

ORGANIZATION = "FoSp"
APPLICATION = "FoSp Studio"
#: The folder of the app's settings file (`settings_file`); `FOSP_CACHE` when unset.
CONFIG_ENV = "FOSP_CONFIG"
SETTINGS_FILE = "fosp-studio.ini"
_MAX_LISTED = 12  # errors spelled out in the dialog text; all of them go to "Show Details"
_NAME_WIDTH_PX = 320  # the most a file name takes in the "Could not open" box (shortened in the middle)


#: what an error reporter is told: a file that could not be opened, or edits not saved
Report = OpenError | SaveProblem | LostEdits


class ErrorReporter(Protocol):
    """Tells the user that some things could not be opened or saved. Must not block."""

    def report(self, parent: QWidget | None, errors: Sequence[OpenError]) -> None:
        """Say that files could not be opened (never a failed save: those have their own types)."""
        ...

    def report_save_problem(self, parent: QWidget | None, problem: SaveProblem) -> None:
        """Say prominently that edits could not be saved (once for a run of failures)."""
        ...

    def update_save_problem(self, parent: QWidget | None, problem: SaveProblem) -> None:
        """The images not saved changed: update what `report_save_problem` showed, if it is still
        shown; never shows anything new."""
        ...

    def report_lost_edits(self, parent: QWidget | None, lost: Sequence[LostEdits]) -> None:
        """Say that the last edits of these images are lost (the window closed, their save failing)."""
        ...


class DialogErrorReporter:
    """Shows open errors in one non-modal message box; errors arriving while it is open are
    appended to it instead of stacking new dialogs."""

    def __init__(self) -> None:
        self.dialog: QMessageBox | None = None
        self._errors: list[OpenError] = []
        #: the message about edits not saved (its own: its words are not "Could not open")
        self.save_dialog: QMessageBox | None = None

    def report(self, parent: QWidget | None, errors: Sequence[OpenError]) -> None:
        if not errors:
            return
        if self.dialog is None or not self.dialog.isVisible():
            self._errors = []
            self.dialog = QMessageBox(QMessageBox.Icon.Warning, APPLICATION, "", QMessageBox.StandardButton.Ok,
                                      parent)
            self.dialog.setWindowModality(Qt.WindowModality.NonModal)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._errors.extend(errors)
        count = len(self._errors)
        self.dialog.setText(f"Could not open {count} {'item' if count == 1 else 'items'}.")
        listed = "<br>".join(
            f"<b>{html.escape(self._short_name(e.path.name))}</b>: {html.escape(e.reason)}"
            for e in self._errors[:_MAX_LISTED]
        )
        if count > _MAX_LISTED:
            listed += f"<br>… and {count - _MAX_LISTED} more (see Show Details)."
        self.dialog.setInformativeText(listed)
        self.dialog.setDetailedText("\n".join(f"{e.path}: {e.reason}" for e in self._errors))
        label = self.dialog.findChild(QLabel, "qt_msgbox_informativelabel")
        if label is not None:  # the whole paths of the names shortened in the middle
            label.setToolTip("\n".join(str(e.path) for e in self._errors[:_MAX_LISTED]))
            names = QFontMetrics(self._bold())
            label.setMinimumWidth(max(names.horizontalAdvance(self._short_name(e.path.name) + ":")
                                      for e in self._errors[:_MAX_LISTED]))
        show_quietly(self.dialog)  # the keys the user types go on to the window (app.quiet_notice)

    def _short_name(self, name: str) -> str:
        """A file name shortened in the middle ("a_very_lon…frame_000123.png") to _NAME_WIDTH_PX of
        the list's bold font: a long name has no space to wrap at and ran past the box's right edge
        (its whole path is in Show Details and the list's tooltip). A word joiner after the "…"
        keeps the label from breaking the name there: the widest name is the box's least width."""
        short = QFontMetrics(self._bold()).elidedText(name, Qt.TextElideMode.ElideMiddle, _NAME_WIDTH_PX)
        return short.replace("…", "…\u2060")

    def _bold(self) -> QFont:
        """The font of the names in the list (bold)."""
        assert self.dialog is not None
        font = QFont(self.dialog.font())
        font.setBold(True)
        return font

    def report_save_problem(self, parent: QWidget | None, problem: SaveProblem) -> None:
        dialog = self._save_dialog(parent)
        self._show_save_problem(dialog, problem)
        show_quietly(dialog)

    def report_lost_edits(self, parent: QWidget | None, lost: Sequence[LostEdits]) -> None:
        if not lost:
            return
        dialog = self._save_dialog(parent)
        dialog.setIcon(QMessageBox.Icon.Warning)
        count = len(lost)
        dialog.setText(lost[0].text() if count == 1 else f"Could not save {count} images: their last edits are lost")
        listed = "<br>".join(f"<b>{html.escape(str(e.error.path))}</b>: {html.escape(e.text())}"
                             for e in lost[:_MAX_LISTED])
        if count > _MAX_LISTED:
            listed += f"<br>… and {count - _MAX_LISTED} more (see Show Details)."
        dialog.setInformativeText(listed)
        dialog.setDetailedText("\n".join(f"{e.error.path}: {e.text()}" for e in lost))
        show_quietly(dialog)

    def _save_dialog(self, parent: QWidget | None) -> QMessageBox:
        """The message about edits not saved, made for `parent` when there is none for it yet."""
        if self.save_dialog is None or self.save_dialog.parent() is not parent:
            self.save_dialog = QMessageBox(QMessageBox.Icon.Warning, APPLICATION, "", QMessageBox.StandardButton.Ok,
                                           parent)
            self.save_dialog.setWindowModality(Qt.WindowModality.NonModal)
            self.save_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        return self.save_dialog

    def update_save_problem(self, parent: QWidget | None, problem: SaveProblem) -> None:
        if self.save_dialog is not None and self.save_dialog.isVisible():
            self._show_save_problem(self.save_dialog, problem)

    @staticmethod
    def _show_save_problem(dialog: QMessageBox, problem: SaveProblem) -> None:
        dialog.setDetailedText("")  # the list of edits lost, from an earlier close
        if not problem.unsaved:
            dialog.setIcon(QMessageBox.Icon.Information)
            dialog.setText("All edits are saved now")
            dialog.setInformativeText("Saving works again: the edits that were not saved are on disk.")
            return
        dialog.setIcon(QMessageBox.Icon.Warning)
        dialog.setText(problem.headline())
        listed = ", ".join(html.escape(i) for i in problem.unsaved[:_MAX_LISTED])
        if len(problem.unsaved) > _MAX_LISTED:
            listed += f" and {len(problem.unsaved) - _MAX_LISTED} more"
        dialog.setInformativeText(
            f"<b>{html.escape(str(problem.error.path))}</b>: {html.escape(problem.error.reason)}<br><br>"
            f"{html.escape(problem.advice())}<br><br>{html.escape(problem.summary())}: {listed}")


@dataclass
class CollectingErrorReporter:
    """Keeps what it is told instead of showing it (``--screenshot``, tests), each kind by its type."""

    #: everything told, in order: files not opened, save problems told prominently, edits lost
    told: list[Report] = field(default_factory=list)
    #: the latest word on edits not saved (what the message would show now)
    save_problem: SaveProblem | None = None

    @property
    def errors(self) -> list[OpenError]:
        """The files that could not be opened."""
        return [r for r in self.told if isinstance(r, OpenError)]

    @property
    def save_problems(self) -> list[SaveProblem]:
        """The save problems told prominently (not their updates)."""
        return [r for r in self.told if isinstance(r, SaveProblem)]

    @property
    def lost(self) -> list[LostEdits]:
        """The edits lost when the window closed."""
        return [r for r in self.told if isinstance(r, LostEdits)]

    def report(self, parent: QWidget | None, errors: Sequence[OpenError]) -> None:
        self.told.extend(errors)

    def report_save_problem(self, parent: QWidget | None, problem: SaveProblem) -> None:
        self.told.append(problem)
        self.save_problem = problem

    def update_save_problem(self, parent: QWidget | None, problem: SaveProblem) -> None:
        self.save_problem = problem

    def report_lost_edits(self, parent: QWidget | None, lost: Sequence[LostEdits]) -> None:
        self.told.extend(lost)

    def lines(self) -> list[str]:
        """Everything told, one line each (``--screenshot`` prints them): "cannot open <path>:
        <reason>", and a failed save in its own words, "Could not save <image>: <reason> (<path>)"."""
        return [f"cannot open {r.path}: {r.reason}" if isinstance(r, OpenError) else f"{r.text()} ({r.error.path})"
                for r in self.told]


@dataclass
class Services:
    """Everything a :class:`~app.main_window.MainWindow` takes from its surroundings."""

    settings: QSettings
    error_reporter: ErrorReporter
    loader_threads: int = 2
    #: weights the Model panel and the video view preselect (None: "no default model")
    default_model: Path | None = None

    @classmethod
    def default(cls) -> Services:
        """The user's settings (`user_settings`) and dialogs and the installed default model, as the app
        uses them."""
        return cls(settings=user_settings(), error_reporter=DialogErrorReporter(), default_model=find_model())


def settings_file() -> Path | None:
    """Where the app's settings live when not in the usual per-user place: `$FOSP_CONFIG/fosp-studio.ini`,
    else `$FOSP_CACHE/fosp-studio.ini` (a second profile: its own cache, its own recent files, resume
    positions and theme, at first a copy of the user's: `user_settings`), else None."""
    for name in (CONFIG_ENV, "FOSP_CACHE"):
        folder = os.environ.get(name, "").strip()
        if folder:
            return Path(folder).expanduser() / SETTINGS_FILE
    return None


def user_settings() -> QSettings:
    """The app's settings: an INI file at `settings_file()`, or QSettings' per-user place for
    ORGANIZATION/APPLICATION (`~/.config/FoSp/FoSp Studio.conf` on Linux) when neither variable is set.
    A new file chosen by `FOSP_CACHE` starts as a copy of the per-user settings (`_copy_earlier_settings`)."""
    path = settings_file()
    if path is None:
        return QSettings(ORGANIZATION, APPLICATION)
    fresh = not path.exists()
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    if fresh and not os.environ.get(CONFIG_ENV, "").strip():
        _copy_earlier_settings(settings)
    return settings


def settings_problem(settings: QSettings) -> str | None:
    """What to tell the user at start when `settings` cannot be saved (its file or folder cannot be
    written: a read-only drive, FOSP_CONFIG/FOSP_CACHE on a path that cannot be made), else None. QSettings
    wrote nothing there without a word, and each session began without the last one's settings."""
    if settings.isWritable():
        return None
    return (f"Settings cannot be saved: {settings.fileName()} cannot be written. Recent files, video positions, "
            "theme and shortcuts will not be kept after this session (set FOSP_CONFIG to a folder you can "
            "write to).")


def _copy_earlier_settings(settings: QSettings) -> None:
    """Copy the per-user settings into a new `$FOSP_CACHE/fosp-studio.ini` once: a user who set
    FOSP_CACHE before the app read it (the cache on a bigger drive) had their recent files, theme,
    shortcuts and video positions there, and would start with none. The per-user file is only read;
    `FOSP_CONFIG` (a profile chosen on purpose, the tests') starts empty."""
    earlier = QSettings(ORGANIZATION, APPLICATION)
    keys = earlier.allKeys()
    if not keys:
        return
    for key in keys:
        settings.setValue(key, earlier.value(key))
    settings.sync()
