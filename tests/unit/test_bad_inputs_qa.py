"""Hostile-user inputs found by QA: each test pins a defect that used to slip through."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from fosp_core.io import images
from fosp_core.io.images import ImageReadError, read_image


@pytest.mark.parametrize("side", [40, 60])  # 1600 px: Pillow's warning band; 3600 px: its error band
def test_an_image_over_the_pixel_limit_is_refused_not_decoded_by_the_fallback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, side: int
) -> None:
    # A 500 MP PNG (0.5 MB of zeros) used to bypass the 400 MP guard: Pillow refused it and the
    # OpenCV fallback then decoded it anyway (8 GB resident in `fosp predict`).
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    path = tmp_path / "bomb.png"
    cv2.imwrite(str(path), np.zeros((side, side), np.uint8))
    with pytest.raises(ImageReadError) as info:
        read_image(path)
    assert "too large" in info.value.reason
    assert "1,000" in info.value.reason


def test_the_opencv_fallback_keeps_the_pixel_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A float RGB TIFF is a file Pillow cannot open, so only OpenCV decodes it.
    path = tmp_path / "float_rgb.tif"
    cv2.imwrite(str(path), np.random.default_rng(0).random((40, 40, 3)).astype(np.float32))
    assert read_image(path).mode.startswith("cv2:")
    monkeypatch.setattr(images, "MAX_PIXELS", 1000)
    with pytest.raises(ImageReadError, match="too large"):
        read_image(path)


# ------------------------------------------------------------------------------------ checkpoints
@pytest.fixture(scope="module")
def segformer_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    """(tensors, metadata) of a saved segformer-b0 (the smallest model)."""
    import torch
    from safetensors import safe_open

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.manual_seed(0)
    path = save_checkpoint(build_model("segformer-b0"), tmp_path_factory.mktemp("ck") / "good.safetensors")
    with safe_open(str(path), framework="pt") as fh:
        return {k: fh.get_tensor(k) for k in fh.keys()}, dict(fh.metadata())


def _write_checkpoint(path: Path, tensors: dict, meta: dict) -> Path:
    from safetensors.torch import save_file

    save_file({k: v.contiguous() for k, v in tensors.items()}, str(path), metadata=meta)
    return path


@pytest.mark.parametrize("config", ["null", "[1, 2]", '"segformer-b0"'])
def test_a_config_that_is_not_a_json_object_is_a_named_checkpoint_error(
    tmp_path: Path, segformer_file: tuple[dict, dict], config: str
) -> None:
    # These used to raise AttributeError ('list' object has no attribute 'items' / 'get').
    from fosp_core.analysis.settings import read_model_info
    from fosp_core.checkpoint import CheckpointError, load_checkpoint, load_state_into
    from fosp_core.model import build_model

    tensors, meta = segformer_file
    path = _write_checkpoint(tmp_path / "odd.safetensors", tensors, {**meta, "config": config})
    with pytest.raises(CheckpointError, match="'config' is not a JSON object"):
        load_checkpoint(path)
    with pytest.raises(CheckpointError, match="'config' is not a JSON object"):
        load_state_into(build_model("segformer-b0"), path)
    assert read_model_info(path).variant == "segformer-b0"  # the model panel can still describe it


@pytest.mark.parametrize(
    ("field", "value"),
    [("channels", 200_000), ("channels", -1), ("channels", "wide"), ("inpainter", [1])],
)
def test_a_config_asking_for_an_absurd_model_is_refused_before_building_it(
    tmp_path: Path, segformer_file: tuple[dict, dict], field: str, value: object
) -> None:
    # channels=200000 used to make torch try to allocate 640 GB (a RuntimeError, or the OOM killer
    # for values that just fit the overcommit); -1 / "wide" raised RuntimeError / TypeError.
    import json

    from fosp_core.checkpoint import CheckpointError, load_checkpoint

    tensors, meta = segformer_file
    config = {**json.loads(meta["config"]), field: value}
    path = _write_checkpoint(tmp_path / "odd.safetensors", tensors, {**meta, "config": json.dumps(config)})
    with pytest.raises(CheckpointError, match=f"'config' is invalid .*{field}"):
        load_checkpoint(path)


def test_inpainter_widths_are_bounded() -> None:
    from fosp_core.model.inpainter import InpainterConfig

    with pytest.raises(ValueError, match="widths"):
        InpainterConfig(widths=(100_000,) * 4)
    with pytest.raises(ValueError, match="context_dilations"):
        InpainterConfig(context_dilations=(1,) * 10_000)
    assert InpainterConfig(widths=[8, 16, 32, 64]).widths == [8, 16, 32, 64]


@pytest.mark.parametrize("kind", ["int32", "bool"])
def test_integer_or_bool_tensors_for_float_weights_are_refused(
    tmp_path: Path, segformer_file: tuple[dict, dict], kind: str
) -> None:
    # They used to be cast silently: the model loaded and predicted garbage (probability 0.98-1.0).
    import torch

    from fosp_core.checkpoint import CheckpointError, load_checkpoint

    tensors, meta = segformer_file
    dtype = getattr(torch, kind)
    bad = {k: (v * 100).to(dtype) if v.is_floating_point() else v for k, v in tensors.items()}
    path = _write_checkpoint(tmp_path / "ints.safetensors", bad, meta)
    with pytest.raises(CheckpointError, match=f"dtype mismatches: .*file torch.{kind}, model torch.float32"):
        load_checkpoint(path)


def test_nan_weights_are_refused(tmp_path: Path, segformer_file: tuple[dict, dict]) -> None:
    # A diverged run's weights used to load; every probability was NaN, so every mask came out empty.
    from fosp_core.checkpoint import CheckpointError, load_checkpoint

    tensors, meta = segformer_file
    key = "decode_head.classifier.weight" if "decode_head.classifier.weight" in tensors else sorted(tensors)[-1]
    bad = dict(tensors)
    bad[key] = tensors[key].clone().fill_(float("nan"))
    path = _write_checkpoint(tmp_path / "nan.safetensors", bad, meta)
    with pytest.raises(CheckpointError, match=f"NaN or infinite weights .*{key}"):
        load_checkpoint(path)


def test_inpainter_loader_names_a_damaged_config(tmp_path: Path, segformer_file: tuple[dict, dict]) -> None:
    from fosp_core.checkpoint import CheckpointError, load_inpainter_weights
    from fosp_core.model import Inpainter

    tensors, meta = segformer_file
    path = _write_checkpoint(tmp_path / "inp.safetensors", tensors, {**meta, "config": "{oops"})
    with pytest.raises(CheckpointError, match="'config' is not JSON"):  # was a bare JSONDecodeError
        load_inpainter_weights(Inpainter(), path)


# ------------------------------------------------------------------------------- annotation
def test_a_folder_with_two_images_of_one_stem_gets_a_project_with_distinct_ids(tmp_path: Path) -> None:
    # photo.jpg beside photo.png (or IMG.JPG beside img.jpg) used to write a project.json with a
    # duplicate id that could never be opened: the app showed the images without any annotation.
    from fosp_core.annotation.labels import unique_ids
    from fosp_core.annotation.project import Project

    folder = tmp_path / "shots"
    folder.mkdir()
    names = ["a.png", "a.tif", "A.jpg", "a_tif.png", "b.png"]
    for i, name in enumerate(names):
        cv2.imwrite(str(folder / name), np.full((8, 12, 3), 40 * i, np.uint8))
    project = Project.open(folder, tmp_path / "project")
    try:
        by_image = {e.image: e.id for e in project.entries}
        assert by_image["b.png"] == "b" and by_image["a_tif.png"] == "a_tif"
        assert len({i.casefold() for i in project.ids}) == len(names)
        for image, image_id in by_image.items():
            assert project.image_path(image_id) == (folder / image).resolve()
            project.save_mask(image_id, np.zeros((8, 12), np.uint8))
        assert len(list((tmp_path / "project" / "masks").glob("*.png"))) == len(names)
    finally:
        project.close()
    assert unique_ids(["x.jpg", "y.jpg"]) == ["x", "y"]


def test_images_with_spaces_in_their_names_are_exported(tmp_path: Path) -> None:
    # "IMG 0001.jpg" was annotated, then left out of every export ("ids must not contain white
    # space"): the work could not reach training without renaming the file under the project.
    from fosp_core.annotation.export import export_smokeseg
    from fosp_core.annotation.project import Project
    from fosp_core.data.datasets import open_dataset

    folder = tmp_path / "shots"
    folder.mkdir()
    for i, name in enumerate(["IMG 0001.jpg", "IMG_0001.jpg", "plain.png"]):
        cv2.imwrite(str(folder / name), np.full((16, 24, 3), 60 + 40 * i, np.uint8))
    project = Project.open(folder, tmp_path / "project")
    mask = np.zeros((16, 24), np.uint8)
    mask[4:8, 4:12] = 1
    for image_id in project.ids:
        project.save_mask(image_id, mask, "edited")
    report = export_smokeseg(project, tmp_path / "out", splits=None)
    project.close()
    assert report.skipped == []
    assert sorted(report.splits["train"]) == ["IMG_0001", "IMG_0001_2", "plain"]
    dataset = open_dataset(tmp_path / "out")
    assert sorted(e.id for e in dataset.entries) == ["IMG_0001", "IMG_0001_2", "plain"]
    spaced = read_image(tmp_path / "out" / "JPEGImages" / "IMG_0001_2.jpg").rgb  # from "IMG 0001.jpg"
    assert abs(float(spaced.mean()) - 60) < 3


# ------------------------------------------------------------------------------- fosp predict
def test_a_recursive_glob_does_not_follow_symlink_loops(tmp_path: Path) -> None:
    # `fosp predict 'photos/**/*.jpg'` in a folder with two links back up (`self -> .`,
    # `sub/up -> ..`) ran for ever: glob.glob follows links to folders, a 2-way branching loop.
    import threading

    from fosp_core.cli.predict import collect_inputs

    folder = tmp_path / "photos"
    (folder / "sub" / "deeper").mkdir(parents=True)
    for name in ("a.jpg", "sub/b.jpg", "sub/deeper/c.jpg", ".hidden.jpg"):
        cv2.imwrite(str(folder / name), np.zeros((4, 4, 3), np.uint8))
    (folder / "self").symlink_to(".")
    (folder / "sub" / "up").symlink_to("..")
    found: list = []
    worker = threading.Thread(target=lambda: found.append(collect_inputs([f"{folder}/**/*.jpg"])), daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive(), "the glob did not finish"
    assert [p.relative_to(folder).as_posix() for p in found[0].images] == ["a.jpg", "sub/b.jpg", "sub/deeper/c.jpg"]


# ------------------------------------------------------------------------------- full disk
def test_a_full_disk_while_writing_a_dataset_is_a_named_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `fosp dataset convert` and `fosp project export` used to end in an OSError traceback.
    import errno

    from fosp_core.cli import main
    from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
    from fosp_core.data.types import Sample

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    samples = [Sample("a", np.zeros((8, 8, 3), np.uint8), np.zeros((8, 8), np.uint8))]
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(SmokeSegWriteError, match="disk full"):
        write_smokeseg(samples, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no half-written folder left

    src = tmp_path / "src"
    (src / "JPEGImages").mkdir(parents=True)
    (src / "SegmentationClass").mkdir()
    cv2.imwrite(str(src / "JPEGImages" / "a.jpg"), np.zeros((8, 8, 3), np.uint8))
    Image.fromarray(np.zeros((8, 8), np.uint8), mode="L").convert("P").save(src / "SegmentationClass" / "a.png")
    assert main(["dataset", "convert", str(src), str(tmp_path / "dst")]) == 1
    assert not (tmp_path / "dst").exists()


def test_a_jpeg_named_pt_is_not_called_a_pickle_that_runs_code(tmp_path: Path) -> None:
    # It was refused as "a pickle that wants to import or run code", which sends the user hunting
    # for malware instead of for the right file.
    from fosp_core.checkpoint import CheckpointError, UnsafeCheckpointError, read_checkpoint

    path = tmp_path / "weights.pt"
    path.write_bytes(cv2.imencode(".jpg", np.zeros((8, 8, 3), np.uint8))[1].tobytes())
    with pytest.raises(CheckpointError, match="not a PyTorch weights file") as info:
        read_checkpoint(path)
    assert not isinstance(info.value, UnsafeCheckpointError)
