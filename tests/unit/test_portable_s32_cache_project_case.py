"""Windows and macOS: a read-only folder of images gets its project in the user's cache (``<name>-<digest of
its path>``), and the same folder reached under another path finds that project again by its identity - but
only among cache projects whose name matched the folder's name exactly. Their disks are case-insensitive, so
``C:\\Photos`` typed ``c:\\photos`` (or ``/Volumes/Share/Photos`` as ``.../photos``) is the same folder under
another name: it got a new, empty project and the work done seemed gone. The names are now compared without
case (the project is still taken only when its images root is that very folder). Simulated: the other spelling
is a link to the folder, as on such a disk."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project


def test_the_folder_spelled_in_another_case_finds_its_cache_project(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    share = tmp_path / "Photos"
    share.mkdir()
    for name in "ab":
        cv2.imwrite(str(share / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    share.chmod(0o555)  # read-only: its project goes to the cache
    mask = np.zeros((40, 60), np.uint8)
    mask[:5, :5] = 1
    with Project.open(share) as project:
        made = project.folder
        assert made.parent == tmp_path / "cache" / "projects"
        project.save_mask("a", mask, Status.REVIEWED)
    (tmp_path / "photos").symlink_to(share, target_is_directory=True)  # one folder, two spellings
    with Project.open(tmp_path / "photos") as project:
        assert project.folder == made, "a new, empty project"
        assert project.entry("a").status == Status.REVIEWED
    assert [p.name for p in (tmp_path / "cache" / "projects").iterdir()] == [made.name]
