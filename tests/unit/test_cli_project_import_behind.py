"""`fosp project import` on a disk too full for a whole ``project.json`` (a journal line still
fits): every mask is imported and its state is in the journal, but the project file stays behind.
It printed "imported N mask(s)" alone; it now also warns, in one line, that the edits are safe in the
journal and that disk space is to be freed. The exit code stays 0: every mask was imported."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.unit.disk_faults import Faults

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a write's file in /proc/self/fd")


def test_an_import_whose_project_file_cannot_be_rewritten_warns(demo_dir: Path, tmp_path: Path, monkeypatch,
                                                                 capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "project"
    Project.open(demo_dir, folder).close()
    capsys.readouterr()
    faults = Faults(monkeypatch)
    faults.fail("project.json", "half", errno.ENOSPC)
    assert main(["project", "import", str(folder)]) == 0
    assert faults.hits
    out, err = capsys.readouterr()
    assert "imported" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, err
    assert "disk full" in warnings[0] and "changes.jsonl" in warnings[0] and "free disk space" in warnings[0]
    faults.clear()
    imported = int(out.split("imported ")[1].split()[0])
    with Project.open(folder) as again:  # every imported mask is in the project (read from the journal)
        assert imported > 0 and sum(e.status.value == "edited" for e in again.entries) == imported


def test_an_import_that_rewrites_its_project_file_does_not_warn(demo_dir: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "project"
    Project.open(demo_dir, folder).close()
    assert main(["project", "import", str(folder)]) == 0
    assert "warning" not in capsys.readouterr().err
