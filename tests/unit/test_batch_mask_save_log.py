"""`Project.save_mask` inside a `batch` (an import of labels, predictions saved in bulk) over an image
whose recovery log holds a background commit: the mask file is written at once, its state waits for
the batch's end (``project.json``). The log went at once: a kill or power loss before the batch's end
left the new mask with the status from before the commit (neither the commit's state nor the state
written). The log now stays, ending with the state written (a whole-mask record), until the batch's
end made that state durable; then it goes, unless that end was not durable.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation import mask_saves, tools
from fosp_core.annotation import project as project_module
from fosp_core.annotation.document import AnnotationDocument, Status
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.mask_writes import NotDurableSaveError
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import log_path
from fosp_core.annotation.storage import StorageError
from fosp_core.io import atomic
from tests.unit.crash_worker import make_images, mask_hash


def _committed(tmp_path: Path) -> tuple[Project, str, Path]:
    """A project whose first image has a background commit (reviewed) in its recovery log, its save
    not taken yet."""
    project = Project.open(make_images(tmp_path / "images", seed=3, count=2))
    project.save_in_background = True
    doc = project.open_document(project.ids[0])
    tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
    doc.set_status("reviewed")
    log = log_path(project.mask_path(doc.image_id))
    assert log.exists()
    return project, doc.image_id, log


def _new_mask(project: Project, image_id: str) -> np.ndarray:
    shape = project.entry(image_id).size
    assert shape is not None
    mask = np.zeros(shape, np.uint8)
    mask[: shape[0] // 2, : shape[1] // 3] = 1
    return mask


def _killed_copy(project: Project, to: Path) -> Path:
    """The project's images folder as a kill leaves it now (the lock left out)."""
    images = project.folder.parent
    return Path(shutil.copytree(images, to, ignore=shutil.ignore_patterns("lock")))


def _state(folder: Path, image_id: str) -> tuple[str, str]:
    with Project.open(folder) as again:
        return mask_hash(again.load_mask(image_id)), again.entry(image_id).status.value


def test_a_mask_saved_in_a_batch_keeps_the_log_until_the_batch_end(tmp_path: Path) -> None:
    project, image_id, log = _committed(tmp_path)
    try:
        mask = _new_mask(project, image_id)
        with project.batch():
            project.save_mask(image_id, mask, Status.PREDICTED)
            assert log.exists(), "the log went while the state written was in memory only"
            copy = _killed_copy(project, tmp_path / "killed")
        # a kill (or power loss: the log and the PNG are fsynced) before the batch's end shows the state written
        assert _state(copy, image_id) == (mask_hash(mask), "predicted")
        assert not log.exists(), "the batch's end made the state durable: the log goes"
        assert _state(_killed_copy(project, tmp_path / "after"), image_id) == (mask_hash(mask), "predicted")
    finally:
        project.close()


def test_a_background_save_taken_in_a_batch_lets_its_log_go_at_the_batch_end(tmp_path: Path) -> None:
    project, image_id, log = _committed(tmp_path)
    try:
        with project.batch():
            project.finish_saves(wait=True)
            assert log.exists()
        assert not log.exists(), "the commit's state is in project.json: its log goes with the batch's end"
        assert _state(_killed_copy(project, tmp_path / "after"), image_id)[1] == "reviewed"
    finally:
        project.close()


def test_a_batch_end_not_durable_keeps_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, image_id, log = _committed(tmp_path)
    real, failing = os.fsync, project.folder

    def fsync(fd: int) -> None:  # the project folder's fsync fails (EIO): project.json's rename not durable
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode) and os.path.samestat(info, os.stat(failing)):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(fd)

    try:
        mask = _new_mask(project, image_id)
        with pytest.raises(NotDurableSaveError), project.batch():  # the journal's creation too
            project.save_mask(image_id, mask, Status.PREDICTED)
            monkeypatch.setattr(atomic.os, "fsync", fsync)
        assert project.compaction_error is not None
        assert log.exists(), "project.json may not be durable: the log keeps the state written"
        assert _state(_killed_copy(project, tmp_path / "after"), image_id) == (mask_hash(mask), "predicted")
    finally:
        monkeypatch.undo()
        project.close()


