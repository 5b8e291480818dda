"""The Fine-tune dialog's notes before Start for a SMOKE5K folder (R3 review, session 35: 20 real SMOKE5K photos,
`img/` + `gt/`, chosen as the dataset). Start accepts such a folder and trains on all 20, keeping the last weights
(its log: "20 training images, no val split: the last weights are kept"), but the form said nothing before the
start: no "no val split" warning (README: "a warning when the dataset has no `val` split"), and no batch proposed
from its training images, since both read SmokeSeg folders (`JPEGImages/`) only. Qt-free words."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from app.training.messages import dataset_note, read_dataset, training_images


def _smoke5k(root: Path, n: int) -> Path:
    (root / "img").mkdir(parents=True)
    (root / "gt").mkdir()
    for i in range(n):
        cv2.imwrite(str(root / "img" / f"cam_{i}.jpg"), np.full((48, 64, 3), 120, np.uint8))
        cv2.imwrite(str(root / "gt" / f"cam_{i}.png"), np.zeros((48, 64), np.uint8))
    return root


def test_a_smoke5k_folder_is_said_to_have_no_val_split_before_start(tmp_path: Path) -> None:
    folder = _smoke5k(tmp_path / "smoke5k subset", 3)
    note = dataset_note(str(folder))
    assert note.startswith("This dataset has no val split"), note
    assert training_images(str(folder)) == 3
    facts = read_dataset(str(folder))
    assert facts.train_images == 3 and facts.note == note


def test_a_folder_of_photos_alone_still_gets_no_note(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    cv2.imwrite(str(folder / "a.jpg"), np.full((48, 64, 3), 120, np.uint8))
    assert dataset_note(str(folder)) == "" and training_images(str(folder)) is None
