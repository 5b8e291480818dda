"""The journal's compaction on a worker thread (`Project.compact_in_background`, what the app uses):
saves made while ``project.json`` is rewritten are neither lost nor applied twice, whatever file the
rewrite leaves, and a failed rewrite leaves no line that a later ``project.json`` would apply.
(A kill during a background rewrite: `tests/unit/test_crash_safety.py`.)"""

from __future__ import annotations

import errno
import json
import threading
from pathlib import Path

import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation import project_compaction, tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectSaveError
from fosp_core.annotation.storage import atomic_write
from tests.unit.crash_worker import disk_state, make_images, mask_hash, stray_files
from tests.unit.disk_faults import Faults

LIMIT = 4


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", LIMIT)
    folder = make_images(tmp_path / "images", seed=5, count=3)
    with Project.open(folder) as p:
        p.compact_in_background = True
        yield p


class Gate:
    """Holds the background rewrite before it writes (`opened` lets it go) and after (`written`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.go, self.written, self.started = threading.Event(), threading.Event(), threading.Event()

        def held(path: Path, data: bytes, **kwargs: object) -> None:
            self.started.set()
            assert self.go.wait(10)
            try:
                atomic_write(path, data, **kwargs)
            finally:
                self.written.set()

        monkeypatch.setattr(project_compaction, "atomic_write", held)

    def open(self) -> None:
        self.go.set()
        assert self.written.wait(10)


def _lines(project: Project) -> list[dict]:
    path = project.folder / "changes.jsonl"
    return [json.loads(line) for line in path.read_bytes().splitlines()] if path.exists() else []


def _copy_files(project: Project, into: Path) -> Path:
    """The project folder's files as a crash would leave them now (the lock not copied)."""
    into.mkdir()
    for path in project.folder.rglob("*"):
        rel = path.relative_to(project.folder)
        if path.is_file() and rel.name != "lock":
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            (into / rel).write_bytes(path.read_bytes())
    return into


def test_saves_during_a_background_rewrite_are_kept_once_whichever_file_it_leaves(project, monkeypatch, tmp_path) -> None:
    gate = Gate(monkeypatch)
    doc = project.open_document(project.ids[0])
    for i in range(LIMIT + 1):  # the last save finds the journal due: the rewrite starts
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    assert gate.started.wait(10) and project.compacting
    for i in range(3):  # saves while the rewrite runs
        tools.brush(doc, [(2 + 3 * i, 12)], 1)
    doc.set_status(Status.REVIEWED)
    assert project.is_saved(doc)
    expected = disk_state(project.folder)
    assert expected[doc.image_id][:2] == (mask_hash(doc.mask), "reviewed")
    before = _copy_files(project, tmp_path / "before")  # killed before the new project.json
    gate.open()
    after = _copy_files(project, tmp_path / "after")  # killed after it, before its end was taken
    assert disk_state(before) == expected and disk_state(after) == expected
    generation = json.loads((project.folder / "project.json").read_text())["journal"]
    assert [r["generation"] for r in _lines(project)].count(generation) == 4  # the 4 saves after the snapshot

    assert project.finish_compaction() and project.compaction_error is None and not project.compacting
    assert project._journal_lines == 4  # none counted twice, none forgotten
    tools.brush(doc, [(30, 30)], 2)
    expected = disk_state(project.folder)
    project.close()
    assert not (project.folder / "changes.jsonl").exists() and not stray_files(project.folder)
    assert disk_state(project.folder) == expected
    with Project.open(project.folder) as again:
        assert again.entry(doc.image_id).status == doc.status
        assert mask_hash(again.load_mask(doc.image_id)) == mask_hash(doc.mask)


def test_a_rewrite_with_no_save_meanwhile_empties_the_journal_and_tells_it(project) -> None:
    events: list[tuple] = []
    project.events.connect(events.append)
    doc = project.open_document(project.ids[1])
    for i in range(LIMIT + 1):
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    assert project.compacting
    assert project.finish_compaction(wait=True)
    assert events[-1] == ("compacted", "", None)
    assert not (project.folder / "changes.jsonl").exists() and project._journal_lines == 0
    assert disk_state(project.folder)[doc.image_id][0] == mask_hash(doc.mask)


def test_a_failed_background_rewrite_is_told_and_its_lines_never_apply(project, monkeypatch) -> None:
    """The failed rewrite's generation N is in the journal (saves made during it); the next
    project.json, even one written after a crash, on opening, with the journal not removed, must not
    take N again, or those older lines would undo later saves."""
    events: list[tuple] = []
    project.events.connect(events.append)
    faults = Faults(monkeypatch)
    faults.fail("project.json", "write", errno.ENOSPC)
    gate = Gate(monkeypatch)
    doc = project.open_document(project.ids[2])
    for i in range(LIMIT + 1):
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    assert gate.started.wait(10)
    doc.set_status(Status.REVIEWED)  # a line in the old generation and in the rewrite's
    gate.open()
    assert project.finish_compaction()
    assert isinstance(project.compaction_error, ProjectSaveError) and events[-1][0] == "compaction_failed"
    assert project.compaction_error.path == project.folder / "project.json"
    doc.set_status(Status.UNLABELED)  # a later save: only in the old generation (no rewrite runs)
    expected = disk_state(project.folder)
    assert expected[doc.image_id][1] == "unlabeled"

    project.lock.path.unlink()  # killed: the journal stays; then opened with the journal undeletable
    project.lock.held = False
    faults.clear()
    real_unlink = Path.unlink

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.name == "changes.jsonl":
            raise PermissionError(errno.EACCES, "denied")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    with Project.open(project.folder) as again:
        assert again.entry(doc.image_id).status == Status.UNLABELED
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert (project.folder / "changes.jsonl").exists()
    assert disk_state(project.folder) == expected
    with Project.open(project.folder) as again:
        assert again.entry(doc.image_id).status == Status.UNLABELED


def test_the_snapshot_is_the_entries_at_its_start(project, monkeypatch) -> None:
    """An entry changed after the snapshot is written as it was (its change is in the journal)."""
    gate = Gate(monkeypatch)
    doc = project.open_document(project.ids[0])
    for i in range(LIMIT + 1):
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    assert gate.started.wait(10)
    project.set_status(project.ids[1], Status.REVIEWED)
    gate.open()
    rewritten = json.loads((project.folder / "project.json").read_text())
    assert {e["id"]: e["status"] for e in rewritten["images"]}[project.ids[1]] == "unlabeled"
    assert disk_state(project.folder)[project.ids[1]][1] == "reviewed"
