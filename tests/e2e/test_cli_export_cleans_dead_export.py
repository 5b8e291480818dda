"""`fosp project export` to where an earlier export was killed removes that export's temporary folder (or
settles the old dataset it had moved aside) and says so on stderr, in a line of its own: it was said only
through the writer's logged warning (Python's last-resort handler: gone with logging off or configured
elsewhere, and twice with it once printed). A failure after cleaning says both."""

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
from tests.killed_child import kill_when_said
from tests.unit.test_smokeseg_dead_export_debris import _kill_an_export
from tests.unit.test_smokeseg_old_copy_settled import _REPLACING_WRITER

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")

#: the command line with logging switched off: what it says must not depend on logging
_NO_LOGGING = "import logging, sys; logging.disable(logging.CRITICAL); from fosp_core.cli import main; sys.exit(main())"


def _photos(demo_dir: Path, tmp_path: Path) -> Path:
    photos = tmp_path / "demo"
    shutil.copytree(demo_dir, photos)
    with Project.open(photos) as project:
        doc = project.open_document(project.ids[0])
        tools.polygon_fill(doc, [(0, 0), (63, 0), (63, 63), (0, 63)], 1)
        doc.set_status(Status.REVIEWED)
    return photos


def _fosp(*args: str, logging: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    head = ["-m", "fosp_core"] if logging else ["-c", _NO_LOGGING]
    return subprocess.run([sys.executable, *head, *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("logging", [True, False], ids=["logging", "logging-off"])
def test_project_export_removes_a_killed_exports_folder_and_says_so(demo_dir: Path, tmp_path: Path,
                                                                    logging: bool) -> None:
    photos = _photos(demo_dir, tmp_path)
    out = tmp_path / "exports"
    out.mkdir()
    dst = out / "smoke"
    debris = _kill_an_export(dst)
    run = _fosp("project", "export", str(photos), str(dst), "--reviewed-only", logging=logging)
    assert run.returncode == 0, run.stderr
    assert not debris.exists() and sorted(p.name for p in out.iterdir()) == ["smoke"]
    said = [line for line in run.stderr.splitlines() if debris.name in line]
    assert len(said) == 1 and said[0].startswith(f"{dst}: removed a dead export's unfinished copy beside it: "
                                                 f"{debris.name}, "), run.stderr


def test_project_export_puts_back_a_dataset_a_killed_export_had_moved_aside(demo_dir: Path,
                                                                           tmp_path: Path) -> None:
    from fosp_core.cli import main

    photos = _photos(demo_dir, tmp_path)
    dst = tmp_path / "smoke"
    assert main(["project", "export", str(photos), str(dst), "--reviewed-only"]) == 0  # the dataset: in-process
    kill_when_said(_REPLACING_WRITER, [str(dst), "moved-aside"], ["moved-aside"])  # DST gone, the old one aside
    old = next(p for p in tmp_path.iterdir() if p.name.startswith(".smoke.old-"))
    run = _fosp("project", "export", str(photos), str(dst), "--reviewed-only", logging=False)
    assert run.returncode == 1  # put back, then not replaced: no --overwrite
    assert (dst / "JPEGImages").is_dir() and not old.exists()
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {dst}: folder is not empty"), run.stderr
    assert "before failing, it put back the dataset a dead export had moved aside" in lines[0]
    assert old.name in lines[0]
    run = _fosp("project", "export", str(photos), str(dst), "--reviewed-only", "--overwrite", logging=False)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".smoke")) == []
    said = [line for line in run.stderr.splitlines() if "dead export" in line]
    assert len(said) == 1 and said[0].startswith(f"{dst}: removed a dead export's unfinished copy"), run.stderr


def test_video_export_says_the_dead_exports_folder_it_removed(tmp_path: Path) -> None:
    from tests.unit.test_cli_video_export import _labelled
    from tests.unit.test_export_report_cleaned import dead_export_beside

    clip = _labelled(tmp_path, list(range(0, 48, 4)))
    dst = tmp_path / "out"
    debris = dead_export_beside(dst)
    run = _fosp("video", "export", str(clip), str(dst), logging=False)
    assert run.returncode == 0, run.stderr
    assert not debris.exists()
    assert f"{dst}: removed a dead export's unfinished copy beside it: {debris.name}, 120.0 KB" \
        in run.stderr.splitlines(), run.stderr
