"""A project saving in the background on a simulated disk (`tests.unit.settle_disk.Disk` in place of
``os.fsync``), for the journal-fsync tests (no tests here). Linux only, as `Disk`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import pytest

from fosp_core.annotation.project import Project
from tests.unit.crash_disk import make_images
from tests.unit.settle_disk import Disk


class DiskProject(NamedTuple):
    """The simulated disk, the images folder, the open project and its first image's id."""

    disk: Disk
    images: Path
    project: Project
    image_id: str


def disk_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> DiskProject:
    """Two made images (`crash_disk.make_images`, `seed`) under `tmp_path`/images, ``os.fsync`` the
    `Disk`'s for the test, and their project opened, saving in the background (the caller closes it)."""
    disk = Disk()
    monkeypatch.setattr(os, "fsync", disk.fsync)
    images = make_images(tmp_path / "images", seed=seed, count=2)
    project = Project.open(images)
    project.save_in_background = True
    return DiskProject(disk, images, project, project.ids[0])
