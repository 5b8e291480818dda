"""`export_smokeseg` (the app's Export dialog, ``fosp project export``) tells in its report what the writer
removed before writing: the temporary folders of earlier exports to the same place killed mid-way
(`fosp_core.data.smokeseg_debris`), each with the bytes it held. Only logged before: the app, which sets up no
logging, could not say it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.data.smokeseg_debris import DeadExport, tmp_prefix
from tests.unit.labelled_demo import labelled_demo_project

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")

project = labelled_demo_project  # the fixture, under the name these tests use


def dead_export_beside(dst: Path, size: int = 120_000) -> Path:
    """The temporary folder an export to `dst` killed mid-way leaves: named for a process that is gone,
    holding `size` bytes of images (its files' sizes)."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    debris = dst.parent / (tmp_prefix(dst).replace(f".{os.getpid()}.", f".{gone.pid}.") + "dd00ee11")
    (debris / "JPEGImages").mkdir(parents=True)
    with open(debris / "JPEGImages" / "a.jpg", "wb") as big:
        big.truncate(size - 1000)  # sparse: its size without writing it
    (debris / "JPEGImages" / "b.jpg").write_bytes(b"y" * 1000)
    return debris


def test_the_report_lists_the_dead_exports_folder_it_removed(project: Project, tmp_path: Path) -> None:
    dst = tmp_path / "out"
    debris = dead_export_beside(dst)
    report = export_smokeseg(project, dst)
    assert not debris.exists()
    assert report.cleaned == [DeadExport(debris, 120_000)]
    assert report.cleaned[0].words() == f"{debris.name}, 120.0 KB"
    again = export_smokeseg(project, tmp_path / "out2")
    assert again.cleaned == []  # nothing left by a dead export there: nothing said


