"""A pre-label (or an import) whose masks are written but whose states cannot be: ``changes.jsonl`` and
``project.json`` both failing (ENOSPC) while the PNGs still fit. It left every PNG beside status
"unlabeled", said "4 of 4 masks pre-labelled before it are kept", and the next run found nothing to do
("all 4 images have a mask already"). The batch now takes back the masks whose state is in no journal
line when its end cannot write the states, and the words count only the masks kept; the next run does
them all. `Project.save_mask` under the same faults already left the old mask in place."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ProjectError
from fosp_core.annotation.import_loop import write_masks
from fosp_core.annotation.labels import ImportReport
from fosp_core.annotation.prelabel import ModelStamp, PrelabelReport, prelabel
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.tiny_checkpoints import save_tiny_checkpoint
from tests.unit.disk_faults import Faults

STAMP = ModelStamp("0123456789abcdef", 0.15, 0.5, "plain")


def _right(rgb: np.ndarray) -> np.ndarray:
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, rgb.shape[1] // 2:] = 0.9
    return prob


def _states_fail(monkeypatch: pytest.MonkeyPatch, step: str = "write") -> list[Faults]:
    faults = [Faults(monkeypatch), Faults(monkeypatch)]
    faults[0].fail("changes.jsonl", step, errno.ENOSPC)
    faults[1].fail("project.json", step, errno.ENOSPC)
    return faults


def _on_disk(images: Path, location: Path) -> list[tuple[str, bool]]:
    with Project.open(images, location) as project:
        return [(project.entry(i).status.value, project.mask_path(i).exists()) for i in project.ids]


def test_prelabel_takes_back_masks_whose_states_cannot_be_written(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images, location = tmp_path / "images", tmp_path / "project"
    shutil.copytree(demo_dir / "JPEGImages", images)
    Project.open(images, location).close()
    faults = _states_fail(monkeypatch)
    with Project.open(images, location) as project:
        report = PrelabelReport()
        with pytest.raises(ProjectError, match="disk full"):
            prelabel(project, _right, STAMP, report=report)
        assert report.imported == []  # none kept: none counted
        assert all(project.entry(i).status == Status.UNLABELED for i in project.ids)  # in memory too
        for fault in faults:
            fault.clear()
    assert _on_disk(images, location) == [("unlabeled", False)] * 4
    assert list((location / "masks").iterdir()) == []  # nor a log, nor a copy aside
    with Project.open(images, location) as project:
        assert len(prelabel(project, _right, STAMP).imported) == 4  # the next run does them
    assert _on_disk(images, location) == [("predicted", True)] * 4


def test_import_keeps_the_old_mask_when_the_states_cannot_be_written(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images, location = tmp_path / "images", tmp_path / "project"
    shutil.copytree(demo_dir / "JPEGImages", images)
    with Project.open(images, location) as project:
        first = project.ids[0]
        shape = np.asarray(project.open_document(first).mask).shape
        old = np.zeros(shape, np.uint8)
        old[:5] = 1
        project.save_mask(first, old, Status.PREDICTED)
    faults = _states_fail(monkeypatch)
    new = np.ones(shape, np.uint8)
    with Project.open(images, location) as project:
        todo = [project.entry(first)]
        report = ImportReport()
        with pytest.raises(ProjectError):
            write_masks(project, todo, lambda _entry: new, report)
        assert report.imported == []
        for fault in faults:
            fault.clear()
    with Project.open(images, location) as project:
        assert project.entry(first).status == Status.PREDICTED
        assert (project.load_mask(first) == old).all()
    assert not [p for p in (location / "masks").iterdir() if p.name.endswith(".tmp")]  # no copy left aside


def test_states_in_the_journal_keep_their_masks(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only project.json failing: the batch's states go to the journal, as before; all masks kept."""
    images, location = tmp_path / "images", tmp_path / "project"
    shutil.copytree(demo_dir / "JPEGImages", images)
    Project.open(images, location).close()
    fault = Faults(monkeypatch)
    fault.fail("project.json", "write", errno.ENOSPC)
    with Project.open(images, location) as project:
        assert len(prelabel(project, _right, STAMP).imported) == 4
    fault.clear()
    assert _on_disk(images, location) == [("predicted", True)] * 4


