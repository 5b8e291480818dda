"""An image of a dataset opened alone must not make every opening read the whole dataset.

`dataset_listing`'s module doc: "The dataset is read (`read_source`: its masks and split lists) only when its images
folders hold a name no entry has; the usual opening compares names only". Opening one image of the dataset
(the app's open of ``JPEGImages/x.jpg`` alone: no listing, `open_source(dataset, None, None)`) lists
``JPEGImages/`` itself (`dataset_image_names`' fallback), which, unlike the open's listing
(`fosp_core.open_paths.collect_image_paths`: `smokeseg_left_out`), keeps the files the dataset's reader leaves out
(``dup.jpg`` and ``dup.png``: two files for one id; a broken link): such a name is never an entry, so each such
opening read the whole dataset again (seconds for 100 000 images, on the opening's worker) to add nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from fosp_core.annotation import dataset_listing
from fosp_core.annotation.source_opening import open_source
from fosp_core.open_paths import collect_image_paths

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"

def test_review_rv_s34_an_image_opened_alone_does_not_read_the_dataset_for_files_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = tmp_path / "demo"
    shutil.copytree(DEMO, dataset)
    found, _errors = collect_image_paths([dataset])
    open_source(dataset, None, [os.fspath(path) for path in found]).close()
    photo = next((dataset / "JPEGImages").iterdir())
    shutil.copyfile(photo, dataset / "JPEGImages" / "dup.jpg")  # id dup twice: the reader leaves both out
    shutil.copyfile(photo, dataset / "JPEGImages" / "dup.png")
    reads: list[Path] = []
    real = dataset_listing.read_items
    monkeypatch.setattr(dataset_listing, "read_items", lambda root: reads.append(root) or real(root))
    for _ in range(2):  # an image of the dataset opened alone, twice
        with open_source(dataset, None, None) as project:
            assert project.listing.added == []
    assert reads == [], f"the whole dataset read {len(reads)} times to add nothing"
