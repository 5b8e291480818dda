"""An export that removed a dead export's folder beside its destination, then failed, said only the failure:
the removed copy (maybe a big one, the user's space) went unsaid, in the app's Export dialog and on the
command line alike (both show the error's words). The error now says both (`smokeseg_debris.with_debris`)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample
from tests.unit.labelled_demo import labelled_demo_project
from tests.unit.test_export_report_cleaned import dead_export_beside

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")

project = labelled_demo_project  # the fixture, under the name these tests use


def test_a_writer_failing_after_it_cleaned_says_both(tmp_path: Path) -> None:
    dst = tmp_path / "out"
    debris = dead_export_beside(dst)
    bad = Sample("a b", np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8), np.uint8))  # white space: no SmokeSeg id
    with pytest.raises(SmokeSegWriteError) as raised:
        write_smokeseg([bad], dst)
    assert not debris.exists() and not dst.exists()
    reason = raised.value.reason
    assert reason.startswith("sample 'a b': ids must not contain white space")
    assert reason.endswith(f"; before failing, it removed a dead export's unfinished copy beside it: "
                           f"{debris.name}, 120.0 KB")


def test_a_failure_with_nothing_cleaned_is_said_as_before(tmp_path: Path) -> None:
    bad = Sample("a b", np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8), np.uint8))
    with pytest.raises(SmokeSegWriteError) as raised:
        write_smokeseg([bad], tmp_path / "out")
    assert "before failing" not in str(raised.value)


def test_a_project_export_with_nothing_to_write_after_it_cleaned_says_both(project: Project,
                                                                          tmp_path: Path) -> None:
    """Every mask file unreadable: each image is left out as it comes, after the writer cleaned, and the
    export fails with nothing written (the Export dialog shows ``str(error)``)."""
    for image_id in project.ids:
        if project.mask_path(image_id).is_file():
            project.mask_path(image_id).write_bytes(b"not a png")
    dst = tmp_path / "out"
    debris = dead_export_beside(dst)
    with pytest.raises(ProjectError) as raised:
        export_smokeseg(project, dst)
    assert not debris.exists() and not dst.exists()
    assert str(raised.value) == (f"{dst}: nothing to export (no masks); before failing, it removed a dead "
                                 f"export's unfinished copy beside it: {debris.name}, 120.0 KB")
