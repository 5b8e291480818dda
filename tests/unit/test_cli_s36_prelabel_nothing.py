"""`fosp project prelabel` with nothing to pre-label (session 36, helper X).

README > Exit codes: 3 is "nothing to do (nothing written)", and every other ``fosp project`` command
with nothing to do exits 3 (import with no label matching, export with no mask, discard-log with no log
set aside, take-over of a project not locked), as ``fosp predict`` does with every output there already.
``fosp project prelabel`` with every image masked exited 0, as if it had pre-labelled, and so did a second
``--replace-predicted`` run with the same model, which printed "pre-labelled 0 images ... 0 new, 0
replaced" without saying why nothing was replaced. Both now say why and exit 3; the README's table and
``fosp project prelabel --help`` say so. Projects made by the tests (the demo's photos, linked)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main
from tests.demo_photos import demo_photo_links

ROOT = Path(__file__).resolve().parents[2]
RUN = ["--input-size", "64", "--device", "cpu"]


def _masked(tmp_path: Path, statuses: tuple[str, ...]) -> Path:
    """A folder of small photos, each with a saved mask of the given status."""
    photos = tmp_path / "photos"
    photos.mkdir()
    for k in range(len(statuses)):
        Image.fromarray(np.full((8, 12, 3), 40 * k, np.uint8)).save(photos / f"p{k}.png")
    with Project.open(photos) as project:
        for image_id, status in zip(project.ids, statuses, strict=True):
            project.save_mask(image_id, np.ones((8, 12), np.uint8), status)
    return photos


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_image_masked_exits_nothing_to_do_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photos = _masked(tmp_path, ("edited", "reviewed", "edited"))
    before = _files(photos / ".fosp" / "masks")
    assert main(["project", "prelabel", str(photos)]) == ExitCode.NOTHING_TO_DO == 3
    out = capsys.readouterr().out
    assert "nothing to pre-label: all 3 images have a mask already" in out, out
    assert _files(photos / ".fosp" / "masks") == before


def test_replace_predicted_run_again_with_the_same_model_says_why_and_exits_nothing_to_do(
        tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 2)
    Project.open(images, location).close()
    args = ["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN,
            "--replace-predicted"]
    assert main(args) == 0
    capsys.readouterr()
    with Project.open(images, location) as project:
        assert all(project.entry(i).status == Status.PREDICTED for i in project.ids)
        before = {i: project.mask_path(i).stat().st_mtime_ns for i in project.ids}
    assert main(args) == ExitCode.NOTHING_TO_DO
    out = " ".join(capsys.readouterr().out.split())
    assert "pre-labelled 0 images" not in out, out
    assert out.startswith("nothing to pre-label: all 2 images have a mask already"), out
    assert "the 2 made by a model only (status predicted) are this model's at these settings already: nothing to replace" in out, out
    with Project.open(images, location) as project:
        assert {i: project.mask_path(i).stat().st_mtime_ns for i in project.ids} == before


def test_a_run_that_pre_labels_exits_0_and_the_next_one_3(
        tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 2)
    Project.open(images, location).close()
    args = ["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN]
    assert main(args) == ExitCode.OK
    assert "pre-labelled 2 images (status predicted)" in capsys.readouterr().out
    assert main(args) == ExitCode.NOTHING_TO_DO
    # not "--replace-predicted replaces them": they are this model's (tests/unit/test_cli2_s36_prelabel_advice.py)
    assert "nothing to pre-label: all 2 images have a mask already; the 2 made by a model only (status predicted) " \
        "are this model's at these settings already" in " ".join(capsys.readouterr().out.split())


def test_help_and_readme_table_say_exit_3_for_nothing_to_pre_label(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["project", "prelabel", "--help"])
    assert ended.value.code == 0
    helped = " ".join(capsys.readouterr().out.split())
    assert "exit codes: 0 " in helped, helped
    assert "3 nothing to pre-label" in helped, helped
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 3 |"))
    assert "`fosp project prelabel`" in row, row
    doc = " ".join((ROOT / "fosp_core" / "cli" / "project_prelabel.py").read_text(encoding="utf-8").split())
    assert re.search(r"3 nothing (left )?to pre-label", doc), "module doc's exit codes"
    assert "0 done (or nothing left to pre-label" not in doc
