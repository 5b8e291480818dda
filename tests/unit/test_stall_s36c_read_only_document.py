"""Taking an image's files read on the reader worker (`app.annotation.document_reader`) looked at the disk on the
GUI thread for every image shown: `Project.open_document(saved=...)` stat-ed the mask file (`SavedFiles.current`)
and, read-only, its recovery log (`LoggedMasks.log_applies`: any log applies then) (session 36).

A read-only project (another holds it: a team's project on a share) takes them as read: both looks only decide
whether the mask file may be taken as the document's for a status-only save, or the files read again, and such a
project never saves. A writable one knows whether this process wrote the mask file since from its own writes,
counted in memory (`fosp_core.annotation.saved_files_writes`): a background save of the image since its files were
read still has them read again (the save race). No other process writes a project held writable.

The calls are recorded by thread (no wall-clock assert)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_documents import read_saved_files


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


def _projects(demo_dir: Path, tmp_path: Path) -> tuple[Project, Project, Path]:
    folder = shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos")
    location = tmp_path / "share" / "project"
    holder = Project.open(folder, location)
    shape = read_saved_files(holder, holder.ids[0]).shape
    holder.save_mask(holder.ids[0], np.ones(shape, np.uint8), Status.EDITED)
    reader = Project.open(folder, location)  # held by `holder`: read-only
    assert reader.read_only and not holder.read_only
    return holder, reader, location


def test_a_read_only_project_takes_the_files_read_without_a_look_at_the_disk(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    holder, reader, location = _projects(demo_dir, tmp_path)
    try:
        image_id = reader.ids[0]
        saved = read_saved_files(reader, image_id)  # the reader worker's (any thread)
        calls = _record_stats(monkeypatch, location)
        doc = reader.open_document(image_id, image_shape=saved.shape, saved=saved)
        assert calls == [], calls
        assert doc.status == Status.EDITED and np.array_equal(doc.mask, saved.document.mask)
        assert doc.mask.any()
    finally:
        reader.close()
        holder.close()


def test_a_writable_project_still_reads_a_mask_written_since(demo_dir: Path, tmp_path: Path) -> None:
    """The check kept where it matters: the holder's files read, then its mask written again (as a save of this
    process would), the document has the new mask."""
    holder, reader, _location = _projects(demo_dir, tmp_path)
    try:
        image_id = holder.ids[0]
        saved = read_saved_files(holder, image_id)
        shape = saved.shape
        holder.save_mask(image_id, np.zeros(shape, np.uint8), Status.EDITED)
        doc = holder.open_document(image_id, image_shape=shape, saved=saved)
        assert not doc.mask.any()
    finally:
        reader.close()
        holder.close()


def test_a_writable_project_takes_the_files_read_without_a_look_at_the_disk(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The usual case (the project held by this process): this process's own writes of the mask file are counted
    in memory (`saved_files_writes`), so nothing is stat-ed on the GUI thread to know that none ran since."""
    holder, reader, location = _projects(demo_dir, tmp_path)
    try:
        image_id = holder.ids[0]
        saved = read_saved_files(holder, image_id)
        calls = _record_stats(monkeypatch, location)
        doc = holder.open_document(image_id, image_shape=saved.shape, saved=saved)
        assert calls == [], calls
        assert doc.mask.any() and np.array_equal(doc.mask, saved.document.mask)
    finally:
        reader.close()
        holder.close()


def test_a_background_save_of_the_image_since_its_files_were_read_has_them_read_again(
        demo_dir: Path, tmp_path: Path) -> None:
    """The save race: the image's files read (the reader worker), then a commit of it saved by the save thread
    (its document open elsewhere, as one let go with its save under way); the document taken has that commit."""
    from fosp_core.annotation import tools

    folder = shutil.copytree(demo_dir / "JPEGImages", tmp_path / "photos")
    project = Project.open(folder, tmp_path / "share" / "project")
    project.save_in_background = True
    try:
        image_id = project.ids[0]
        saved = read_saved_files(project, image_id)
        assert not saved.document.mask.any()
        other = project.open_document(image_id, image_shape=saved.shape)
        tools.brush(other, [(5.0, 5.0), (40.0, 40.0)], 6)  # committed: its PNG written by the save thread
        project.flush_image(image_id)
        assert project.load_mask(image_id) is not None
        doc = project.open_document(image_id, image_shape=saved.shape, saved=saved)
        assert np.array_equal(doc.mask, other.mask) and doc.mask.any()
    finally:
        project.close()
