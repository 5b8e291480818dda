"""Training augmentation: recipe semantics, determinism, padding with ignore, speed."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from fosp_core.data.augment import TrainAugment, photometric_distortion, random_crop
from fosp_core.data.datasets import open_dataset


@pytest.fixture(scope="module")
def demo_sample(demo_dir: Path):
    return open_dataset(demo_dir)[1]


def test_output_shapes_values_and_determinism(demo_sample) -> None:
    aug = TrainAugment()
    outs = [aug(demo_sample.image, demo_sample.mask, np.random.default_rng(seed)) for seed in (3, 3, 4)]
    for image, mask in outs:
        assert image.shape == (512, 512, 3) and image.dtype == np.uint8 and image.flags.c_contiguous
        assert mask.shape == (512, 512) and mask.dtype == np.uint8
        assert set(np.unique(mask)) <= {0, 1, 255}
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_array_equal(outs[0][1], outs[1][1])
    assert not np.array_equal(outs[0][0], outs[2][0])


def test_half_scale_is_padded_with_ignore(demo_sample) -> None:
    aug = TrainAugment(ratio_range=(0.5, 0.5), flip_prob=0.0, photometric=False)
    image, mask = aug(demo_sample.image, demo_sample.mask, np.random.default_rng(0))
    assert (mask[256:] == 255).all() and (mask[:, 256:] == 255).all()
    assert (image[256:] == 0).all()
    expected = cv2.resize(demo_sample.mask, (256, 256), interpolation=cv2.INTER_NEAREST_EXACT)
    np.testing.assert_array_equal(mask[:256, :256], expected)
    np.testing.assert_array_equal(image[:256, :256],
                                  cv2.resize(demo_sample.image, (256, 256), interpolation=cv2.INTER_LINEAR))


def test_scale_is_the_long_side_before_the_ratio() -> None:
    image = np.zeros((480, 640, 3), np.uint8)
    mask = np.zeros((480, 640), np.uint8)
    aug = TrainAugment(crop_size=2000, ratio_range=(1.5, 1.5), photometric=False)
    _, out = aug(image, mask, np.random.default_rng(0))
    assert (out[:576, :768] == 0).all() and (out[576:] == 255).all() and (out[:, 768:] == 255).all()
    aug = TrainAugment(crop_size=2000, ratio_range=(1.5, 1.5), scale=None, photometric=False)
    _, out = aug(image, mask, np.random.default_rng(0))
    assert (out[:720, :960] == 0).all() and (out[720:] == 255).all()


def test_flip_is_horizontal(demo_sample) -> None:
    aug = TrainAugment(ratio_range=(1.0, 1.0), flip_prob=1.0, photometric=False)
    image, mask = aug(demo_sample.image, demo_sample.mask, np.random.default_rng(0))
    np.testing.assert_array_equal(mask, demo_sample.mask[:, ::-1])
    np.testing.assert_array_equal(image, demo_sample.image[:, ::-1])


def test_cat_max_ratio_prefers_mixed_crops() -> None:
    mask = np.zeros((1024, 1024), np.uint8)
    mask[:, 824:] = 1  # a 200 px band of smoke on the right: few crops are mixed enough
    image = np.zeros((1024, 1024, 3), np.uint8)

    def share_ok(ratio: float) -> float:
        ok = 0
        for seed in range(60):
            _, m = random_crop(image, mask, np.random.default_rng(seed), (512, 512), ratio)
            n1 = np.count_nonzero(m == 1)
            ok += 0 < n1 and max(n1, m.size - n1) / m.size < 0.75
        return ok / 60

    assert share_ok(0.75) > 0.6 > 0.3 > share_ok(1.0)


def test_smoke_crop_prob_centres_on_smoke() -> None:
    mask = np.zeros((2000, 2000), np.uint8)
    mask[1500:1504, 300:304] = 1
    image = np.zeros((2000, 2000, 3), np.uint8)
    for seed in range(5):
        _, m = random_crop(image, mask, np.random.default_rng(seed), (256, 256), 1.0, smoke_crop_prob=1.0)
        assert np.count_nonzero(m == 1) == 16


def test_photometric_keeps_gray_gray_and_is_seeded(demo_sample) -> None:
    gray = np.repeat(demo_sample.image[..., :1], 3, axis=2)
    for seed in range(10):
        out = photometric_distortion(gray, np.random.default_rng(seed))
        assert out.dtype == np.uint8 and out.shape == gray.shape
        # hue and saturation leave gray pixels gray (up to HSV rounding)
        assert np.abs(out[..., 0].astype(int) - out[..., 1]).max() <= 2
    a = photometric_distortion(demo_sample.image, np.random.default_rng(7))
    b = photometric_distortion(demo_sample.image, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(photometric_distortion(demo_sample.image, np.random.default_rng(s)),
                                  demo_sample.image) for s in range(4))


def test_torch_wrapper_is_reproducible(demo_dir: Path) -> None:
    from fosp_core.data.torch_dataset import AugmentedDataset

    ds = open_dataset(demo_dir)
    a, b = AugmentedDataset(ds, seed=5, length=6), AugmentedDataset(ds, seed=5, length=6)
    item = a[5]
    assert item["image"].shape == (3, 512, 512) and item["image"].dtype == torch.uint8
    assert item["mask"].shape == (512, 512) and item["mask"].dtype == torch.int64
    assert torch.equal(item["image"], b[5]["image"]) and len(a) == 6
    b.set_epoch(1)
    assert not torch.equal(item["image"], b[5]["image"])
