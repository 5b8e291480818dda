"""`fosp project export` to where an earlier export was killed removes that export's temporary folder
and says so on stderr."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from tests.unit.test_smokeseg_dead_export_debris import _kill_an_export

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")


def test_project_export_removes_a_killed_exports_folder_and_says_so(demo_dir: Path, tmp_path: Path) -> None:
    photos = tmp_path / "demo"
    shutil.copytree(demo_dir, photos)
    with Project.open(photos) as project:
        doc = project.open_document(project.ids[0])
        tools.polygon_fill(doc, [(0, 0), (63, 0), (63, 63), (0, 63)], 1)
        doc.set_status(Status.REVIEWED)
    out = tmp_path / "exports"
    out.mkdir()
    dst = out / "smoke"
    debris = _kill_an_export(dst)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    run = subprocess.run([sys.executable, "-m", "fosp_core", "project", "export", str(photos), str(dst),
                          "--reviewed-only"], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert not debris.exists() and sorted(p.name for p in out.iterdir()) == ["smoke"]
    assert f"removed {debris}, left by an export to {dst} that was killed" in run.stderr
