"""The app lists the recovery logs set aside in a project it opens (`SaveStatus.set_aside`), at every
opening, not only the one that set them aside: a status-bar message, and the status bar's indicator
naming each log with the exact command that discards it; the app deletes none. And the recovered
images are told without a project folder argument (`SaveStatus.recovered(images)`)."""

from __future__ import annotations

import shlex
from pathlib import Path

import numpy as np

from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path
from fosp_core.cli import main
from tests.gui.annotation_helpers import open_projects_told
from tests.unit.crash_worker import make_images


def test_logs_set_aside_are_listed_with_how_to_discard_them(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = make_images(tmp_path / "images", seed=31, count=2).resolve()
    first = make_window()
    first.annotation.controller.registry.projects_root = tmp_path / "projects"
    location = first.annotation.controller.registry._location(folder)
    with Project.open(folder, location) as project:
        image_id = project.ids[0]
        log = log_path(project.mask_path(image_id))
    log.write_bytes(b"not a log\n")
    Project.open(folder, location).close()  # an earlier opening set it aside (and told it then)
    aside = log.with_name(log.name + ".unapplied")
    assert aside.is_file()

    messages = open_projects_told(qtbot, first, folder)
    status = first.annotation.controller.save_status
    assert any("1 recovery log set aside" in m for m in messages), messages
    assert status.indicator.isVisibleTo(first) and "1 recovery log set aside" in status.indicator.text()
    tip = status.indicator.toolTip()
    assert str(aside) in tip and "discard it: fosp project discard-log" in tip, tip
    command = next(line.split("discard it: ", 1)[1] for line in tip.splitlines() if "discard it: " in line)
    assert aside.is_file()  # listed, never deleted
    first.annotation.controller.close()

    args = shlex.split(command)
    assert args[:3] == ["fosp", "project", "discard-log"] and main(args[1:]) == 0  # what the tip says works
    assert not aside.exists()
    second = make_window()
    second.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_projects_told(qtbot, second, folder)
    assert not second.annotation.controller.save_status.indicator.isVisibleTo(second)


def test_recovered_images_are_told(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window()
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    folder = make_images(tmp_path / "images", seed=32, count=2).resolve()
    with Project.open(folder, controller.registry._location(folder)) as project:
        image_id = project.ids[1]
        shape = project.open_document(image_id, autosave=False).shape
        mask = np.zeros(shape, np.uint8)
        mask[1:4, 1:6] = 1
        log_path(project.mask_path(image_id)).write_bytes(encode_record(mask, (0, shape[0], 0, shape[1]), "edited"))
    messages = open_projects_told(qtbot, window, folder)
    assert any(m.startswith(f"Recovered the last edits of {image_id}") for m in messages), messages
    assert not controller.save_status.indicator.isVisibleTo(window)
