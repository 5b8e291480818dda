"""Opening a project whose recovery log could not be applied (garbage, a newer format, its mask
file lost) tells it with the other opening problems: which image, why, where the log is kept
(`Project.recovery_problems`); a project opened read-only beside the app still saving says how many
images it shows with edits not yet in their mask files (`Project.pending_logs`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path
from tests.unit.crash_worker import make_images


def test_a_log_not_applied_is_told_on_opening(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window()
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    folder = make_images(tmp_path / "images", seed=21, count=2).resolve()
    location = controller.registry._location(folder)
    with Project.open(folder, location) as project:
        image_id = project.ids[0]
        shape = project.open_document(image_id, autosave=False).shape
        mask = np.zeros(shape, np.uint8)
        mask[2:6, 2:9] = 1
        project.save_mask(image_id, mask, "edited")
        log = log_path(project.mask_path(image_id))
    log.write_bytes(b"{\"format\": 7}\n")
    with qtbot.waitSignal(controller.problem, timeout=20000) as blocker:
        controller.open_projects([folder])
    told = [str(problem) for problem in blocker.args[0]]
    assert any(image_id in text and "newer FoSp Studio" in text for text in told), told
    assert not log.exists() and log.with_name(log.name + ".unapplied").is_file()


def test_a_read_only_project_says_it_shows_pending_edits(qtbot, make_window, tmp_path: Path) -> None:  # noqa: ANN001
    window = make_window()
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    folder = make_images(tmp_path / "images", seed=22, count=2).resolve()
    holder = Project.open(folder, controller.registry._location(folder))  # the other app, still saving
    try:
        image_id = holder.ids[0]
        shape = holder.open_document(image_id, autosave=False).shape
        mask = np.zeros(shape, np.uint8)
        mask[1:5, 1:5] = 1
        log_path(holder.mask_path(image_id)).write_bytes(encode_record(mask, (0, shape[0], 0, shape[1]), "edited"))
        messages: list[str] = []
        controller.message.connect(lambda text, *_: messages.append(text))
        with qtbot.waitSignal(controller.problem, timeout=20000) as blocker:
            controller.open_projects([folder])
        told = " ".join(str(problem) for problem in blocker.args[0]) + " ".join(messages)
        assert "1 image shown with edits not yet in its mask file" in told, told
    finally:
        holder.close()
