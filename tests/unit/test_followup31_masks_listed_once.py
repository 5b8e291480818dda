"""Opening a project lists its ``masks/`` folder once: the recovery's search for logs and the conflicted
copies' search (a sync tool's copies, `project_conflicts`) share one listing. Before, conflicted_copies
listed the folder again at every opening, on top of the recovery's own listing (a large mask folder, on a
network share: slow); a read-only opening listed it twice too (its pending logs, the conflicts)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery import encode_record, log_path


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "imgs"
    folder.mkdir()
    for name in "abc":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((20, 30, 3), 90, np.uint8))
    with Project.open(folder) as project:
        project.save_mask("a", np.ones((20, 30), np.uint8), Status.EDITED)
    masks = folder / ".fosp" / "masks"
    shutil.copy(masks / "a.png", masks / "a (Bob's conflicted copy 2026-12-07).png")
    return folder


def _listings_of(masks: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each listing of `masks` (os.scandir / os.listdir, as glob and iterdir list a folder)."""
    seen: list[str] = []
    scandir, listdir = os.scandir, os.listdir

    def counted(real):
        def call(path=".", *args, **kwargs):
            if os.path.realpath(os.fspath(path) or ".") == os.path.realpath(masks):
                seen.append(real.__name__)
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "scandir", counted(scandir))
    monkeypatch.setattr(os, "listdir", counted(listdir))
    return seen


def test_an_opening_lists_the_masks_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _project(tmp_path)
    masks = folder / ".fosp" / "masks"
    seen = _listings_of(masks, monkeypatch)
    with Project.open(folder) as project:
        assert [p.name for p in project.conflicts] == ["a (Bob's conflicted copy 2026-12-07).png"]
        assert len(seen) == 1, seen
    monkeypatch.undo()


def test_a_crash_log_and_a_stale_temp_are_still_handled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _project(tmp_path)
    masks = folder / ".fosp" / "masks"
    mask = np.zeros((20, 30), np.uint8)
    mask[2:5, 2:5] = 1
    log_path(masks / "b.png").write_bytes(encode_record(mask, (0, 20, 0, 30), "edited"))  # as a killed save left it
    (masks / ".b.png.abc123.tmp").write_bytes(b"half")
    seen = _listings_of(masks, monkeypatch)
    with Project.open(folder) as project:
        assert len(seen) == 1, seen
        assert project.recovered == ["b"]
        assert project.load_mask("b")[3, 3] == 1
        assert len(project.conflicts) == 1
        assert not (masks / ".b.png.abc123.tmp").exists() and not log_path(masks / "b.png").exists()
    monkeypatch.undo()


def test_a_read_only_opening_lists_them_once_and_shows_the_pending_log(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _project(tmp_path)
    masks = folder / ".fosp" / "masks"
    mask = np.ones((20, 30), np.uint8)
    with Project.open(folder) as holder:
        log_path(masks / "c.png").write_bytes(encode_record(mask, (0, 20, 0, 30), "reviewed"))  # its save under way
        seen = _listings_of(masks, monkeypatch)
        reader = Project.open(folder)
        try:
            assert reader.read_only and len(seen) == 1, seen
            assert reader.pending_logs == ["c"] and len(reader.conflicts) == 1
        finally:
            monkeypatch.undo()
            reader.close()
        assert holder.conflicts
