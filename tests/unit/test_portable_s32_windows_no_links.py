"""Windows: a project on a FAT32 or exFAT USB stick (or a share without hard links) opened read-only for
everyone: the lock is made by hard-linking a temporary file into place, and where links cannot be made the
code falls back to an exclusive create - but only for the POSIX errors (EPERM, ENOTSUP, ...). Windows says
'[WinError 1] Incorrect function' (ERROR_INVALID_FUNCTION; ERROR_NOT_SUPPORTED on a share), which Python
gives as EINVAL, so the opening said 'cannot create the lock: Incorrect function'. Windows' link failure is
simulated: ``os.link`` raising as there."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import storage
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project


@pytest.fixture(params=[(1, "Incorrect function"), (50, "The request is not supported")])
def windows_stick(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    winerror, words = request.param

    def link(src: str, dst: str) -> None:
        exc = OSError(errno.EINVAL, words, src)
        exc.winerror = winerror  # type: ignore[attr-defined]  # as Python on Windows sets it
        raise exc

    monkeypatch.setattr(storage.os, "link", link)


def test_a_project_on_a_windows_stick_opens_writable(tmp_path: Path, windows_stick: None) -> None:
    folder = tmp_path / "stick"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((20, 30, 3), 90, np.uint8))
    with Project.open(folder) as project:
        assert not project.read_only, project.read_only_reason
        assert json.loads((project.folder / "lock").read_text())["pid"] == os.getpid()
        project.save_mask("a", np.ones((20, 30), np.uint8), Status.EDITED)
    assert not (project.folder / "lock").exists()


def test_another_einval_is_still_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def link(src: str, dst: str) -> None:
        raise OSError(errno.EINVAL, "Invalid argument", src)  # no Windows code: not a drive without links

    monkeypatch.setattr(storage.os, "link", link)
    with pytest.raises(storage.StorageError, match="cannot create the lock"):
        storage.ProjectLock(tmp_path / "lock").acquire()
