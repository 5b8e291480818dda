"""The app says when opening a project upgraded files an older FoSp Studio left (its journal in the
old format, folded into project.json): one status-bar line naming the backups kept; nothing for a
project already current."""

from __future__ import annotations

import json
from pathlib import Path

from fosp_core.annotation.project import Project
from tests.gui.annotation_helpers import open_projects_told
from tests.unit.crash_worker import make_images


def test_an_upgrade_is_told_with_the_backups_name(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    folder = make_images(tmp_path / "images", seed=41, count=2).resolve()
    window = make_window()
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    location = controller.registry._location(folder)
    with Project.open(folder, location) as project:
        image_id = project.ids[0]
        entry = project.entry(image_id).to_json()
    (location / "changes.jsonl").write_text(json.dumps(dict(entry, status="reviewed")) + "\n")  # bare: old
    messages = open_projects_told(qtbot, window, folder)
    told = [m for m in messages if "older FoSp Studio" in m]
    assert len(told) == 1 and "project.json.v1-journal0.bak" in told[0] and "\n" not in told[0], messages
    assert (location / "project.json.v1-journal0.bak").is_file()
    controller.close()

    again = make_window()
    again.annotation.controller.registry.projects_root = tmp_path / "projects"
    assert not [m for m in open_projects_told(qtbot, again, folder) if "older FoSp Studio" in m]
    again.annotation.controller.close()
