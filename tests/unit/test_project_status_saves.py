"""A status-only change of an open document (R = mark reviewed, undoing it) is saved as its journal
line alone when the mask file already holds the document's mask: it rewrote the whole mask PNG
(about 50 ms for 4000x3000 on the GUI thread) though not a pixel changed.

The mask is still written whenever the file may not hold the document's mask: after an edit, after
a save that failed (the old mask put back), when another document of the image or an import saved
its own, when the file changed behind the project's back, or when the project never knew the
mask's smoke ratio. On disk a status never stands beside a mask it was not given to.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import project as project_module
from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, ProjectSaveError
from fosp_core.io.masks import encode_mask_png
from tests.unit.crash_worker import disk_state, make_images, mask_hash, smoke_ratio, stray_files
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


@pytest.fixture()
def project(tmp_path: Path):
    folder = make_images(tmp_path / "images", seed=5, count=3)
    with Project.open(folder) as p:
        yield p


@pytest.fixture()
def mask_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the masks the project encodes for writing, in order."""
    writes: list[str] = []
    real = project_module.encode_mask_png

    def counted(mask: np.ndarray, **kwargs: object) -> bytes:
        writes.append(mask_hash(mask))
        return real(mask, **kwargs)

    monkeypatch.setattr(project_module, "encode_mask_png", counted)
    return writes


def _file(project: Project, image_id: str) -> tuple[int, int]:
    st = os.stat(project.mask_path(image_id))
    return st.st_ino, st.st_mtime_ns


def _expected(doc) -> tuple[str, str, str]:
    return mask_hash(doc.mask), doc.status.value, smoke_ratio(doc.mask)


def _reopened(project: Project) -> dict[str, tuple[str, str, str]]:
    """What a crash leaves: the lock dropped as by a killed process, the project opened again."""
    project.lock.path.unlink()
    project.lock.held = False
    with Project.open(project.folder) as again:
        return disk_state(again.folder)


def test_marking_reviewed_and_undoing_it_leave_the_mask_file_alone(project, mask_writes) -> None:
    image_id = project.ids[0]
    doc = project.open_document(image_id)
    tools.brush(doc, [(3, 3), (12, 9)], 2)
    assert len(mask_writes) == 1
    written = _file(project, image_id)
    journal = (project.folder / "changes.jsonl").read_bytes()

    doc.set_status(Status.REVIEWED)
    assert project.is_saved(doc) and mask_writes == [mask_hash(doc.mask)]
    assert _file(project, image_id) == written
    assert (project.folder / "changes.jsonl").read_bytes().startswith(journal)  # a line appended
    assert disk_state(project.folder)[image_id] == _expected(doc)
    doc.undo()
    assert project.is_saved(doc) and len(mask_writes) == 1 and _file(project, image_id) == written
    assert doc.status == Status.EDITED and disk_state(project.folder)[image_id] == _expected(doc)
    doc.redo()
    assert len(mask_writes) == 1 and _reopened(project)[image_id] == _expected(doc)


def test_marking_an_opened_prediction_reviewed_writes_no_mask(project, mask_writes) -> None:
    """The review of a prediction right after opening it, in a project opened again (the state read
    from project.json and the journal)."""
    image_id = project.ids[1]
    shape = project.open_document(image_id, autosave=False).shape
    project.set_prediction(image_id, np.random.default_rng(1).random(shape, dtype=np.float32))
    project.close()
    with Project.open(project.folder) as again:
        written, count = _file(again, image_id), len(mask_writes)
        doc = again.open_document(image_id)
        doc.set_status(Status.REVIEWED)
        assert again.is_saved(doc) and len(mask_writes) == count and _file(again, image_id) == written
        assert _reopened(again)[image_id] == _expected(doc)


def test_an_edit_then_a_status_change_writes_the_mask(project, mask_writes) -> None:
    doc = project.open_document(project.ids[0])
    with doc.history_block("stroke and mark"):
        tools.brush(doc, [(5, 5)], 3)
        doc.set_status(Status.REVIEWED)
    tools.erase(doc, [(5, 5)], 2)
    doc.set_status(Status.REVIEWED)
    assert mask_writes[-1] == mask_hash(doc.mask) and len(mask_writes) == 2
    assert disk_state(project.folder)[doc.image_id] == _expected(doc)


