"""Two people labelled copies of one project (rsync, a zip, Dropbox) and bring the work together with
``fosp project import THEIR_COPY`` (`Project.import_labels` of another copy's project).

Before, the only way was importing the other copy's ``masks/`` as plain masks: every mask became EDITED,
a reviewed image lost its review and a model's mask (PREDICTED) became people's work; naming the other
copy's folder or its ``.fosp`` imported nothing ('no mask ... is named after an image'). Now each image
comes with its status, people's work is never replaced without `overwrite` (a conflict is named), edits
still in the other copy's recovery log are refused and named, and the other copy is only read."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.annotation.recovery_records import log_path
from fosp_core.cli import main
from fosp_core.data.datasets import DatasetError

E, R, P, U = Status.EDITED, Status.REVIEWED, Status.PREDICTED, Status.UNLABELED


def _mask(side: int) -> np.ndarray:
    mask = np.zeros((40, 60), np.uint8)
    mask[:side, :side] = 1
    return mask


def _copies(tmp_path: Path, mine: dict, theirs: dict) -> tuple[Path, Path]:
    """(alice, bob): one project copied, then each copy's saves {id: (side, status)}."""
    alice = tmp_path / "alice"
    alice.mkdir()
    for name in "abcde":
        cv2.imwrite(str(alice / f"{name}.jpg"), np.full((40, 60, 3), 100, np.uint8))
    Project.open(alice).close()
    bob = Path(shutil.copytree(alice, tmp_path / "bob"))
    for folder, saves in ((alice, mine), (bob, theirs)):
        with Project.open(folder) as project:
            for image_id, (side, status) in saves.items():
                project.save_mask(image_id, _mask(side), status)
    return alice, bob


def _state(folder: Path) -> dict[str, tuple[str, int | None]]:
    with Project.open(folder) as project:
        return {i: (project.entry(i).status.value, None if (m := project.load_mask(i)) is None else int(m.sum()))
                for i in project.ids}


def test_each_image_comes_with_its_status(tmp_path: Path) -> None:
    alice, bob = _copies(tmp_path, {"a": (5, E), "d": (2, P)},
                         {"a": (8, P), "b": (3, P), "c": (7, R), "d": (9, E)})
    with Project.open(alice) as project:
        report = project.import_labels(bob)
    assert sorted(report.imported) == ["b", "c", "d"] and not report.skipped, report
    state = _state(alice)
    assert state["a"] == ("edited", 25)  # people's work here, a model's there: this one stays
    assert state["b"] == ("predicted", 9)  # a model's mask stays a model's
    assert state["c"] == ("reviewed", 49)  # the review comes with it
    assert state["d"] == ("edited", 81)  # people's work over a model's mask
    assert state["e"] == ("unlabeled", None)


def test_the_same_mask_takes_the_review_and_a_conflict_is_named(tmp_path: Path) -> None:
    alice, bob = _copies(tmp_path, {"a": (5, E), "b": (4, E)}, {"a": (5, R), "b": (6, E)})
    with Project.open(alice) as project:
        report = project.import_labels(bob / ".fosp")
    assert report.imported == ["a"]
    assert [i for i, _ in report.kept] == ["b"] and "other copy" in report.kept[0][1], report.kept
    assert _state(alice)["a"] == ("reviewed", 25) and _state(alice)["b"] == ("edited", 16)
    with Project.open(alice) as project:
        report = project.import_labels(bob, overwrite=True)
    assert report.imported == ["b"] and _state(alice)["b"] == ("edited", 36)


def test_edits_still_in_a_recovery_log_there_are_refused(tmp_path: Path) -> None:
    alice, bob = _copies(tmp_path, {}, {"c": (7, E)})
    log_path(bob / ".fosp" / "masks" / "c.png").write_bytes(b"not yet saved")
    with Project.open(alice) as project:
        report = project.import_labels(bob)
    assert report.imported == [] and [i for i, _ in report.failed] == ["c"], report
    assert "recovery log" in report.failed[0][1] and "open" in report.failed[0][1]
    assert _state(alice)["c"] == ("unlabeled", None)


def test_the_other_copy_is_only_read_and_itself_refused(tmp_path: Path) -> None:
    alice, bob = _copies(tmp_path, {}, {"c": (7, R)})
    before = {p.name: p.read_bytes() for p in (bob / ".fosp").iterdir() if p.is_file()}
    with Project.open(alice) as project:
        assert project.import_labels(bob).imported == ["c"]
        with pytest.raises(DatasetError, match="project itself"):
            project.import_labels(alice / ".fosp")
    assert {p.name: p.read_bytes() for p in (bob / ".fosp").iterdir() if p.is_file()} == before


def test_the_command_line_merges_a_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alice, bob = _copies(tmp_path, {"b": (4, E)}, {"b": (6, E), "c": (7, R)})
    assert main(["project", "import", str(alice), str(bob)]) == 0
    out = capsys.readouterr().out
    assert "imported 1 mask(s)" in out and "skipped b" in out and "other copy" in out, out
    assert _state(alice)["c"] == ("reviewed", 49)


def test_images_only_the_other_copy_has_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alice, bob = _copies(tmp_path, {}, {"c": (7, E)})
    cv2.imwrite(str(bob / "f.jpg"), np.full((40, 60, 3), 100, np.uint8))
    with Project.open(bob, images=sorted(str(p) for p in bob.glob("*.jpg"))) as project:
        project.save_mask("f", _mask(3), E)
    assert main(["project", "import", str(alice), str(bob)]) == 0
    out = capsys.readouterr().out
    assert "1 image(s) of the source are not in the project: f.jpg" in out and "imported 1 mask(s)" in out, out
