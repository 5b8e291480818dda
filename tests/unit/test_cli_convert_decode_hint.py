"""`fosp dataset convert` of a dataset with an image that does not decode stops (exit 1, nothing written)
and, as `fosp dataset stats` and `fosp eval` do for such an item, says what to do: fix that file or pass
--skip-bad. It named the file only; the hint (`skip_hint`) was given for items refused at opening."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.cli import main


def test_convert_of_an_image_that_does_not_decode_suggests_skip_bad(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    (src / "img").mkdir(parents=True)
    (src / "gt").mkdir()
    for i in range(3):
        cv2.imwrite(str(src / "img" / f"s{i}.jpg"), np.full((24, 32, 3), 60 * i, np.uint8))
        cv2.imwrite(str(src / "gt" / f"s{i}.png"), np.zeros((24, 32), np.uint8))
    (src / "img" / "s1.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 40)  # a JPEG's start, no image
    capsys.readouterr()
    assert main(["dataset", "convert", str(src), str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "s1" in err and "--skip-bad" in err, err
    assert not (tmp_path / "out").exists()
    assert main(["dataset", "convert", str(src), str(tmp_path / "out"), "--skip-bad"]) == 0
