"""The odd-input sweep through `fosp dataset stats`: a folder of images beside masks where some
images cannot be read (truncated, empty, text named .jpg). Each unreadable
image is named with its path and reason (a summary line past the first few), the good ones are
counted, and the exit code is 1 (README: some inputs failed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.data.datasets import open_dataset
from fosp_core.data.stats import dataset_stats, format_stats
from tests.odd_inputs import IMAGES, mask01, mixed_folder

BAD = ["jpeg_truncated", "zero_bytes", "text_as_jpg"]


def _dataset(root: Path, bad: list[str]) -> tuple[list[Path], list[Path]]:
    """SMOKE5K-like img/ + gt/: every image (good or bad) has a good 0/1 mask."""
    good, broken = mixed_folder(root / "img", bad)
    (root / "gt").mkdir()
    for path in [*good, *broken]:
        Image.fromarray(mask01() * 255).save(root / "gt" / f"{path.stem}.png")
    return good, broken


def test_unreadable_images_are_named_and_the_exit_code_says_some_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    good, broken = _dataset(tmp_path / "ds", BAD)

    code = main(["dataset", "stats", str(tmp_path / "ds")])

    out, err = capsys.readouterr()
    assert code == 1, out + err
    for kind, path in zip(BAD, broken, strict=True):
        line = next((ln for ln in (out + err).splitlines() if str(path) in ln), "")
        assert line, f"{kind}: {path} not named in\n{out}{err}"
        assert IMAGES[kind].expect.split()[0] in line.lower() or "cannot" in line.lower(), f"{kind}: {line!r}"
    assert "?x?" not in out
    assert f"64x48 {len(good)}" in out


def test_many_unreadable_images_end_in_a_summary_line(tmp_path: Path) -> None:
    root = tmp_path / "ds"
    _dataset(root, [])
    for i in range(25):
        (root / "img" / f"bad{i:02d}.jpg").write_bytes(b"")
        Image.fromarray(mask01() * 255).save(root / "gt" / f"bad{i:02d}.png")

    stats = dataset_stats(open_dataset(root, on_error="skip"))
    text = format_stats(stats)

    assert len(stats.unreadable_images) == 25
    assert "unreadable images: 25" in text
    assert "... and 5 more" in text
    assert stats.to_json()["unreadable_images"][0][0].endswith("bad00.jpg")
