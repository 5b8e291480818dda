"""A checkpoint says which images it was trained on (`fosp_core.trained_on`): a run hashes its
training images' files at its start and every file it writes (best.safetensors, last.pt, the
`fosp train-export` weights) carries the fingerprint; a checkpoint without one knows nothing."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.trained_on import (
    METADATA_KEY,
    RACY_NS,
    DigestCache,
    TrainedImages,
    checkpoint_trained_images,
    count_trained,
    file_digest,
    image_note,
    trained_on,
)
from tests.unit.test_train_support import make_export, save_tiny_checkpoint, tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _images(export: Path, split: str) -> list[Path]:
    ids = (export / "ImageSets" / "Segmentation" / f"{split}.txt").read_text().split()
    return [next((export / "JPEGImages").glob(f"{i}.*")) for i in ids]


def _run(demo_dir: Path, tmp_path: Path, **train: object) -> tuple[object, Path]:
    from fosp_core.train.loop import Trainer

    export = make_export(demo_dir, tmp_path / "my-export")  # 3 train, 1 val
    data = {"root": str(tmp_path), "train": [{"path": export.name, "split": "train"}],
            "val": [{"path": export.name, "split": "val"}]}
    cfg = tiny_config(demo_dir, tmp_path / "runs", data=data,
                      train={"iterations": 2, "val_every": 1, "val_max_images": 1, **train})
    trainer = Trainer(cfg, stream=io.StringIO())
    trainer.run()
    return cfg, export


def test_best_last_and_export_say_which_images_were_trained_on(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.train.export import export_default
    from fosp_core.train.state import load_state

    cfg, export = _run(demo_dir, tmp_path)
    train, val = _images(export, "train"), _images(export, "val")
    best = cfg.run_dir() / "best.safetensors"
    assert trained_on(best, train + val) == [True, True, True, False]
    state = load_state(cfg.run_dir() / "last.pt")
    assert TrainedImages.from_metadata(state["trained_on"]).hashes == {file_digest(p) for p in train}
    out, _ = export_default(cfg.run_dir(), tmp_path / "mine.safetensors")
    assert trained_on(out, train + val) == [True, True, True, False]
    # the same photo under another name is the same file: trained on
    copy = tmp_path / "renamed.jpg"
    shutil.copyfile(train[0], copy)
    assert trained_on(out, [copy]) == [True]
    assert image_note(out, train[0]) == "trained on this image: its scores flatter the model"
    assert image_note(out, val[0]) == ""


def test_a_resumed_run_keeps_the_fingerprint(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.train.loop import Trainer

    cfg, export = _run(demo_dir, tmp_path, iterations=1)
    longer = tiny_config(demo_dir, tmp_path / "runs", data=cfg.to_dict()["data"],
                         train={"iterations": 2, "val_every": 1, "val_max_images": 1})
    (export / "ImageSets" / "Segmentation" / "train.txt").write_text(
        (export / "ImageSets" / "Segmentation" / "train.txt").read_text().split()[0] + "\n")  # 1 image now
    trainer = Trainer(longer, resume=True, stream=io.StringIO())
    trainer.run()
    known = checkpoint_trained_images(cfg.run_dir() / "best.safetensors")
    assert known is not None and len(known.hashes) == 3  # the images of both parts


def test_a_checkpoint_without_a_fingerprint_knows_nothing(demo_dir: Path, tmp_path: Path) -> None:
    old = save_tiny_checkpoint(tmp_path / "old-default.safetensors")
    images = sorted((demo_dir / "JPEGImages").iterdir())
    cache = DigestCache()
    assert trained_on(old, images, cache) == [None] * len(images)  # unknown, never "held out"
    assert cache.reads == 0  # nothing hashed for a checkpoint that records nothing
    assert count_trained(trained_on(old, images)).unknown == len(images)


def test_digests_are_read_once_per_file_version(tmp_path: Path) -> None:
    a = tmp_path / "a.jpg"
    a.write_bytes(b"one photo")
    settled = a.stat().st_mtime_ns - 2 * RACY_NS  # (a file written just now is read each time)
    os.utime(a, ns=(settled, settled))
    cache = DigestCache()
    known = TrainedImages(frozenset({file_digest(a)}))
    assert trained_on(known, [a, a], cache) == [True, True]
    assert cache.reads == 1
    a.write_bytes(b"re-saved, another photo")
    assert trained_on(known, [a], cache) == [False]
    assert cache.reads == 2
    assert trained_on(TrainedImages(frozenset(), complete=False), [a], cache) == [None]  # incomplete: unknown
    assert trained_on(known, [tmp_path / "gone.jpg"], cache) == [None]


def test_6144_images_stay_well_under_200_kb_of_metadata() -> None:
    hashes = frozenset(f"{i:016x}" for i in range(6144))
    text = TrainedImages(hashes).to_metadata()
    assert len(text.encode()) < 100_000
    assert TrainedImages.from_metadata(text).hashes == hashes
    assert METADATA_KEY == "trained_on"
