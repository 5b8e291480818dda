"""`app.annotation.save_now.projects_saving` (Save Now's wait, the close's dead-disk question): with any record
queued for any recovery log (`fosp_core.annotation.log_sync.appends_waiting()`) and no project saving, it named
the first open project, whose disk answers: a video's frame record, or a project's let go at close, held by a
disk that does not answer, made Save Now say 'Saving: waiting for the disk of <that project>' and the close ask
about it. Now a project is named only for its own saves and records. The other log's append is held on an Event
(released at the end); no wall-clock assert."""

from __future__ import annotations

import threading
from pathlib import Path

from app.annotation.save_now import projects_saving
from fosp_core.annotation import log_sync
from tests.gui.annotation_helpers import demo_window


def test_a_record_queued_for_another_folder_s_log_names_no_open_project(  # noqa: ANN001
        qtbot, make_window, demo_dir: Path, tmp_path: Path) -> None:
    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    controller = window.annotation.controller
    project = controller.project
    assert project is not None and not project.read_only
    qtbot.waitUntil(lambda: project.saves_settle(0.0) and not log_sync.appends_waiting(), timeout=20_000)
    assert projects_saving(controller) == []
    other = tmp_path / "video.fosp" / "frames" / "000000.png.log"  # a video's frame log, its disk not answering
    other.parent.mkdir(parents=True)
    held, released = threading.Event(), threading.Event()

    def append(path: Path, line: bytes) -> None:
        held.set()
        released.wait(30)
        log_sync.append_record(path, line)

    try:
        assert not log_sync.queue_record(other, b"x\n", wait=0.0, append=append)
        assert held.wait(10) and log_sync.appends_waiting(other) == 1
        named = [p.folder for p in projects_saving(controller)]
        assert named == [], f"named {named}, whose disk answers, for another folder's queued record"
    finally:
        released.set()
        assert log_sync.wait_appends(other, timeout=20)
    assert projects_saving(controller) == []
