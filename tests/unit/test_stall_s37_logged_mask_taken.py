"""Taking an image's files read on the reader worker (`Project.open_document(saved=...)`, the GUI thread) still
looked at the disk for an image whose recovery log this project wrote and has not removed (a save that failed
after its record was logged: the log stays, its image in the project's `_logged`): `LoggedMasks.log_applies` stat-ed
the log to tell whether it applies (session 37, N4).

That it does is known in memory: the project wrote (or queued) that log's records itself and removes the log only as
the image's mask is written (`save_results._mask_written`, which forgets the image). A log not on disk yet (its
record still on its way to a disk that does not answer) counts as applying: the document's first save then writes
its mask instead of a status-only line (`project_documents.read_document`), the cautious side. A read-only project
(any log may apply: another process writes them) is not asked on the GUI thread
(`test_stall_s36c_read_only_document`). The calls are recorded by thread; no wall-clock assert."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import fosp_core.annotation.mask_saves as mask_saves
from fosp_core.annotation import tools
from fosp_core.annotation.entries import ProjectSaveError
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_documents import read_saved_files
from fosp_core.annotation.recovery import log_path


def _record_stats(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[str]:
    """The paths under `root` that `os.stat` is called with on this (the main) thread, from now on."""
    calls: list[str] = []
    real: Callable[..., os.stat_result] = os.stat
    main = threading.current_thread()

    def recorded(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if threading.current_thread() is main and str(path).startswith(str(root)):
            calls.append(str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", recorded)
    return calls


def _failed_png(job: mask_saves.SaveJob) -> None:
    """The save thread's write of a mask PNG failing before the file is touched (its log kept, as on a full disk)."""
    job.error = ProjectSaveError(job.path, "cannot write: disk full")


@pytest.fixture()
def project(demo_dir: Path, tmp_path: Path) -> Project:
    folder = shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos")
    opened = Project.open(folder, tmp_path / "share" / "project")
    opened.save_in_background = True
    yield opened
    opened.close()


def test_stall_s37_an_image_whose_log_this_project_kept_is_taken_without_a_look_at_the_log(
        project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    image_id = project.ids[0]
    saved = read_saved_files(project, image_id)  # the reader worker's, before the edit below
    assert not saved.logged
    monkeypatch.setattr(mask_saves, "_write", _failed_png)
    other = project.open_document(image_id, image_shape=saved.shape)
    tools.brush(other, [(5.0, 5.0), (40.0, 40.0)], 6)  # its record logged; its PNG not written
    project.flush_image(image_id)
    log = log_path(project.mask_path(image_id))
    assert log.exists() and project.log_applies(image_id)
    calls = _record_stats(monkeypatch, tmp_path / "share")
    doc = project.open_document(image_id, image_shape=saved.shape, saved=saved)
    assert calls == [], calls
    assert project.log_applies(image_id) and log.exists()
    assert project._saved_masks.holds(image_id, doc.mask_version, project.mask_path(image_id)) is False  # noqa: SLF001


def test_stall_s37_a_log_still_on_its_way_counts_as_applying(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """In memory, a log whose record has not reached the disk yet applies all the same: the reader of the mask
    (`load_mask`, on the worker) finds no log and reads the file alone, as before; a pre-label leaves the image be."""
    image_id = project.ids[0]
    project._logged.add(image_id)  # noqa: SLF001 - as `record_commit` does before its record is on disk
    assert not log_path(project.mask_path(image_id)).exists()
    assert project.log_applies(image_id)
    mask = project.load_mask(image_id)
    assert mask is None or not np.any(mask)
