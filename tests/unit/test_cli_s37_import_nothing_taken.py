"""`fosp project import` that takes no mask although labels matched (session 37, helper N3).

Every matching mask kept (its image already edited or reviewed; no --overwrite) printed "imported 0
mask(s)" with the skipped lines and exited 0, as if the labels had been taken: a script could not tell
that nothing changed. README > Exit codes: 3 is "nothing to do (nothing written)"; it now exits 3 and says
why and how to take them (--overwrite), as an import with no label matching does. A merge of another
copy with nothing new (the same work in both) said "no mask in ... is named after an image of the project",
which is not what happened: it now says the other copy has nothing this one lacks. One that failed
(wrong size) among kept ones still exits 1: a failed input."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main

ROOT = Path(__file__).resolve().parents[2]


def _photos_with_masks(tmp_path: Path, n: int = 3) -> tuple[Path, Path]:
    """(photos folder, masks folder): `n` 24x32 photos, a mask PNG named after each."""
    photos, masks = tmp_path / "photos", tmp_path / "masks"
    photos.mkdir()
    masks.mkdir()
    for i in range(n):
        cv2.imwrite(str(photos / f"s{i}.jpg"), np.full((24, 32, 3), 60 * i, np.uint8))
        mask = np.zeros((24, 32), np.uint8)
        mask[4:12, 6:20] = 255
        cv2.imwrite(str(masks / f"s{i}.png"), mask)
    return photos, masks


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_matching_mask_kept_exits_nothing_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photos, masks = _photos_with_masks(tmp_path)
    with Project.open(photos) as project:
        for k, image_id in enumerate(project.ids):
            project.save_mask(image_id, np.ones((24, 32), np.uint8), (Status.EDITED, Status.REVIEWED)[k % 2])
    before = _files(photos / ".fosp" / "masks")
    capsys.readouterr()
    code = main(["project", "import", str(photos), str(masks)])
    out, err = capsys.readouterr()
    assert code == ExitCode.NOTHING_TO_DO, (out, err)  # was 0
    assert "imported 0 mask(s)" not in out, out
    assert "skipped s0: already edited" in out and "skipped s1: already reviewed" in out, out
    said = " ".join(err.split())
    assert "nothing imported: the 3 matching masks were kept" in said and "--overwrite" in said, said
    assert _files(photos / ".fosp" / "masks") == before
    # with --overwrite they are taken: done
    assert main(["project", "import", str(photos), str(masks), "--overwrite"]) == ExitCode.OK
    assert "imported 3 mask(s)" in capsys.readouterr().out


def test_a_failed_mask_among_kept_ones_still_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photos, masks = _photos_with_masks(tmp_path, 2)
    cv2.imwrite(str(masks / "s1.png"), np.zeros((10, 10), np.uint8))  # another size: fails
    with Project.open(photos) as project:
        project.save_mask("s0", np.ones((24, 32), np.uint8), Status.EDITED)
    assert main(["project", "import", str(photos), str(masks)]) == ExitCode.FAILED
    assert "1 mask(s) could not be imported: s1" in capsys.readouterr().err


def test_a_copy_with_nothing_new_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photos, _masks = _photos_with_masks(tmp_path, 2)
    with Project.open(photos) as project:
        project.save_mask("s0", np.ones((24, 32), np.uint8), Status.EDITED)
    other = Path(shutil.copytree(photos, tmp_path / "other"))
    capsys.readouterr()
    assert main(["project", "import", str(photos), str(other)]) == ExitCode.NOTHING_TO_DO
    said = " ".join(capsys.readouterr().err.split())
    assert "is named after an image" not in said, said
    assert f"nothing imported: the other copy ({other}" in said and "has no work this project lacks" in said, said


def test_readme_table_says_all_kept_is_nothing_to_do() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| 3 |"))
    assert "`fosp project import` with no label matching an image or every matching one kept" in row, row
