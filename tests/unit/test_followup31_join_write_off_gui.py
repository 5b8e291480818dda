"""An image added to a folder whose project is open joins it when the folder is opened again
(`ProjectRegistry._join`, on the GUI thread). Before, `Project.add_listed` rewrote the whole
``project.json`` there (100 000 images: the file's write and fsync on the GUI thread). Now the joined
images' states are appended to the journal, as other edits are, and folded into ``project.json`` later
(its next rewrite, off the GUI thread in the app); an opening applies a journal line of an image that
``project.json`` does not hold yet by adding that image."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from app.annotation.projects import ProjectRegistry
from fosp_core.annotation import project as project_module
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.project_files import PROJECT_FILE


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "imgs"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((20, 30, 3), 90, np.uint8))
    return folder


def _add(folder: Path, name: str) -> None:
    cv2.imwrite(str(folder / name), np.full((20, 30, 3), 60, np.uint8))
    os.utime(folder, ns=(0, os.stat(folder).st_mtime_ns + 1))  # a coarse clock: the folder changed all the same


def test_the_join_writes_no_project_file_on_the_gui_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path)
    registry = ProjectRegistry(tmp_path / "projects")
    try:
        registry.open_for([folder])
        project = registry.projects[0]
        writes: list[threading.Thread] = []
        real = project_module.atomic_write

        def write(path, data, *args, **kwargs):  # the stand-in: which thread writes project.json
            if Path(path).name == PROJECT_FILE:
                writes.append(threading.current_thread())
            return real(path, data, *args, **kwargs)

        monkeypatch.setattr(project_module, "atomic_write", write)
        _add(folder, "b.jpg")
        registry.open_for([folder])  # the GUI thread's join
        assert registry.lookup(folder / "b.jpg") is not None
        assert threading.main_thread() not in writes, writes
        project.set_status("b", Status.REVIEWED)
        folder_of = project.folder
        seen = Project.open(folder_of)  # a reader while it is open (as a kill leaves it): the journal applied
        try:
            assert seen.read_only and seen.entry("b").status == Status.REVIEWED
        finally:
            seen.close()
    finally:
        monkeypatch.undo()
        registry.close()
    with Project.open(folder, tmp_path / "projects" / folder_of.name) as again:
        assert again.entry("b").status == Status.REVIEWED


def test_a_journal_line_of_an_image_project_json_lacks_adds_it(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with Project.open(folder) as project:
        _add(folder, "c.jpg")
        changes = project.add_listed([os.fspath((folder / "c.jpg").resolve())])
        assert changes.added == ["c"]
        data = (project.folder / PROJECT_FILE).read_bytes()
        assert b'"c"' not in data  # journaled, not rewritten
        project.set_status("c", Status.EDITED)
        os.remove(folder / "c.jpg")  # gone before the next opening: only the journal knows it
        reader = Project.open(folder)
        try:
            assert "c" in reader.ids and reader.entry("c").status == Status.EDITED
        finally:
            reader.close()
