"""`fosp train` on a dataset folder whose images have no masks of their names (img/a.jpg, gt/b.png)
said "no labelled images in DIR (split '', subset 'all'): 1 image left out (a: no mask in gt/ …)":
an empty split and the default subset, which the user never set, read as a lead. The line names
only what the config narrows (a split, a subset, max_items)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.cli import main
from tests.unit.test_train_support import tiny_config_toml


def _unpaired(folder: Path) -> Path:
    (folder / "img").mkdir(parents=True)
    (folder / "gt").mkdir()
    cv2.imwrite(str(folder / "img" / "a.jpg"), np.zeros((64, 64, 3), np.uint8))
    cv2.imwrite(str(folder / "gt" / "b.png"), np.zeros((64, 64), np.uint8))
    return folder


@pytest.mark.parametrize(("extra", "named"), [({}, ""), ({"subset": "real"}, " (subset 'real')")])
def test_no_pairs_names_only_what_was_set(demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          extra: dict, named: str) -> None:
    data = _unpaired(tmp_path / "unpaired")
    config = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "c.toml",
                              data={"train": [{"path": str(data), **extra}]})
    assert main(["train", str(config), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"no labelled images in {data}{named}: 1 image left out (a: no mask in gt/" in err, err
    assert "split ''" not in err, err
