"""A project opened in the window is rewritten in the background (`Project.compact_in_background`), which
captured the values of every entry when turned on: in the controller's adopt, on the GUI thread (~0.1-0.3 s
at 30 000 images, `compaction_rows.snapshot`, bench/bench_big_project_gui.py). It is turned on where the
project is opened (`prepare_projects`: the open's worker for a big open); images joined later are captured
by themselves, not every entry again. The thread doing the work is spied on, never timed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from fosp_core.annotation import compaction_rows
from fosp_core.annotation.document import Status
from tests.gui.annotation_helpers import key, settle_saves
from tests.gui.linked_folder import linked_demo_folder


def _spy_snapshots(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """(thread, entries) of every capture of all the entries' values from now on."""
    calls: list[tuple[str, int]] = []
    real = compaction_rows.snapshot

    def spied(entries):  # noqa: ANN001, ANN202
        gui = threading.current_thread() is threading.main_thread()
        calls.append(("GUI" if gui else "worker", len(entries)))
        return real(entries)

    monkeypatch.setattr(compaction_rows, "snapshot", spied)
    return calls


def test_a_big_open_captures_its_entries_on_the_worker(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window(show=True)
    controller = window.annotation.controller
    controller.registry.projects_root = tmp_path / "projects"
    folder = linked_demo_folder(tmp_path / "photos", demo_dir, 12)
    calls = _spy_snapshots(monkeypatch)
    window.opener.open([folder], remember=False, background=True)  # as an open over SYNC_LIMIT images
    assert window.opener.wait(60)
    qtbot.waitUntil(lambda: controller.document is not None, timeout=10000)
    project = controller.project
    assert project is not None and project.compact_in_background
    assert calls == [("worker", 12)]  # was [("GUI", 12)]: in the controller's adopt
    shown = controller.document.image_id
    key(window, "R")  # a save: its entry captured alone
    settle_saves(window)
    assert project.entry(shown).status == Status.REVIEWED
    project._start_rewrite()  # a background rewrite falling due now: the rows captured, no pass over all  # noqa: SLF001
    assert project.finish_compaction(wait=True)
    assert calls == [("worker", 12)]
    assert '"reviewed"' in (project.folder / "project.json").read_text(encoding="utf-8")
