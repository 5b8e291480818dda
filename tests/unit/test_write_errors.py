"""Full disk and failing disk: every save step of a project (the mask's temp file, its fsync and
rename, the journal append, the ``project.json`` rewrite) fails with ENOSPC or EIO in turn.

A failed save must say which file and why (`ProjectSaveError`, the project's "save_failed" event),
keep the edit in the document, leave what was saved before exactly as it was (no temp file, no
torn journal line), and a save after the space came back must persist everything.

The ``project.json`` rewrite (the journal's compaction, every `JOURNAL_LIMIT` lines) is not a
save's own record: when it fails the save still succeeds by its journal line, and the rewrite is
tried again later (`tests/unit/test_project_compaction.py`).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation import storage, tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectSaveError
from tests.unit.crash_worker import disk_state, make_images, mask_hash, smoke_ratio, stray_files
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")

_REASONS = {errno.ENOSPC: "disk full", errno.EIO: os.strerror(errno.EIO)}


@pytest.fixture()
def project(tmp_path: Path):
    folder = make_images(tmp_path / "images", seed=7, count=4)
    with Project.open(folder) as p:
        yield p


def _saved(project: Project) -> dict[str, tuple[str, str, str]]:
    return disk_state(project.folder)


def _edited(project: Project, image_id: str, status: Status = Status.REVIEWED):
    """An open document of `image_id` with a saved stroke and `status`."""
    doc = project.open_document(image_id)
    tools.brush(doc, [(3, 3), (12, 9)], 2)
    doc.set_status(status)
    assert project.is_saved(doc)
    return doc


# which file each stage writes (a failed project.json rewrite is no failed save: see the module doc)
STAGES = {
    "mask": lambda p, image_id: p.mask_path(image_id),
    "journal": lambda p, image_id: p.folder / "changes.jsonl",
}
CASES = [(stage, step) for stage in ("mask", "journal") for step in ("write", "half", "fsync", "replace")
         if not (stage == "journal" and step == "replace")]  # the journal is appended in place


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize(("stage", "step"), CASES)
def test_a_failed_save_says_why_keeps_the_edit_and_loses_nothing(project, monkeypatch, stage, step, err) -> None:
    first, image_id, later = project.ids[:3]
    _edited(project, first)
    doc = _edited(project, image_id)
    before = _saved(project)
    path = STAGES[stage](project, image_id)
    events: list[tuple] = []
    project.events.connect(events.append)

    faults = Faults(monkeypatch)
    faults.fail(path.name, step, err)
    tools.brush(doc, [(20, 20), (22, 23)], 3)  # the autosave fails
    assert faults.hits, "the fault was not reached"

    failed = [e for e in events if e[0] == "save_failed"]
    assert len(failed) == 1 and failed[0][1] == image_id
    exc = failed[0][2]
    assert isinstance(exc, ProjectSaveError) and project.last_error is exc
    assert exc.path == path, f"names {exc.path}, not the file that failed"
    assert _REASONS[err] in exc.reason and str(path) in str(exc) and _REASONS[err] in str(exc)
    # the edit is kept in memory, known as not saved
    assert doc.mask[20, 20] == 1 and doc.status == Status.EDITED and not project.is_saved(doc)
    # nothing saved before changed: masks, statuses (as a reader finds them), no temp or torn line
    assert _saved(project) == before
    assert project.entry(image_id).status == Status.REVIEWED  # the project's state is the saved one
    assert not stray_files(project.folder), stray_files(project.folder)
    assert Project.open(project.folder).read_only  # (another instance sees the same; it is locked)

    # the space comes back: another image saves, and the failed edit with the next save of its document
    faults.clear()
    other = project.open_document(later)
    tools.brush(other, [(5, 5)], 2)
    assert project.is_saved(other)
    project.save_document(doc)
    assert project.is_saved(doc)
    expected = {i: before[i] for i in before}
    expected[image_id] = (mask_hash(doc.mask), "edited", smoke_ratio(doc.mask))
    expected[later] = (mask_hash(other.mask), "edited", smoke_ratio(other.mask))
    assert _saved(project) == expected
    # and it is all there after a crash (no close: the lock is left as by a killed process)
    project.lock.path.unlink()
    project.lock.held = False
    with Project.open(project.folder) as again:
        assert not again.read_only
        assert _saved(again) == expected


@pytest.mark.parametrize("limit", [None, 0], ids=["journal", "journal-after-failed-rewrite"])
def test_a_failed_state_save_puts_the_old_mask_back(project, monkeypatch, limit) -> None:
    """A save writes the mask, then the image's state (journal line). When the state cannot be
    written the save fails, but the new mask stayed on disk under the old state: an image marked
    reviewed (and its smoke ratio) now holds a mask nobody reviewed, contrary to "a failed save
    leaves the files as they were"; a crash then kept it so. An image without a mask before keeps
    none. The same when the project.json rewrite failed first (limit 0) and the journal then."""
    faults = Faults(monkeypatch)
    if limit is not None:
        monkeypatch.setattr(project_module, "JOURNAL_LIMIT", limit)
        faults.fail("project.json", "write", errno.ENOSPC)
    image_id = project.ids[1]
    doc = _edited(project, image_id)
    before = _saved(project)
    faults.fail("changes.jsonl", "write", errno.ENOSPC)
    tools.erase(doc, [(3, 3), (12, 9)], 3)
    assert isinstance(project.last_error, ProjectSaveError)
    assert _saved(project) == before
    fresh = project.open_document(project.ids[2])
    tools.brush(fresh, [(5, 5)], 2)
    assert _saved(project) == before and project.load_mask(project.ids[2]) is None
    assert not stray_files(project.folder)


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
def test_a_failed_status_change_keeps_the_old_status(project, monkeypatch, err) -> None:
    image_id = project.ids[0]
    _edited(project, image_id)
    before = _saved(project)
    Faults(monkeypatch).fail("changes.jsonl", "half", err)
    with pytest.raises(ProjectSaveError, match=_REASONS[err]) as info:
        project.set_status(image_id, Status.PREDICTED)
    assert info.value.path == project.folder / "changes.jsonl"
    assert project.entry(image_id).status == Status.REVIEWED
    assert _saved(project) == before


def test_closing_and_reopening_on_a_full_disk_keeps_the_journal(project, monkeypatch) -> None:
    """close() and open() fold the journal into project.json; when that rewrite fails the journal
    stays, is applied on the next opening, and the project still opens for writing."""
    docs = [_edited(project, i) for i in project.ids[:2]]
    saved = _saved(project)
    faults = Faults(monkeypatch)
    faults.fail("project.json", "half", errno.ENOSPC)
    project.close()  # the fold fails silently: the journal is the record
    assert (project.folder / "changes.jsonl").exists() and not (project.folder / "lock").exists()
    assert _saved(project) == saved
    with Project.open(project.folder) as again:  # the fold fails again
        assert not again.read_only
        assert _saved(again) == saved
        again.set_status(again.ids[0], Status.EDITED)  # and saving still works (journal append)
        saved[again.ids[0]] = (saved[again.ids[0]][0], "edited", saved[again.ids[0]][2])
        faults.clear()
    assert not (project.folder / "changes.jsonl").exists()  # folded at close
    assert _saved(project) == saved
    assert [mask_hash(d.mask) for d in docs] == [saved[i][0] for i in project.ids[:2]]


def test_no_room_for_the_lock_opens_read_only_and_says_why(project, monkeypatch) -> None:
    project.close()
    saved = _saved(project)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.tempfile, "mkstemp", full)
    p = Project.open(project.folder)
    assert p.read_only and p.read_only_reason == "the project folder is not writable (No space left on device)"
    assert _saved(p) == saved
