"""A validation image that could not be read during training (a JPEG cut short, a file replaced while the
run went on, an image too large for the memory left) was skipped in silence: `iter_eval_samples` caught
every exception and went on, so the validation table, the best checkpoint and `best.json` were made on
fewer images than the source holds, with no word anywhere (`fosp eval` on the same split names such an
image). The table of a validation now says, under its source, which images it left out and why."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from fosp_core.data.dataset_entries import SampleError
from fosp_core.data.types import Sample
from fosp_core.train.sources import Source


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _source() -> Source:
    rng = np.random.default_rng(0)
    samples = []
    for i in range(3):
        mask = np.zeros((64, 64), np.uint8)
        mask[10:30, 10:30] = 1
        samples.append(Sample(f"img{i}", rng.integers(0, 255, (64, 64, 3), dtype=np.uint8), mask))

    def get(i: int) -> Sample:
        if i == 1:
            raise SampleError("img1", "/data/JPEGImages/img1.jpg", "image file is truncated")
        return samples[i]

    return Source("mine[val]", 1.0, 3, draw_fn=lambda rng: samples[0], get_fn=get)


def test_iter_eval_samples_names_what_it_left_out() -> None:
    from fosp_core.train.data import iter_eval_samples

    left_out: list[tuple[str, str]] = []
    got = [s.id for _, s in iter_eval_samples([_source()], left_out=left_out)]
    assert got == ["img0", "img2"]
    assert len(left_out) == 1 and left_out[0][0] == "mine[val]"
    assert "img1" in left_out[0][1] and "truncated" in left_out[0][1]


def test_the_validation_table_says_the_image_it_could_not_read() -> None:
    from fosp_core.model.registry import build_model
    from fosp_core.train.evaluate import validate

    cfg = SimpleNamespace(train=SimpleNamespace(val_max_images=0, val_size=64))
    metrics, table = validate(build_model("fosp-s"), [_source()], cfg, torch.device("cpu"),  # type: ignore[arg-type]
                              contextlib.nullcontext)
    assert metrics["mine[val]/total/f_beta"] == metrics["fbeta"]
    assert "1 image left out" in table and "img1" in table and "truncated" in table, table