def _rect_logged(tmp_path: Path) -> tuple[Project, AnnotationDocument]:
    """A project whose first image's mask file holds its document's mask, then a background commit: its
    log starts with a rectangle (over that file)."""
    project = Project.open(make_images(tmp_path / "images", seed=3, count=2))
    image_id = project.ids[0]
    doc = project.open_document(image_id)
    base = np.zeros(doc.shape, np.uint8)
    base[-6:, -6:] = 1
    project.save_mask(image_id, base, Status.EDITED)
    doc = project.open_document(image_id)
    project.save_in_background = True
    tools.brush(doc, [(5.0, 5.0), (20.0, 20.0)], 4)
    return project, doc


def _top_half(shape: tuple[int, int]) -> np.ndarray:
    """A mask (uint8, `shape`) whose top half is 1."""
    mask = np.zeros(shape, np.uint8)
    mask[: shape[0] // 2, :] = 1
    return mask


def _kill_after_writes(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       suffix: str = "") -> list[Path]:
    """After each of the project's atomic writes (to a file whose name ends with `suffix`), its images
    folder as a kill leaves it, copied to ``tmp_path/killed-<n>``: the list they are added to."""
    real = project_module.atomic_write
    copies: list[Path] = []

    def write(path: Path, data: bytes) -> None:
        real(path, data)
        if path.name.endswith(suffix):
            copies.append(_killed_copy(project, tmp_path / f"killed-{len(copies)}"))

    monkeypatch.setattr(project_module, "atomic_write", write)
    return copies


def test_a_kill_between_the_mask_file_and_its_state_never_mixes_masks(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The log may start with a rectangle over the mask file it was written on; `save_mask` replacing that
    file while the log stays (a batch) must not leave the rectangle applied over the new mask: a kill
    right after the new file is in place reopens the commit's state or the state written, nothing else."""
    project, doc = _rect_logged(tmp_path)
    try:
        committed = (mask_hash(doc.mask), doc.status.value)
        mask = _top_half(doc.shape)
        copies = _kill_after_writes(project, tmp_path, monkeypatch, suffix=".png")
        with project.batch():
            project.save_mask(doc.image_id, mask, Status.PREDICTED)
        assert copies
        for copy in copies:
            assert _state(copy, doc.image_id) in (committed, (mask_hash(mask), "predicted"))
    finally:
        monkeypatch.undo()
        project.close()


def test_a_kill_after_the_mask_file_of_a_save_whose_log_stayed_never_mixes_masks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a batch: the commit's background save failed (its log stays, starting with a rectangle),
    then `save_mask` (an import) replaces the mask file; a kill before its journal line reopens the
    commit's state or the state written."""
    project, doc = _rect_logged(tmp_path)
    try:
        def failing(job: mask_saves.SaveJob) -> None:
            job.error = ProjectSaveError(job.path, "cannot write: disk full")

        monkeypatch.setattr(mask_saves, "_write", failing)
        project.finish_saves(wait=True)
        log = log_path(project.mask_path(doc.image_id))
        assert log.exists()
        committed = (mask_hash(doc.mask), doc.status.value)
        mask = _top_half(doc.shape)
        copies = _kill_after_writes(project, tmp_path, monkeypatch)
        project.save_mask(doc.image_id, mask, Status.PREDICTED)
        assert copies and not log.exists()
        assert _state(copies[0], doc.image_id) in (committed, (mask_hash(mask), "predicted"))
    finally:
        monkeypatch.undo()
        project.close()


def test_a_mask_save_that_failed_takes_its_log_record_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, doc = _rect_logged(tmp_path)
    try:
        log = log_path(project.mask_path(doc.image_id))
        committed = (mask_hash(doc.mask), doc.status.value)

        def full(path: Path, data: bytes) -> None:
            raise StorageError(path, "cannot write: disk full")

        with project.batch():
            project.finish_saves(wait=True)  # the log held for the batch
            before = log.read_bytes()
            monkeypatch.setattr(project_module, "atomic_write", full)
            with pytest.raises(ProjectSaveError, match="disk full"):
                project.save_mask(doc.image_id, np.ones(doc.shape, np.uint8), Status.PREDICTED)
            assert log.read_bytes() == before, "the record of a save that failed stayed in the log"
            copy = _killed_copy(project, tmp_path / "killed")
        assert _state(copy, doc.image_id) == committed
    finally:
        monkeypatch.undo()
        project.close()