def test_a_status_change_after_a_failed_save_writes_the_kept_edit(project, monkeypatch, mask_writes) -> None:
    """The stroke's save failed (its mask put back): the review mark's save must write the stroke,
    not record 'reviewed' beside the old mask."""
    image_id = project.ids[0]
    doc = project.open_document(image_id)
    tools.brush(doc, [(3, 3)], 2)
    faults = Faults(monkeypatch)
    faults.fail("changes.jsonl", "write", errno.ENOSPC)  # the mask is written, its state is not
    tools.brush(doc, [(20, 20), (22, 23)], 3)
    assert isinstance(project.last_error, ProjectSaveError) and not project.is_saved(doc)
    faults.clear()
    doc.set_status(Status.REVIEWED)
    assert project.is_saved(doc) and mask_writes[-1] == mask_hash(doc.mask)
    assert disk_state(project.folder)[image_id] == _expected(doc)
    assert not stray_files(project.folder)


def test_a_failed_status_only_save_keeps_the_old_status_and_saves_later(project, monkeypatch, mask_writes) -> None:
    image_id = project.ids[0]
    doc = project.open_document(image_id)
    tools.brush(doc, [(3, 3)], 2)
    before = disk_state(project.folder)
    faults = Faults(monkeypatch)
    faults.fail("changes.jsonl", "half", errno.EIO)
    doc.set_status(Status.REVIEWED)
    assert isinstance(project.last_error, ProjectSaveError) and not project.is_saved(doc)
    assert disk_state(project.folder) == before and project.entry(image_id).status == Status.EDITED
    faults.clear()
    project.save_document(doc)
    assert project.is_saved(doc) and len(mask_writes) == 1
    assert _reopened(project)[image_id] == _expected(doc)


def test_a_mask_saved_by_another_writer_is_replaced_by_the_documents(project, mask_writes) -> None:
    """Another document of the image saved its mask, or the file was replaced behind the project's
    back: the status change writes this document's mask (the last save wins, as before)."""
    first, second = project.ids[:2]
    doc = project.open_document(first)
    tools.brush(doc, [(3, 3)], 2)
    other = project.open_document(first)
    tools.brush(other, [(20, 20)], 4)
    doc.set_status(Status.REVIEWED)
    assert mask_writes[-1] == mask_hash(doc.mask) and disk_state(project.folder)[first] == _expected(doc)

    doc2 = project.open_document(second)
    tools.brush(doc2, [(3, 3)], 2)
    path = project.mask_path(second)
    path.write_bytes(encode_mask_png(np.ones(doc2.shape, np.uint8)))  # in place: a new mtime
    doc2.set_status(Status.REVIEWED)
    assert mask_writes[-1] == mask_hash(doc2.mask) and disk_state(project.folder)[second] == _expected(doc2)


def test_a_mask_without_a_known_smoke_ratio_is_saved_with_it(project, mask_writes) -> None:
    image_id = project.ids[0]
    doc = project.open_document(image_id)
    tools.brush(doc, [(3, 3)], 2)
    project.entry(image_id).smoke_ratio = None  # as an older project.json may hold
    project.write_state()
    count = len(mask_writes)
    again = project.open_document(image_id)
    again.set_status(Status.REVIEWED)
    assert len(mask_writes) == count + 1 and disk_state(project.folder)[image_id] == _expected(again)


def test_a_mask_left_by_a_crash_before_its_state_is_saved_with_its_ratio(project, mask_writes) -> None:
    """A crash between a mask write and its journal line leaves the new mask beside the old state
    (smoke ratio): marking it reviewed after reopening writes the mask again, with its ratio."""
    image_id = project.ids[0]
    tools.brush(project.open_document(image_id), [(3, 3)], 2)
    torn = np.ones(project.entry(image_id).size, np.uint8)
    project.mask_path(image_id).write_bytes(encode_mask_png(torn))  # the state not written: a crash
    project.lock.path.unlink()
    project.lock.held = False
    with Project.open(project.folder) as again:
        doc = again.open_document(image_id)
        assert mask_hash(doc.mask) == mask_hash(torn)
        count = len(mask_writes)
        doc.set_status(Status.REVIEWED)
        assert len(mask_writes) == count + 1 and disk_state(again.folder)[image_id] == _expected(doc)


def test_the_mask_version_follows_every_pixel_change_and_no_status_change(project) -> None:
    doc = project.open_document(project.ids[0], autosave=False)
    seen = [doc.mask_version]
    doc.set_status(Status.REVIEWED)
    doc.undo()
    assert doc.mask_version == seen[-1]
    for change in (lambda: tools.brush(doc, [(3, 3)], 2), doc.undo, doc.redo):
        change()
        assert doc.mask_version not in seen
        seen.append(doc.mask_version)
    doc.begin_step("cancelled")
    tools.brush(doc, [(9, 9)], 2)
    doc.cancel_step()
    assert doc.mask_version not in seen
    assert project.open_document(project.ids[0], autosave=False).mask_version != doc.mask_version
