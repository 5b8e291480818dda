"""Training's validation scores labels read from the validation datasets (`read_mask`), where a label of 0
and 255 only is a smoke-free image with an ignore band: it warned LabelEncodingWarning for each such
image at every validation (`fosp train` printed "warning: the label holds 0 and 255 only ..."). It says
nothing now, as `fosp eval` (test_library_s32_labels_from_files)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import torch

import fosp_core
from fosp_core.io.masks import read_mask, write_mask_png
from tests.unit.test_train_support import tiny_config


def test_validation_says_nothing_of_a_smoke_free_label(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.train import model_io
    from fosp_core.train.data import open_sources
    from fosp_core.train.evaluate import validate

    data_dir = tmp_path / "data" / "demo"
    shutil.copytree(demo_dir, data_dir)
    first = sorted((data_dir / "SegmentationClass").glob("*.png"))[0]
    label = np.zeros_like(read_mask(first))
    label[:, :20] = 255
    write_mask_png(first, label)
    data = {"root": str(data_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25], "workers": 0,
            "train": [{"path": "demo"}], "val": [{"path": "demo"}]}
    cfg = tiny_config(data_dir, tmp_path, data=data, train={"iterations": 1, "val_size": 64})
    model = model_io.build(cfg, log=lambda *a: None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        validate(model, open_sources(cfg, "val"), cfg, torch.device("cpu"))
    assert not [str(w.message) for w in caught if issubclass(w.category, fosp_core.MaskWarning)]
