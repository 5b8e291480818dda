"""The app's list of recovery logs set aside (`SaveStatus`, the status bar's indicator) follows the
files while the app is open, not only at an opening: a log discarded by ``fosp project
discard-log`` in a terminal, or set aside by another process's opening, shows when the app comes
back to the front (the application turns active: the user switches back from the terminal). In a
project the window holds that costs a ``stat`` of each log listed (no other process can set one
aside); a read-only project's mask folder is listed again only when it changed. A project opened read-only (another process holds its lock) lists its logs set aside
too, read-only: nothing discarded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.annotation import set_aside_logs
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.cli import main
from tests.gui.annotation_helpers import open_projects_told
from tests.unit.crash_worker import make_images


def _project_with_log_aside(tmp_path: Path, window, image: int = 0) -> tuple[Path, Path, Path]:  # noqa: ANN001
    """Images, the project's folder where `window` looks for it, and a log of garbage set aside by
    an earlier opening (its path)."""
    folder = make_images(tmp_path / "images", seed=33, count=2).resolve()
    registry = window.annotation.controller.registry
    registry.projects_root = tmp_path / "projects"
    location = registry._location(folder)
    with Project.open(folder, location) as project:
        log = log_path(project.mask_path(project.ids[image]))
    log.write_bytes(b"not a log\n")
    Project.open(folder, location).close()  # that opening set it aside
    aside = log.with_name(log.name + ".unapplied")
    assert aside.is_file()
    return folder, location, aside


def _back_to_the_app(qtbot) -> None:  # noqa: ANN001
    """The user switches back to the app (from the terminal): the application turns active."""
    QGuiApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    qtbot.wait(10)


def _listings(monkeypatch: pytest.MonkeyPatch, within: Path) -> list[Path]:
    """The mask folders under `within` (this test's) that `SaveStatus` lists from now on, in order. Other
    windows still alive in a long test run answer the application's state change too: theirs are not
    this test's to count."""
    real = set_aside_logs.unapplied_logs
    seen: list[Path] = []

    def counted(masks: Path, *rest: object, **named: object) -> list:  # (masks, ids): ids map short log names
        if Path(masks).is_relative_to(within):
            seen.append(masks)
        return real(masks, *rest, **named)

    monkeypatch.setattr(set_aside_logs, "unapplied_logs", counted)
    return seen


def test_a_log_discarded_from_the_terminal_leaves_the_list_when_the_app_is_back(
        qtbot, make_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    window = make_window()
    folder, location, aside = _project_with_log_aside(tmp_path, window)
    open_projects_told(qtbot, window, folder)
    status = window.annotation.controller.save_status
    assert status.indicator.isVisibleTo(window) and "1 recovery log set aside" in status.indicator.text()

    listed = _listings(monkeypatch, location)
    _back_to_the_app(qtbot)
    assert listed == []  # nothing changed in the mask folder: not listed again

    messages: list[str] = []
    window.annotation.controller.message.connect(lambda text, *_: messages.append(text))
    assert main(["project", "discard-log", str(location), "--all"]) == 0  # the app still holds the project
    assert not aside.exists()
    assert status.indicator.isVisibleTo(window)  # nothing polls: told when the user is back
    _back_to_the_app(qtbot)
    assert listed == []  # the app holds the project: only the log it listed is looked at, the folder is not
    assert not status.indicator.isVisibleTo(window)
    assert any("no recovery log set aside now" in m for m in messages), messages
    window.annotation.controller.close()


def test_a_read_only_project_lists_its_logs_set_aside(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window()
    folder, location, aside = _project_with_log_aside(tmp_path, window)
    holder = Project.open(folder, location)  # another window of this app, say: it holds the lock
    try:
        messages = open_projects_told(qtbot, window, folder)
        project = window.annotation.controller.registry.projects[0]
        assert project.read_only
        status = window.annotation.controller.save_status
        assert any("1 recovery log set aside" in m for m in messages), messages
        assert status.indicator.isVisibleTo(window) and "1 recovery log set aside" in status.indicator.text()
        assert str(aside) in status.indicator.toolTip()
        assert aside.is_file()  # listed, nothing discarded
    finally:
        holder.close()
    window.annotation.controller.close()


def test_a_log_set_aside_by_another_opening_is_listed_when_the_app_is_back(
        qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    """The app shows the project read-only; the holder closes it; a crash's log of garbage is set
    aside by the next opening (``fosp project status``, which can write now): listed when the app
    comes back to the front."""
    window = make_window()
    folder, location, aside = _project_with_log_aside(tmp_path, window)
    holder = Project.open(folder, location)
    open_projects_told(qtbot, window, folder)
    status = window.annotation.controller.save_status
    assert "1 recovery log set aside" in status.indicator.text()
    other = log_path(holder.mask_path(holder.ids[1]))
    holder.close()
    other.write_bytes(b"garbage too\n")
    assert main(["project", "status", str(location)]) == 0  # sets it aside
    assert other.with_name(other.name + ".unapplied").is_file()
    _back_to_the_app(qtbot)
    assert "2 recovery logs set aside" in status.indicator.text()
    window.annotation.controller.close()
