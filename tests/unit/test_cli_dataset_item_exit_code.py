"""A dataset refused for one of its items (a mask whose size is not its image's, an image without a
mask) made `fosp dataset stats` and `fosp dataset convert` exit 2, the README's "usage error or missing
input", while an image that does not decode made stats exit 1, "some inputs failed". Both are an
input that failed: 1 now; a path that is no dataset stays 2."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.cli import main


def _dataset(folder: Path) -> Path:
    """A SMOKE5K-style dataset (img/ + gt/) of 3 images, the mask of s1 of another size."""
    (folder / "img").mkdir(parents=True)
    (folder / "gt").mkdir()
    for i in range(3):
        cv2.imwrite(str(folder / "img" / f"s{i}.jpg"), np.full((24, 32, 3), 60 * i, np.uint8))
        mask = np.zeros((24, 32) if i != 1 else (10, 10), np.uint8)
        mask[2:6, 2:8] = 255
        cv2.imwrite(str(folder / "gt" / f"s{i}.png"), mask)
    return folder


@pytest.mark.parametrize("command", [["stats"], ["convert"]])
def test_a_mask_of_another_size_is_an_input_that_failed(tmp_path: Path, command: list[str],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = _dataset(tmp_path / "data")
    out = [str(tmp_path / "out")] if command == ["convert"] else []
    assert main(["dataset", *command, str(data), *out]) == 1
    assert "--skip-bad" in capsys.readouterr().err
    assert main(["dataset", *command, str(data), *out, "--skip-bad"]) == 0


def test_a_path_that_is_no_dataset_is_still_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no images here")
    assert main(["dataset", "stats", str(tmp_path / "empty")]) == 2
    assert main(["dataset", "convert", str(tmp_path / "empty"), str(tmp_path / "out")]) == 2


def test_eval_of_such_a_dataset_is_an_input_that_failed_too(tmp_path: Path) -> None:
    data = _dataset(tmp_path / "data")
    preds = tmp_path / "preds"
    preds.mkdir()
    for i in range(3):
        cv2.imwrite(str(preds / f"s{i}.png"), np.zeros((24, 32), np.uint8))
    assert main(["eval", "--dataset", str(data), "--predictions", str(preds)]) == 1
