"""A read-only folder of images gets its project in the user's cache, named by a digest of the folder's path.

Reached under another path (a symlinked parent folder, a bind mount, the same share mounted again where it
is still mounted) it got a new, empty project: the work done under the first path seemed gone (it could
only be merged back with ``fosp project import``). The cache project made for the same folder (its images
root is that folder: the same device and inode) is now found and opened again; a folder only of the same
name is not taken for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project, default_location

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _share(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in "abc":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    folder.chmod(0o555)  # read-only for everyone, root included (`writable_folder`)
    return folder


def _labelled(share: Path) -> Path:
    mask = np.zeros((40, 60), np.uint8)
    mask[:5, :5] = 1
    with Project.open(share) as project:
        assert not project.read_only and project.folder != share / ".fosp"
        project.save_mask("a", mask, Status.REVIEWED)
        return project.folder


def test_a_symlinked_parent_finds_its_cache_project(tmp_path: Path, cache: Path) -> None:
    share = _share(tmp_path / "real" / "share")
    made = _labelled(share)
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    with Project.open(tmp_path / "link" / "share") as project:
        assert project.folder == made, "a new, empty project"
        assert project.entry("a").status == Status.REVIEWED and int(project.load_mask("a").sum()) == 25
    assert [p.name for p in (cache / "projects").iterdir()] == [made.name]


def test_another_folder_of_the_same_name_gets_its_own(tmp_path: Path, cache: Path) -> None:
    made = _labelled(_share(tmp_path / "one" / "share"))
    other = _share(tmp_path / "two" / "share")
    assert default_location(other) != made
    with Project.open(other) as project:
        assert project.folder != made and project.entry("a").status == Status.UNLABELED


def test_a_bind_mount_finds_its_cache_project(tmp_path: Path, cache: Path) -> None:
    from tests.unit.test_team_s32_import_itself import _unshare

    command = _unshare()
    if command is None:
        pytest.skip("no private mount namespace here (unshare -m / -rm refused): a bind mount needs one")
    made = _labelled(_share(tmp_path / "real" / "share"))
    (tmp_path / "bind").mkdir()
    script = ('from fosp_core.annotation.project import Project; import sys; p = Project.open(sys.argv[1]); '
              'print(p.folder, p.entry("a").status.value); p.close()')
    done = subprocess.run([*command, "sh", "-c", f'mount --bind "$1" "$2" && exec "{sys.executable}" -c \'{script}\' '
                           '"$2/share"', "sh", str(tmp_path / "real"), str(tmp_path / "bind")],
                          capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(made), "reviewed"]
