"""``fosp project`` commands run while FoSp Studio holds the project (its lock): each says who holds it and
writes nothing.

Before, ``fosp project prelabel`` loaded the model (minutes for a big checkpoint on a CPU) and ran it on the
first image, then failed its first save with 'opened read-only: locked by ...' and '0 of 3 masks
pre-labelled before it are kept; once that is fixed (a full disk: free some space), run it again': no disk
was full. It now refuses at once, as ``import`` does: 'the project is read-only: locked by ...', exit 1,
no model loaded."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main, project_prelabel


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in "abcd":
        cv2.imwrite(str(folder / f"{name}.jpg"), np.full((30, 40, 3), 90, np.uint8))
    with Project.open(folder) as project:
        project.save_mask("a", np.ones((30, 40), np.uint8), Status.EDITED)
    return folder


def test_prelabel_while_held_refuses_before_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)

    def no_model(_args: object) -> None:
        raise AssertionError("the model was loaded for a project it cannot write")

    monkeypatch.setattr(project_prelabel, "_load", no_model)
    with Project.open(folder) as holder:
        assert not holder.read_only
        assert main(["project", "prelabel", str(folder)]) == 1
        err = capsys.readouterr().err
        assert "the project is read-only: locked by pid" in err and "full disk" not in err, err
    with Project.open(folder) as project:
        assert [project.entry(i).status for i in "abcd"] == [Status.EDITED] + [Status.UNLABELED] * 3


def test_import_while_held_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path)
    masks = tmp_path / "masks"
    masks.mkdir()
    cv2.imwrite(str(masks / "b.png"), np.ones((30, 40), np.uint8))
    with Project.open(folder):
        assert main(["project", "import", str(folder), str(masks)]) == 1
        assert "the project is read-only: locked by pid" in capsys.readouterr().err
    with Project.open(folder) as project:
        assert project.entry("b").status == Status.UNLABELED