def test_cli_prelabel_says_what_is_kept_and_the_rerun_finishes(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    images, location = tmp_path / "images", tmp_path / "project"
    shutil.copytree(demo_dir / "JPEGImages", images)
    Project.open(images, location).close()
    ckpt = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    args = ["project", "prelabel", str(location), "--checkpoint", str(ckpt), "--input-size", "64", "--device", "cpu"]
    faults = _states_fail(monkeypatch)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "disk full" in err and "0 of 4 masks pre-labelled before it are kept" in err, err
    for fault in faults:
        fault.clear()
    assert _on_disk(images, location) == [("unlabeled", False)] * 4
    assert main(args) == 0
    assert "pre-labelled 4 images" in capsys.readouterr().out
    assert _on_disk(images, location) == [("predicted", True)] * 4


def test_prelabel_fails_an_image_too_long_for_its_mask_alone(tmp_path: Path) -> None:
    """'<250 n>.jpeg' beside '<250 n>.png': ids '…_jpeg' and '…_png', mask names of 259 and 258 bytes.
    The pre-label raised 'File name too long' listing what to do; now those two are failed, told why."""
    import cv2

    images = tmp_path / "images"
    images.mkdir()
    stem = "n" * 250
    for name in (stem + ".jpeg", stem + ".png", "a.jpg"):
        assert cv2.imwrite(str(images / name), np.full((8, 8, 3), 90, np.uint8))
    with Project.open(images, tmp_path / "project") as project:
        report = prelabel(project, _right, STAMP)
        assert report.imported == ["a"]
        assert sorted(i for i, _ in report.failed) == sorted([stem + "_jpeg", stem + "_png"])
        assert all("give the image a shorter name" in why for _, why in report.failed)


KILLED = """
import errno, sys, time
from pathlib import Path
import numpy as np, pytest
from fosp_core.annotation.prelabel import ModelStamp, prelabel
from fosp_core.annotation.project import Project
from tests.unit.disk_faults import Faults
images, location = sys.argv[1:3]
patch = pytest.MonkeyPatch()
Faults(patch).fail("changes.jsonl", "write", errno.ENOSPC)
Faults(patch).fail("project.json", "write", errno.ENOSPC)

def progress(done, total):
    if done == 2:
        print("at 2", flush=True)
        time.sleep(600)  # killed here, before the batch's end

def right(rgb):
    prob = np.zeros(rgb.shape[:2], np.float32)
    prob[:, rgb.shape[1] // 2:] = 0.9
    return prob

with Project.open(Path(images), Path(location)) as project:
    prelabel(project, right, ModelStamp("0123456789abcdef", 0.15, 0.5, "plain"), progress=progress)
"""


def test_a_kill_while_the_states_cannot_be_written_leaves_masks_with_their_states(
        demo_dir: Path, tmp_path: Path) -> None:
    """Killed after two masks, the journal failing: their recovery logs hold mask and state, so the
    opening gives both (it left two PNGs beside 'unlabeled', and a rerun found nothing to do)."""
    from tests.killed_child import kill_when_said

    images, location = tmp_path / "images", tmp_path / "project"
    shutil.copytree(demo_dir / "JPEGImages", images)
    Project.open(images, location).close()
    kill_when_said(KILLED, [str(images), str(location)], ["at", "2"])
    assert _on_disk(images, location) == [("predicted", True)] * 2 + [("unlabeled", False)] * 2
    with Project.open(images, location) as project:
        assert len(prelabel(project, _right, STAMP).imported) == 2  # the rest
    assert _on_disk(images, location) == [("predicted", True)] * 4
    assert sorted(p.suffix for p in (location / "masks").iterdir()) == [".png"] * 4
