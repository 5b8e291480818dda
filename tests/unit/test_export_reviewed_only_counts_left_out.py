"""An export of reviewed images only left out the images whose masks are not yet reviewed without a word:
a sweep's project of 20 masked photos, 8 reviewed, exported 8 and said nothing of the 12 others, in the app's
Export message and in ``fosp project export``. The report counts them (`ExportReport.not_reviewed`), and both
say "12 images with masks not yet reviewed were left out"; so does the CLI's "nothing to export"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.annotation.export_dialog import export_summary
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import export_smokeseg, not_reviewed_words
from fosp_core.annotation.project import Project
from tests.unit.labelled_demo import labelled_demo_project

project = labelled_demo_project  # the fixture, under the name these tests use
ROOT = Path(__file__).resolve().parents[2]


def _review_first(project: Project, n: int) -> list[str]:
    """Mark the first `n` masked images reviewed; the ids of the masked ones left unreviewed."""
    masked = [e.id for e in project.entries if e.status != Status.UNLABELED]
    for image_id in masked[:n]:
        project.set_status(image_id, Status.REVIEWED)
    return masked[n:]


def test_the_report_and_the_summary_count_the_unreviewed_left_out(project: Project, tmp_path: Path) -> None:
    left = _review_first(project, 1)
    assert len(left) >= 2
    report = export_smokeseg(project, tmp_path / "out", reviewed_only=True, splits=None)
    assert report.count == 1
    assert report.not_reviewed == left and report.problems == []
    said = f"{len(left)} images with masks not yet reviewed were left out"
    assert not_reviewed_words(len(left)) == said
    assert said in export_summary(report)
    every = export_smokeseg(project, tmp_path / "all", splits=None)
    assert every.not_reviewed == [] and "not yet reviewed" not in export_summary(every)


def test_one_unreviewed_image_is_said_in_the_singular() -> None:
    assert not_reviewed_words(1) == "1 image with a mask not yet reviewed was left out"


def _fosp(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "fosp_core", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_cli_says_the_unreviewed_left_out(project: Project, tmp_path: Path) -> None:
    left = _review_first(project, 1)
    folder = project.folder
    project.close()
    run = _fosp("project", "export", str(folder), str(tmp_path / "out"), "--reviewed-only")
    assert run.returncode == 0, run.stderr
    assert f"  {len(left)} images with masks not yet reviewed were left out" in run.stdout.splitlines(), run.stdout
    with Project.open(folder) as again:  # none reviewed: nothing to export, and why
        for image_id in [e.id for e in again.entries if e.status == Status.REVIEWED]:
            again.set_status(image_id, Status.EDITED)
    run = _fosp("project", "export", str(folder), str(tmp_path / "none"), "--reviewed-only")
    assert run.returncode == 3
    assert f"{len(left) + 1} images with masks not yet reviewed" in run.stderr, run.stderr
