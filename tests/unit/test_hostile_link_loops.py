"""A symbolic link loop named like an image (``self.png -> self.png``, or two links pointing at each other):
`fosp dataset stats` called it "a broken link (its target self.png does not exist)", which is untrue (the
target is the link itself), and the image reader said "cannot read file (Too many levels of symbolic
links)". Both now say it is a link that leads back to itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from fosp_core.cli import main
from fosp_core.io.images import ImageReadError, read_image
from fosp_core.io.links import dead_link_reason
from tests.odd_inputs import good_image, mask01

LOOP = "a link that leads back to itself (a symbolic link loop"


def _loops(folder: Path) -> list[Path]:
    os.symlink("self.png", folder / "self.png")
    os.symlink("pong.png", folder / "ping.png")
    os.symlink("ping.png", folder / "pong.png")
    return [folder / "self.png", folder / "ping.png"]


@pytest.mark.parametrize("which", [0, 1])
def test_reading_a_link_loop_says_it_is_one(tmp_path: Path, which: int) -> None:
    path = _loops(tmp_path)[which]

    with pytest.raises(ImageReadError) as caught:
        read_image(path)

    assert LOOP in caught.value.reason, caught.value.reason


def test_dataset_stats_names_a_link_loop_as_one(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "ds"
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    good_image(root / "img", "a.png")
    Image.fromarray(mask01() * 255).save(root / "gt" / "a.png")
    os.symlink("self.png", root / "img" / "self.png")

    main(["dataset", "stats", str(root)])

    out, err = capsys.readouterr()
    assert f"self.png is {LOOP}" in out + err and "does not exist" not in out + err, out + err


def test_a_broken_link_and_a_working_one(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.png", tmp_path / "broken.png")
    good = good_image(tmp_path)
    os.symlink(good, tmp_path / "works.png")

    assert "broken link (its target" in (dead_link_reason(tmp_path / "broken.png") or "")
    assert dead_link_reason(tmp_path / "works.png") is None and dead_link_reason(good) is None
    assert read_image(tmp_path / "works.png").rgb.shape[:2] == (48, 64)
