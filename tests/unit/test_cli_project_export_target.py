"""`fosp project export PROJECT DST --overwrite` with DST a folder of the project's own files: the
images folder (`PROJECT/JPEGImages`) or the labels it imported (`PROJECT/SegmentationClass`). The
export replaced that folder with the dataset it wrote: the user's images were deleted. It is refused
now, naming a file it would have deleted; an export folder inside the project stays allowed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main


@pytest.fixture
def project(demo_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "proj ü"
    shutil.copytree(demo_dir, root)
    with Project.open(root):
        pass
    assert main(["project", "import", str(root)]) == 0
    return root


@pytest.mark.parametrize("part", ["JPEGImages", "SegmentationClass"])
def test_export_over_the_projects_own_files_is_refused(project: Path, part: str,
                                                       capsys: pytest.CaptureFixture) -> None:
    before = sorted(p.name for p in (project / part).iterdir())
    capsys.readouterr()
    assert main(["project", "export", str(project), str(project / part), "--overwrite"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(project / part) in err and "choose another folder" in err
    assert sorted(p.name for p in (project / part).iterdir()) == before


def test_an_export_folder_inside_the_project_is_still_allowed(project: Path) -> None:
    assert main(["project", "export", str(project), str(project / "exports" / "v1")]) == 0
    assert main(["project", "export", str(project), str(project / "exports" / "v1"), "--overwrite"]) == 0
    assert len(list((project / "JPEGImages").iterdir())) == 4
