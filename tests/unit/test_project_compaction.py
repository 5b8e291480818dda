"""A project near a full disk: the ``project.json`` rewrite (the journal's compaction, every
`JOURNAL_LIMIT` lines, at the end of a batch) fails for lack of room, a journal line still fits.

Each save's own record is its mask and its journal line; the rewrite only empties the journal. It
failed every save once the journal was due (about 500 lines, the user could not save at all though
a few hundred bytes would have fitted). Now such a save appends its line as any other, the rewrite
is tried again some lines later and at close, and only a mask or journal line that cannot be
written fails a save.
"""

from __future__ import annotations

import errno
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectSaveError
from tests.unit.crash_worker import disk_state, make_images, mask_hash, smoke_ratio, stray_files
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")

LIMIT = 4


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", LIMIT)
    folder = make_images(tmp_path / "images", seed=11, count=4)
    with Project.open(folder) as p:
        yield p


def _journal_lines(project: Project) -> int:
    path = project.folder / "changes.jsonl"
    return len(path.read_bytes().splitlines()) if path.exists() else 0


def _crash_and_reopen(project: Project) -> Project:
    """The lock left as by a killed process (no close), then the project opened again."""
    project.lock.path.unlink()
    project.lock.held = False
    return Project.open(project.folder)


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("step", ["write", "half", "fsync", "replace"])
def test_a_failed_rewrite_still_saves_the_edit_by_its_journal_line(project, monkeypatch, step, err) -> None:
    doc = project.open_document(project.ids[0])
    for i in range(LIMIT):  # the journal is due for a rewrite
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    assert _journal_lines(project) == LIMIT and project.is_saved(doc)
    old_state = (project.folder / "project.json").read_bytes()
    events: list[tuple] = []
    project.events.connect(events.append)

    faults = Faults(monkeypatch)
    faults.fail("project.json", step, err)
    tools.brush(doc, [(20, 20), (22, 23)], 3)
    doc.set_status(Status.REVIEWED)
    assert faults.hits, "the rewrite was not tried"

    assert [e[0] for e in events] == ["saved", "saved"] and project.last_error is None
    assert project.is_saved(doc)
    assert isinstance(project.compaction_error, ProjectSaveError)
    assert project.compaction_error.path == project.folder / "project.json"
    assert (project.folder / "project.json").read_bytes() == old_state
    assert _journal_lines(project) == LIMIT + 2 and not stray_files(project.folder)
    expected = dict(disk_state(project.folder))
    assert expected[doc.image_id] == (mask_hash(doc.mask), "reviewed", smoke_ratio(doc.mask))
    with _crash_and_reopen(project) as again:  # the rewrite fails on opening too: the journal is read
        assert not again.read_only and disk_state(again.folder) == expected
        assert again.entry(doc.image_id).status == Status.REVIEWED
        faults.clear()
    assert not (project.folder / "changes.jsonl").exists()  # folded at close, once there was room
    assert disk_state(project.folder) == expected


def test_the_rewrite_is_tried_again_later_not_at_every_save(project, monkeypatch) -> None:
    """After a failed rewrite the next try comes some journal lines later (`_retry_lines`): a
    near-full disk is not written a whole project.json at every stroke. Once there is room again the
    journal is folded at the next try."""
    monkeypatch.setattr(project_module, "JOURNAL_LIMIT", 20)
    retry = project_module.compaction_retry_lines()
    assert 1 <= retry < 20
    doc = project.open_document(project.ids[1])
    faults = Faults(monkeypatch)
    faults.fail("project.json", "write", errno.ENOSPC)
    saves = 20 + 3 * retry + 1
    for i in range(saves):
        tools.brush(doc, [(1 + i % 20, 1 + i // 20)], 1)
        assert project.is_saved(doc)
    assert faults.hits == 4  # at 20 lines, then every `retry` lines (not at each of the saves after 20)
    assert _journal_lines(project) == saves
    faults.clear()
    for i in range(retry):
        tools.brush(doc, [(30, 1 + i)], 1)
    assert not (project.folder / "changes.jsonl").exists() and project.compaction_error is None
    with _crash_and_reopen(project) as again:
        assert mask_hash(again.load_mask(doc.image_id)) == mask_hash(doc.mask)


def test_a_batch_whose_rewrite_fails_is_saved_by_journal_lines(project, monkeypatch) -> None:
    """The end of a batch writes project.json once for all its saves; when that fails the batch's
    changed images are appended to the journal instead (the masks are written already)."""
    ids = project.ids[:3]
    shapes = [project.open_document(i, autosave=False).shape for i in ids]
    masks = [np.zeros(shape, np.uint8) for shape in shapes]
    for n, mask in enumerate(masks):
        mask[: n + 2, : n + 3] = 1
    Faults(monkeypatch).fail("project.json", "half", errno.ENOSPC)
    with project.batch():
        for image_id, mask in zip(ids, masks, strict=True):
            project.save_mask(image_id, mask, Status.PREDICTED)
    assert isinstance(project.compaction_error, ProjectSaveError)
    state = disk_state(project.folder)
    for image_id, mask in zip(ids, masks, strict=True):
        assert state[image_id] == (mask_hash(mask), "predicted", smoke_ratio(mask))
    assert _journal_lines(project) == len(ids) and not stray_files(project.folder)


def test_a_save_fails_only_when_its_journal_line_cannot_be_written_either(project, monkeypatch) -> None:
    doc = project.open_document(project.ids[2])
    for i in range(LIMIT):
        tools.brush(doc, [(2 + 3 * i, 4)], 1)
    before = disk_state(project.folder)
    faults = Faults(monkeypatch)
    faults.fail("project.json", "write", errno.ENOSPC)
    faults.fail("changes.jsonl", "half", errno.ENOSPC)
    tools.brush(doc, [(20, 20)], 3)
    error = project.last_error
    assert isinstance(error, ProjectSaveError) and not project.is_saved(doc)
    assert error.path == project.folder / "changes.jsonl" and "disk full" in error.reason
    assert disk_state(project.folder) == before and not stray_files(project.folder)
    faults.clear()
    project.save_document(doc)
    assert project.is_saved(doc) and disk_state(project.folder)[doc.image_id][0] == mask_hash(doc.mask)
    project.close()
    assert not (project.folder / "changes.jsonl").exists()
    assert disk_state(project.folder)[doc.image_id][0] == mask_hash(doc.mask)
