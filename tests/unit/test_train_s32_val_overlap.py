"""`fosp train` validating on images it also trains on said nothing of it: run on the demo images with
`data.train=[{path="demo"}]` (split "": every labelled image) and `data.val=[{path="demo", split="val"}]`,
its 4 validation images were 4 of its training images, so the scores that picked best.safetensors (and
that its model card reports) measured how well it fits what it trained on. The start now says so, with
how many, of which sources, and the way out; disjoint splits (the recipes') say nothing."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import torch

from fosp_core.train.config_schema import TrainConfig
from fosp_core.train.loop import Trainer
from fosp_core.train.small_data import small_data_notes
from tests.unit.test_train_support import tiny_config


def _source(name: str, paths: list[str], fixed: bool = True) -> SimpleNamespace:
    return SimpleNamespace(name=name, size=len(paths), image_paths=tuple(Path(p) for p in paths),
                           get_fn=(lambda i: i) if fixed else None)


def _overlap(notes: list[str]) -> list[str]:
    return [n for n in notes if "also training images" in n]


def test_validation_images_trained_on_are_said() -> None:
    train = [_source("a", [f"/d/{i}.jpg" for i in range(10)])]
    val = [_source("a[val]", ["/d/1.jpg", "/d/2.jpg", "/v/3.jpg"] + [f"/v/{i}.jpg" for i in range(4, 10)])]
    said = _overlap(small_data_notes(TrainConfig(batch_size=2), train, val))
    assert said == ["warning: 2 of the 9 validation images of a[val] are also training images (a): their scores, "
                    "and the best.safetensors they pick, measure how the run fits what it trained on; give data.val "
                    "and data.train splits that do not share images (e.g. split = \"train\" and split = \"val\")"], said
    shortened = small_data_notes(TrainConfig(batch_size=2, val_max_images=1), train, val)  # only /d/1.jpg validated
    assert _overlap(shortened) and "1 of the 1 validation images" in _overlap(shortened)[0]


def test_disjoint_or_synthetic_training_says_nothing() -> None:
    val = [_source("a[val]", ["/d/1.jpg", "/d/2.jpg"] + [f"/v/{i}.jpg" for i in range(5)])]
    disjoint = [_source("a[train]", ["/d/5.jpg", "/d/6.jpg"])]
    synthetic = [_source("synthetic(a)", ["/d/1.jpg", "/d/2.jpg"])]  # smoke drawn over the photos: items, no labels
    generated = [_source("b", ["/d/1.jpg", "/d/2.jpg"], fixed=False)]  # no fixed items
    unknown = [SimpleNamespace(name="x", size=3, image_paths=None, get_fn=lambda i: i)]
    for train in (disjoint, synthetic, generated, unknown):
        assert not _overlap(small_data_notes(TrainConfig(batch_size=2), train, val)), train


def test_a_run_validating_on_its_training_images_says_so(demo_dir: Path, tmp_path: Path) -> None:
    torch.set_num_threads(1)
    cfg = tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name, "split": "val"}]},
                      train={"iterations": 1})
    stream = io.StringIO()
    Trainer(cfg, stream=stream).run()
    assert f"warning: 4 of the 4 validation images of {demo_dir.name}[val] are also training images" \
           in stream.getvalue(), stream.getvalue()


def test_synthetic_smoke_over_the_validation_photos_is_not_said(demo_dir: Path, tmp_path: Path) -> None:
    """The real sources: a `kind = "synthetic"` training source draws its smoke over the photos the
    validation scores with their own labels: not the same labelled images."""
    from fosp_core.train.data import open_sources

    cfg = tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name, "kind": "synthetic"}],
                                                "val": [{"path": demo_dir.name, "split": "val"}]})
    train, val = open_sources(cfg, "train"), open_sources(cfg, "val")
    assert train[0].image_paths and set(train[0].image_paths) & set(val[0].image_paths)  # the same photos
    assert not _overlap(small_data_notes(cfg.train, train, val))
