"""`fosp project export` printed one "left out ID: no mask yet" line per image nobody labelled: on a
folder of 40 photos with 21 labelled, 19 such lines, and an image whose file had gone missing was one
line among them. The app's Export dialog counts those ("19 without a mask left out") and names the
problems; the command now does the same: one line counting the images without a mask, then each
image not exported for a problem, named with the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main


@pytest.fixture
def project(demo_dir: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    root = tmp_path / "demo"
    shutil.copytree(demo_dir, root)
    with Project.open(root) as p:
        p.import_labels()
        ids = list(p.ids)
        p.set_status(ids[0], Status.UNLABELED)
        p.set_status(ids[1], Status.UNLABELED)
        p.image_path(ids[2]).rename(p.image_path(ids[2]).with_name("renamed.jpg"))
    return root, ids


def test_images_without_a_mask_are_counted_and_problems_named(project: tuple[Path, list[str]], tmp_path: Path,
                                                             capsys: pytest.CaptureFixture) -> None:
    root, ids = project
    capsys.readouterr()
    # exit 1: an input failed (the missing image), the others exported (README: "a corrupt image (named;
    # the others done)"); it exited 0, so a script could not tell an export that left an image out
    assert main(["project", "export", str(root), str(tmp_path / "out"), "--all-train"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("exported 1 image(s)")
    assert lines[1:] == ["  left out 2 image(s) without a mask yet",
                         f"  not exported {ids[2]}: image missing: {root / 'JPEGImages' / (ids[2] + '.jpg')}"]
