"""``fosp project import MINE THEIR_COPY`` where THEIR_COPY is MINE reached under another path.

The project itself was refused only when both paths resolved to one (`Path.resolve`: a symlinked parent
folder). The same folder under a bind mount (or another mount of one share) resolves elsewhere: it was
taken for another copy, and its own masks read back as a teammate's work ('no mask ... is named after an
image', exit 3; with edits not yet in their mask files, each image named as failed). The folder's
identity (`os.path.samefile`: device and inode) now says it is the project itself, as the identical path
does. The bind mount is made in a private mount namespace (``unshare``), gone with its process; skipped
where none can be made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from fosp_core.data.datasets import DatasetError

REPO = Path(__file__).resolve().parents[2]


def _project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in "abc":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    mask = np.zeros((40, 60), np.uint8)
    mask[:5, :5] = 1
    with Project.open(folder) as project:
        project.save_mask("a", mask, Status.EDITED)
        project.save_mask("b", mask, Status.PREDICTED)
    return folder


def test_a_symlinked_parent_is_the_project_itself(tmp_path: Path) -> None:
    alice = _project(tmp_path / "real" / "alice")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    with Project.open(alice) as project:
        with pytest.raises(DatasetError, match="project itself"):
            project.import_labels(tmp_path / "link" / "alice")
    assert main(["project", "import", str(tmp_path / "link" / "alice"), str(alice)]) == 1


def _unshare() -> list[str] | None:
    """The command that runs a shell in a private mount namespace where ``mount --bind`` works, or None."""
    tool = shutil.which("unshare")
    if tool is None or not sys.platform.startswith("linux"):
        return None
    for command in ([tool, "-m"], [tool, "-r", "-m"]):  # root; an unprivileged user namespace
        try:
            probe = subprocess.run([*command, "sh", "-c", "mount -t tmpfs none /mnt"], capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return command
    return None


def test_a_bind_mount_of_the_folder_is_the_project_itself(tmp_path: Path) -> None:
    command = _unshare()
    if command is None:
        pytest.skip("no private mount namespace here (unshare -m / -rm refused): a bind mount needs one")
    alice = _project(tmp_path / "real" / "alice")
    (tmp_path / "bind").mkdir()
    script = (f'mount --bind "$1" "$2" && exec "{sys.executable}" -c '
              '"import sys; from fosp_core.cli import main; sys.exit(main(sys.argv[1:]))" '
              'project import "$1/alice" "$2/alice"')
    done = subprocess.run([*command, "sh", "-c", script, "sh", str(tmp_path / "real"), str(tmp_path / "bind")],
                          capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert "project itself" in done.stderr and done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    with Project.open(alice) as project:
        assert [project.entry(i).status for i in "abc"] == [Status.EDITED, Status.PREDICTED, Status.UNLABELED]


def test_its_own_masks_folder_is_refused(tmp_path: Path) -> None:
    """Its own ``masks/`` named as a folder of plain masks made a model's mask (PREDICTED) people's work (EDITED:
    ground truth for Compare): refused, nothing written."""
    alice = _project(tmp_path / "real" / "alice")
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    for masks in (alice / ".fosp" / "masks", tmp_path / "link" / "alice" / ".fosp" / "masks"):
        with Project.open(alice) as project:
            with pytest.raises(DatasetError, match="project's own masks"):
                project.import_labels(masks)
            assert project.entry("b").status == Status.PREDICTED
