"""The demo project with its labels imported, as the export tests start from it.

Tests use the fixture under the name they read best with (``project = labelled_demo_project``: pytest
registers a fixture under the module attribute's name)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project


@pytest.fixture()
def labelled_demo_project(demo_dir: Path, tmp_path: Path) -> Iterator[Project]:
    """A copy of the demo folder at tmp_path/demo, opened as a project (kept beside its images) with its
    labels imported; closed after the test."""
    shutil.copytree(demo_dir, tmp_path / "demo")
    with Project.open(tmp_path / "demo") as p:
        p.import_labels()
        yield p
