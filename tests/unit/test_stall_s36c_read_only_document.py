"""A project opened read-only (another holds it: the usual case of a team's project on a network share) looked at
the disk on the GUI thread for every image shown: `Project.open_document(saved=...)`, taking the files the reader
worker read (`app.annotation.document_reader`), stat-ed the mask file (`SavedFiles.current`) and its recovery log
(`LoggedMasks.log_applies`: any log applies read-only) there (session 36).

Both looks only decide whether the mask file may be taken as the document's from now on (its signature, for a
status-only save) or the files read again: a read-only project never saves, and a file another process writes a
moment after the worker's read is the same as one written a moment after the document is taken. They are made on
the reader's thread only. A writable project still checks the file (`test_read_document_logged_mask.py`,
`test_stall_s36c_read_only_document::test_a_writable_project_still_reads_a_mask_written_since`).

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
