"""An export keeps the photos' own size and aspect ratio by default, and the trainer takes it as it
is: `fosp_core.train.data` rescales by the long side (aspect kept) and crops, so non-square,
non-512 SmokeSeg images need no resize at export time."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import torch

from fosp_core.annotation import tools
from fosp_core.annotation.document import Status
from fosp_core.annotation.export import export_smokeseg
from fosp_core.annotation.project import Project
from fosp_core.data.datasets import open_dataset
from fosp_core.data.types import SMOKE
from fosp_core.train.config import load_config
from fosp_core.train.data import MixedTrainStream, build_augment, open_sources


def _wide_photos(demo_dir: Path, folder: Path) -> Path:
    """The demo photos cut to 512 x 320 (16:10, real content), as a plain folder."""
    folder.mkdir()
    for path in sorted((demo_dir / "JPEGImages").glob("*.jpg")):
        image = cv2.imread(str(path))
        cv2.imwrite(str(folder / path.name), image[96:416])
    return folder


def test_export_keeps_size_and_aspect_and_the_trainer_takes_it(demo_dir: Path, tmp_path: Path) -> None:
    torch.set_num_threads(1)
    photos = _wide_photos(demo_dir, tmp_path / "photos")
    with Project.open(photos, tmp_path / "project") as project:
        for image_id in project.ids:
            doc = project.open_document(image_id)
            tools.brush(doc, [(100, 100), (400, 200)], 30)
            doc.set_status(Status.REVIEWED)
        report = export_smokeseg(project, tmp_path / "export", splits=(0.5, 0.5))  # no resize_to: the default
    assert {k: len(v) for k, v in report.splits.items()} == {"train": 2, "val": 2}
    exported = open_dataset(tmp_path / "export", "train")
    sample = exported[0]
    assert sample.image.shape == (320, 512, 3) and sample.mask.shape == (320, 512)  # not squashed to 512 x 512
    assert (sample.mask == SMOKE).any()

    cfg = load_config("small-cpu", [f"data.root={json.dumps(str(tmp_path))}",  # the fine-tune's recipe
                                    'data.train=[{path = "export", split = "train"}]', "data.val=[]",
                                    "data.workers=0"])
    stream = MixedTrainStream(open_sources(cfg, "train"), build_augment(cfg), seed=0)
    crop = cfg.data.crop
    for index in range(4):
        image, mask = stream[index]
        assert tuple(image.shape) == (3, crop, crop) and tuple(mask.shape) == (crop, crop)
        assert set(np.unique(mask.numpy())) <= {0, 1, 255}
