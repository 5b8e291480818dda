"""The odd-input sweep through `fosp project import`: a project of 64x48 images, one per kind of
mask in tests/odd_inputs/masks.py (0/1, 0/255, palette, RGB, 16-bit, with alpha, wrong size, truncated,
text), plus unreadable images. Readable masks import as the same 0/1 mask; each bad one is named
with its reason, the others are still imported, and the exit code is 1 (README: some inputs
failed); masks already edited and kept are no failure (exit 0)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.document import Status
from fosp_core.annotation.project import Project
from fosp_core.cli import main
from tests.odd_inputs import IMAGES, MASKS, mask01, picture


def _project(tmp_path: Path, kinds: list[str]) -> tuple[Path, Path]:
    images, masks = tmp_path / "images", tmp_path / "masks"
    images.mkdir()
    masks.mkdir()
    for kind in kinds:
        Image.fromarray(picture()).save(images / f"{kind}.jpg", quality=95)
        MASKS[kind].make(masks).rename(masks / f"{kind}.png")
    for kind in ("jpeg_truncated", "zero_bytes", "text_as_jpg"):
        IMAGES[kind].make(images)
    Project.open(images, tmp_path / "project").close()
    return tmp_path / "project", masks


def test_every_readable_mask_imports_and_each_bad_one_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    project, masks = _project(tmp_path, list(MASKS))
    before = {p.name: p.read_bytes() for p in masks.iterdir()}

    code = main(["project", "import", str(project), str(masks)])

    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 1, out + err  # some masks could not be imported
    opened = Project.open(project, create=False)
    try:
        for kind, odd in MASKS.items():
            entry = next(e for e in opened.entries if e.id == kind)
            if odd.expect == "ok":
                assert entry.status == Status.EDITED, kind
                np.testing.assert_array_equal(opened.load_mask(kind), mask01(), err_msg=kind)
            else:
                assert entry.status == Status.UNLABELED, kind
                line = next((ln for ln in (out + err).splitlines() if f"skipped {kind}:" in ln), "")
                assert odd.expect in line and f"{kind}.png" in line, f"{kind}: {line!r}"
    finally:
        opened.close()
    assert {p.name: p.read_bytes() for p in masks.iterdir()} == before  # the sources are untouched


def test_masks_kept_because_already_edited_are_no_failure(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project, masks = _project(tmp_path, ["values_0_1", "palette"])
    opened = Project.open(project, create=False)
    opened.save_mask("palette", np.zeros((48, 64), np.uint8), Status.EDITED)
    opened.close()

    code = main(["project", "import", str(project), str(masks)])

    out = capsys.readouterr().out
    assert code == 0, out
    assert "imported 1 mask(s)" in out and "skipped palette: already edited" in out


def test_the_report_keeps_kept_and_failed_masks_apart(tmp_path: Path) -> None:
    project, masks = _project(tmp_path, ["values_0_1", "palette", "wrong_size", "truncated"])
    opened = Project.open(project, create=False)
    try:
        opened.save_mask("palette", np.zeros((48, 64), np.uint8), Status.EDITED)

        report = opened.import_labels(masks)
    finally:
        opened.close()

    assert report.imported == ["values_0_1"]
    assert [i for i, _ in report.kept] == ["palette"]
    assert sorted(i for i, _ in report.failed) == ["truncated", "wrong_size"]
    assert sorted(report.skipped) == sorted([*report.kept, *report.failed])
