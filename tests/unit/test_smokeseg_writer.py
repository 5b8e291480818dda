"""SmokeSeg writer: exact format, byte-exact round trip, atomicity, refusal to overwrite."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.data.datasets import open_dataset
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.types import Sample
from fosp_core.metrics import size_bucket

SEG = Path("ImageSets/Segmentation")


def _splits_of(root: Path) -> dict[str, list[str]]:
    return {p.stem: p.read_text().split("\n")[:-1] for p in sorted((root / SEG).glob("*.txt"))}


def test_round_trip_is_byte_exact(tmp_path: Path, demo_dir: Path) -> None:
    src = open_dataset(demo_dir)
    dst = write_smokeseg(src, tmp_path / "out", splits={"val": list(reversed(src.ids))})
    assert sorted(p.name for p in dst.iterdir()) == ["ImageSets", "JPEGImages", "SegmentationClass"]
    for sample_id in src.ids:
        for sub, ext in (("SegmentationClass", ".png"), ("JPEGImages", ".jpg")):
            original = (demo_dir / sub / f"{sample_id}{ext}").read_bytes()
            assert (dst / sub / f"{sample_id}{ext}").read_bytes() == original, (sub, sample_id)
    assert _splits_of(dst) == {"val": list(reversed(src.ids))}
    back = open_dataset(dst, "val")
    for sample in back:
        np.testing.assert_array_equal(sample.mask, src.get(sample.id).mask)
    assert list(tmp_path.iterdir()) == [dst]  # no temp folder left behind


def test_round_trip_of_all_real_samples(tmp_path: Path, shared_data: Path) -> None:
    root = shared_data / "smokeseg-samples"
    src = open_dataset(root)
    splits = {name: open_dataset(root, name).ids for name in ("train", "val")}
    dst = write_smokeseg(src, tmp_path / "out", splits=splits)
    for sample_id in src.ids:
        assert (dst / "SegmentationClass" / f"{sample_id}.png").read_bytes() == \
            (root / "SegmentationClass" / f"{sample_id}.png").read_bytes()
    for name in ("train", "val"):
        assert (dst / SEG / f"{name}.txt").read_bytes() == (root / SEG / f"{name}.txt").read_bytes()


def test_test_split_is_divided_by_delta(tmp_path: Path, demo_dir: Path) -> None:
    src = open_dataset(demo_dir)
    samples = list(src)
    big = samples[0].mask.copy()
    big[:100, :100] = 1  # 10000 / 262144 = 3.8 % -> large
    samples[0] = Sample(samples[0].id, samples[0].image, big, samples[0].source)
    dst = write_smokeseg(samples, tmp_path / "out", splits={"train": src.ids[:1], "test": src.ids})
    lists = _splits_of(dst)
    expected = {b: [s.id for s in samples if size_bucket(s.smoke_ratio()) == b] for b in ("small", "medium", "large")}
    assert lists["test_large"] == expected["large"] == [samples[0].id]
    assert lists["test_medium"] == expected["medium"] and len(expected["medium"]) == 3
    assert lists["test_small"] == [] and lists["train"] == src.ids[:1]


def test_ignore_kept_and_png_images_reencoded(tmp_path: Path, demo_dir: Path) -> None:
    sample = open_dataset(demo_dir)[0]
    mask = sample.mask.copy()
    mask[:10] = 255
    png_source = tmp_path / "src.png"
    Image.fromarray(sample.image).save(png_source)
    dst = write_smokeseg([Sample("a", sample.image, mask, png_source)], tmp_path / "out")
    assert _splits_of(dst) == {"train": ["a"]}
    back = open_dataset(dst)[0]
    np.testing.assert_array_equal(back.mask, mask)
    with Image.open(dst / "JPEGImages/a.jpg") as im:
        assert im.format == "JPEG" and im.mode == "RGB"
    assert np.abs(back.image.astype(int) - sample.image).mean() < 3  # quality 95


def test_resize_to_512(tmp_path: Path, demo_dir: Path) -> None:
    sample = open_dataset(demo_dir)[1]
    image = np.ascontiguousarray(np.concatenate([sample.image, sample.image[:, :128]], axis=1))  # 640x512
    mask = np.ascontiguousarray(np.concatenate([sample.mask, sample.mask[:, :128]], axis=1))
    mask[0, 0] = 255
    dst = write_smokeseg([Sample("wide", image, mask)], tmp_path / "out", resize_to=512)
    back = open_dataset(dst)[0]
    assert back.image.shape == (512, 512, 3) and back.mask.shape == (512, 512)
    assert set(np.unique(back.mask)) == {0, 1, 255}


def test_refuses_non_empty_destination_unless_overwrite(tmp_path: Path, demo_dir: Path) -> None:
    src = open_dataset(demo_dir)
    dst = tmp_path / "out"
    dst.mkdir()
    (dst / "keep.txt").write_text("precious")
    with pytest.raises(SmokeSegWriteError, match="not empty"):
        write_smokeseg(src, dst)
    assert (dst / "keep.txt").read_text() == "precious"
    with pytest.raises(SmokeSegWriteError, match="keep.txt"):  # not an earlier export: never deleted
        write_smokeseg(src, dst, overwrite=True)
    assert (dst / "keep.txt").read_text() == "precious"
    (dst / "keep.txt").unlink()
    write_smokeseg(src, dst)
    with pytest.raises(SmokeSegWriteError, match="not empty"):
        write_smokeseg(src, dst)
    write_smokeseg(src, dst, overwrite=True)  # an earlier export is replaced
    assert len(open_dataset(dst)) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failure_midway_leaves_nothing(tmp_path: Path, demo_dir: Path) -> None:
    samples = list(open_dataset(demo_dir))
    samples[2] = Sample(samples[2].id, samples[2].image, np.full_like(samples[2].mask, 7))
    with pytest.raises(SmokeSegWriteError, match=re.escape(samples[2].id)):
        write_smokeseg(samples, tmp_path / "out")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("bad, match", [
    (lambda s: Sample("has space", s.image, s.mask), "white space"),
    (lambda s: Sample("x", s.image, None), "no mask"),
    (lambda s: Sample("x", s.image, s.mask[:10]), "does not match"),
])
def test_bad_samples_are_named(tmp_path: Path, demo_dir: Path, bad, match: str) -> None:
    sample = open_dataset(demo_dir)[0]
    with pytest.raises(SmokeSegWriteError, match=match):
        write_smokeseg([bad(sample)], tmp_path / "out")


def test_split_listing_unknown_id_and_progress(tmp_path: Path, demo_dir: Path) -> None:
    src = open_dataset(demo_dir)
    with pytest.raises(SmokeSegWriteError, match="not written"):
        write_smokeseg(src, tmp_path / "out", splits={"train": ["nope"]})
    calls = []
    write_smokeseg(src, tmp_path / "out2", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_destination_inside_new_parent(tmp_path: Path, demo_dir: Path) -> None:
    src = open_dataset(demo_dir)
    dst = write_smokeseg(src, tmp_path / "a" / "b" / "out")
    assert len(open_dataset(dst)) == 4
    shutil.rmtree(tmp_path / "a")
