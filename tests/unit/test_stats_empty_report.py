"""`fosp dataset stats` of a dataset without images (exit 0, README: a report of an empty dataset,
"0 images", is done) ends no line on a dangling colon: it printed "image sizes: " and nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main as fosp


def test_an_empty_dataset_reports_no_image_sizes_in_words(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for sub in ("JPEGImages", "SegmentationClass"):
        (tmp_path / "empty" / sub).mkdir(parents=True)
    assert fosp(["dataset", "stats", str(tmp_path / "empty")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "images: 0" in lines and "image sizes: none" in lines
    assert [line for line in lines if line.rstrip().endswith(":")] == []


def test_the_demo_still_lists_its_sizes(capsys: pytest.CaptureFixture[str], demo_dir: Path) -> None:
    assert fosp(["dataset", "stats", str(demo_dir)]) == 0
    assert "image sizes: 512x512 4" in capsys.readouterr().out.splitlines()
