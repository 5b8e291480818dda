"""The app's "two files for one id" path (`collect_image_paths`) with a file of the clash that is a
symbolic link to another image of the same folder: the clash is left out and named, the image its
link points to is not (its own listing resolves to the same path)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.open_paths import collect_image_paths


def _image(path: Path, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(seed).integers(0, 255, (12, 16, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(path)
    return path


def test_a_left_out_link_to_a_neighbour_does_not_hide_it_smokeseg(tmp_path: Path) -> None:
    """JPEGImages/a.jpg -> b.jpg, a.png beside it: id a is left out, b.jpg is still opened."""
    folder = tmp_path / "ds" / "JPEGImages"
    _image(folder / "b.jpg", 0)
    _image(folder / "a.png", 1)
    (folder / "a.jpg").symlink_to("b.jpg")
    images, errors = collect_image_paths([tmp_path / "ds"])
    assert [p.name for p in images] == ["b.jpg"]  # was []: b.jpg dropped with a's link
    assert [e.path.name for e in errors] == ["a"]


def test_a_left_out_link_shared_with_a_kept_link_does_not_hide_it(tmp_path: Path) -> None:
    """a.jpg and c.jpg both link to one photo elsewhere; a.png clashes with a.jpg: c still opens."""
    photo = _image(tmp_path / "elsewhere" / "photo.jpg", 0)
    folder = tmp_path / "ds" / "JPEGImages"
    _image(folder / "a.png", 1)
    folder.joinpath("a.jpg").symlink_to(photo)
    folder.joinpath("c.jpg").symlink_to(photo)
    images, errors = collect_image_paths([tmp_path / "ds"])
    assert images == [photo.resolve()]
    assert [e.path.name for e in errors] == ["a"]


def test_a_left_out_link_to_a_neighbour_does_not_hide_it_smoke5k(tmp_path: Path) -> None:
    """The same clash in a SMOKE5K ``img/`` folder (read by `open_dataset`)."""
    folder = tmp_path / "ds" / "img"
    (tmp_path / "ds" / "gt").mkdir(parents=True)
    _image(folder / "b.jpg", 0)
    _image(folder / "a.png", 1)
    (folder / "a.jpg").symlink_to("b.jpg")
    images, errors = collect_image_paths([tmp_path / "ds"])
    assert [p.name for p in images] == ["b.jpg"]
    assert [e.path.name for e in errors] == ["a"]
