"""Making the project of a dataset called ``os.path.relpath`` twice a photo (its image and its mask, made
relative to the dataset's folder: `fosp_core.annotation.labels._rel`), about 50 µs each: 0.5 s of the first
opening of SMOKE5K's 5 053 photos. A path inside the folder is now cut after it; the same relative paths."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation import labels


def _smoke5k(root: Path, count: int) -> Path:
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    for i in range(count):
        cv2.imwrite(str(root / "img" / f"1528_{i:03d}.jpg"), np.full((8, 8, 3), 40 * (i % 6), np.uint8))
        cv2.imwrite(str(root / "gt" / f"1528_{i:03d}.png"), np.full((8, 8), 255 * (i % 2), np.uint8))
    return root


def test_a_datasets_items_are_made_relative_without_relpath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _smoke5k(tmp_path / "smoke5k", 12)
    calls = [0]
    relpath = os.path.relpath

    def counted(*args: object, **kwargs: object) -> str:
        calls[0] += 1
        return relpath(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os.path, "relpath", counted)
    layout, items = labels.read_source(root)
    assert layout == "smoke5k" and len(items) == 12
    assert calls[0] == 0, f"{calls[0]} relpath calls for 12 photos"
    assert [(item.image, item.label) for item in items] == [
        (f"img/1528_{i:03d}.jpg", f"gt/1528_{i:03d}.png") for i in range(12)]


@pytest.mark.parametrize(("path", "root"), [("/data/set/img/a.jpg", "/data/set"), ("/data/set/img/../gt/b.png", "/data/set"),
                                            ("/data/other/x.jpg", "/data/set"), ("/data/set", "/data/set"),
                                            ("/a/b", "/"), ("/data/set/img/c.jpg", "/data/set/"), ("rel/x.jpg", "rel")])
def test_rel_is_relpaths_answer(path: str, root: str) -> None:
    assert labels._rel(Path(path), Path(root)) == Path(os.path.relpath(Path(path).absolute(),
                                                                         Path(root).absolute())).as_posix()
