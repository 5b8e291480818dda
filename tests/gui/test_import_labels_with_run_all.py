"""Import Labels and "Run on all" at once, in one project. The import writes the project on its
``fosp-import-labels`` thread; the worklist summary of each model result used to be written on the
GUI thread meanwhile (`WorklistSummaries.record`, `commands.record_prediction`): two threads writing
one `Project`. A summary journalled while the import's batch rewrote ``project.json`` was lost on
disk (the rewrite had dumped the entries before it came and then dropped the journal). Now the
summaries of a project being imported into are held and stored when the import ends.

The import is paused at a chosen point (a mask written, the final ``project.json`` dumped) while the
model runs on every image; nothing depends on timing: which thread wrote, and what the project holds
in memory and on disk afterwards."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from app.annotation import import_hold, worklist_summaries
from app.annotation.import_job import ImportJob
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.gui.run_all_wait import run_all
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

IMPORT_THREAD = "fosp-import-labels"
SAFETY_S = 60  # only so that a broken build cannot hang the suite; no assertion depends on it


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


class _Pause:
    """Wraps `Project.<method>` so that the import thread, after its `nth` call, waits for `resume`;
    and records every `record_state` made on another thread while the import's thread has not ended."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, method: str, nth: int) -> None:
        self.paused, self.resume = threading.Event(), threading.Event()
        self.calls = 0
        self.gui_writes: list[str] = []  # image ids written by another thread during the import
        self.job: ImportJob | None = None  # the import whose thread is watched
        original, record_state = getattr(Project, method), Project.record_state

        def paused(project: Project, *args: Any, **kwargs: Any) -> Any:
            out = original(project, *args, **kwargs)
            if threading.current_thread().name == IMPORT_THREAD:
                self.calls += 1
                if self.calls == nth:
                    self.paused.set()
                    assert self.resume.wait(SAFETY_S)
            return out

        def recorded(project: Project, entry: Any, *args: Any, **kwargs: Any) -> None:
            job = self.job
            if job is not None and not job.done.is_set() and threading.current_thread().name != IMPORT_THREAD:
                self.gui_writes.append(entry.id)
            record_state(project, entry, *args, **kwargs)

        monkeypatch.setattr(Project, method, paused)
        monkeypatch.setattr(Project, "record_state", recorded)


def _on_disk(folder: Path) -> dict[str, tuple[Status, dict | None]]:
    """Each image's (status, prediction summary) as the project's files hold them now (project.json
    and its journal, read as an opening reads them; opened read-only beside the window's lock)."""
    with Project.open(folder, create=False) as project:
        return {e.id: (e.status, e.prediction) for e in project.entries}


@pytest.mark.parametrize(("method", "nth", "on_gui_thread"),
                         [("save_mask", 2, False), ("_dump_all", 1, False), ("_dump_all", 1, True)],
                         ids=["paused-after-2nd-mask", "paused-in-final-project-json-write",
                              "summarised-on-the-gui-thread"])
def test_run_all_during_an_import_leaves_every_summary_and_status(qtbot, make_window, checkpoint, demo_dir: Path,
                                                                  tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  method: str, nth: int, on_gui_thread: bool) -> None:
    if on_gui_thread:  # the inference thread makes no summary: `commands.record_prediction` makes and stores it
        monkeypatch.setattr(worklist_summaries, "summarise_for_worklist", lambda *args, **kwargs: None)
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    ui = window.annotation
    qtbot.waitUntil(lambda: ui.worklist.project is not None, timeout=WAIT_MS)
    project = ui.worklist.project
    folder, ids = project.folder, list(project.ids)
    assert len(ids) == 4 and all(e.prediction is None for e in project.entries)
    pause = _Pause(monkeypatch, method, nth)
    assert ui.start_import(demo_dir)
    job = pause.job = ui.imports.job
    qtbot.waitUntil(pause.paused.is_set, timeout=WAIT_MS)

    request = run_all(qtbot, ctl)  # every result arrives on the GUI thread while the import is paused
    qtbot.waitUntil(lambda: request not in ctl._runs, timeout=WAIT_MS * 2)
    pause.resume.set()
    report = ui.imports.wait()

    assert job.done.is_set() and report is not None and report.imported == ids
    assert not import_hold.holding(project)
    assert [e.status for e in project.entries] == [Status.EDITED] * 4
    summaries = {e.id: e.prediction for e in project.entries}
    assert all(s is not None for s in summaries.values()), summaries
    # on disk before the window closes: what a crash now would leave (was: no summary at all when
    # they came while project.json was written)
    assert _on_disk(folder) == {i: (Status.EDITED, summaries[i]) for i in ids}
    assert pause.gui_writes == []  # one writer at a time (was: the 4 summaries, written on MainThread)
    ui.controller.close()
    assert _on_disk(folder) == {i: (Status.EDITED, summaries[i]) for i in ids}
