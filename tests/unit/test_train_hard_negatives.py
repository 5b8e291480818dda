"""Hard-example mining: where a model's false alarms (or missed smoke) are, the file, and crops centred on them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.cli import main as fosp_main
from fosp_core.data.augment import TrainAugment, focus_crop
from fosp_core.metrics.false_alarm import far_region
from fosp_core.train.config import ConfigError
from fosp_core.train.data import DataError, MixedTrainStream, build_augment, open_sources
from fosp_core.train.hard_negatives import (
    MISSES,
    HardNegativeError,
    MinedImage,
    MiningResult,
    mine_image,
    read_file,
    write_file,
)
from tests.unit.test_train_support import make_export, save_tiny_checkpoint, tiny_config, tiny_config_toml

DEMO_IDS = ["20200905_ValleyFire_sm-e-mobo-c__1599342149_+00780",
            "20200829_inside-Mexico_cp-s-mobo-c__1598725736_+01920"]


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _scene() -> tuple[np.ndarray, np.ndarray]:
    """A 200x300 label with smoke in the top-left corner, and a probability that is right there
    and wrong in two places: next to the smoke (not far) and in the bottom-right (far)."""
    label = np.zeros((200, 300), np.uint8)
    label[:40, :40] = 1
    label[190:, :10] = 255
    prob = np.zeros((200, 300), np.float32)
    prob[:40, :40] = 0.9
    prob[40:50, :40] = 0.8  # touches the smoke: not a far false alarm
    prob[150:170, 250:280] = 0.7  # far from smoke: 600 flagged far pixels
    prob[100:110, 100:110] = 0.49  # below the threshold
    return prob, label


def test_mine_image_samples_only_far_flagged_pixels() -> None:
    prob, label = _scene()
    mined = mine_image(prob, label, seed=3, max_points=5)
    far = far_region(label)
    assert mined.hits == 600
    assert mined.pool == int(far.sum())
    assert len(mined.points) == 5
    for x, y in mined.points:
        px, py = int(x * 300), int(y * 200)
        assert 250 <= px < 280 and 150 <= py < 170, (x, y)
    assert mine_image(prob, label, seed=3, max_points=5).points == mined.points  # reproducible
    assert mine_image(prob, label, seed=4, max_points=5).points != mined.points


def test_mine_image_without_false_alarms_has_no_points() -> None:
    prob, label = _scene()
    prob[150:170, 250:280] = 0.0
    mined = mine_image(prob, label, seed=0)
    assert mined.hits == 0 and mined.points == []
    with pytest.raises(ValueError, match="differ in size"):
        mine_image(prob[:10], label, seed=0)
    with pytest.raises(ValueError, match="kind"):
        mine_image(prob, label, seed=0, kind="everything")


def test_mine_image_misses_samples_only_unflagged_smoke() -> None:
    prob, label = _scene()
    prob[:40, 20:40] = 0.3  # the right half of the labelled smoke is missed: 800 pixels
    mined = mine_image(prob, label, seed=1, max_points=8, kind=MISSES)
    assert mined.hits == 800 and mined.pool == 1600  # ignore (255) pixels are neither smoke nor missed
    assert len(mined.points) == 8
    for x, y in mined.points:
        px, py = int(x * 300), int(y * 200)
        assert 20 <= px < 40 and 0 <= py < 40, (x, y)
    prob[:40, :40] = 0.9
    assert mine_image(prob, label, seed=1, kind=MISSES).points == []  # every smoke pixel found


def test_file_round_trip_and_clear_errors(tmp_path: Path) -> None:
    result = MiningResult(images={"a": MinedImage(10, 1000, [(0.25, 0.5), (0.75, 0.125)])},
                          scanned=4, pool_pixels=4000, hit_pixels=10, meta={"weights": "w.safetensors"})
    path = write_file(tmp_path / "sub" / "hn.json", result)
    assert read_file(path) == {"a": [(0.25, 0.5), (0.75, 0.125)]}
    data = json.loads(path.read_text())
    assert data["scanned"] == 4 and data["far_fp"] == pytest.approx(0.0025) and data["weights"] == "w.safetensors"
    assert data["kind"] == "false-alarms" and data["images"]["a"]["flagged"] == 10

    # A file of misses is read only as misses, and says what to do with it otherwise.
    misses = MiningResult(images={"b": MinedImage(7, 70, [(0.5, 0.5)])}, scanned=1, pool_pixels=70,
                          hit_pixels=7, kind=MISSES)
    mpath = write_file(tmp_path / "misses.json", misses)
    mdata = json.loads(mpath.read_text())
    assert mdata["kind"] == "misses" and mdata["missed_share"] == pytest.approx(0.1)
    assert mdata["images"]["b"] == {"missed": 7, "smoke": 70, "points": [[0.5, 0.5]]}
    assert read_file(mpath, MISSES) == {"b": [(0.5, 0.5)]}
    with pytest.raises(HardNegativeError, match="use it as hard_positives"):
        read_file(mpath)
    with pytest.raises(HardNegativeError, match="use it as hard_negatives"):
        read_file(path, MISSES)
    with pytest.raises(ValueError, match="cannot merge"):
        result.merge(misses)
    # The first files had no "kind": they hold false alarms.
    del data["kind"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    assert read_file(tmp_path / "old.json") == {"a": [(0.25, 0.5), (0.75, 0.125)]}

    with pytest.raises(HardNegativeError, match="train-mine"):
        read_file(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(HardNegativeError, match="not a readable JSON"):
        read_file(tmp_path / "bad.json")
    (tmp_path / "other.json").write_text(json.dumps({"format": "something-else"}))
    with pytest.raises(HardNegativeError, match="not a hard-negative file"):
        read_file(tmp_path / "other.json")
    data["images"]["a"]["points"] = [[1.5, 0.2]]
    (tmp_path / "point.json").write_text(json.dumps(data))
    with pytest.raises(HardNegativeError, match="two fractions"):
        read_file(tmp_path / "point.json")


def test_focus_crop_keeps_the_point_inside_the_crop() -> None:
    image = np.zeros((300, 400, 3), np.uint8)
    mask = np.zeros((300, 400), np.uint8)
    mask[210, 330] = 1  # a marker at the focus point (x 0.825, y 0.7)
    rng = np.random.default_rng(0)
    for _ in range(50):
        _, crop = focus_crop(image, mask, rng, (330.5 / 400, 210.5 / 300), (128, 128))
        assert crop.shape == (128, 128)
        assert (crop == 1).sum() == 1, "the focus point must be inside every crop"
    _, crop = focus_crop(image[:100, :100], mask[:100, :100], rng, (0.5, 0.5), (128, 128))
    assert crop.shape == (100, 100)  # clipped to a small image; padding comes later

    augment = TrainAugment(crop_size=96, scale=None, ratio_range=(1.0, 1.0), photometric=False, flip_prob=0.0)
    img, m = augment(image, mask, np.random.default_rng(1), focus=(330.5 / 400, 210.5 / 300))
    assert img.shape == (96, 96, 3) and (m == 1).sum() == 1


def _hard_negative_file(tmp_path: Path, ids: list[str], kind: str = "false-alarms") -> Path:
    result = MiningResult(images={i: MinedImage(5, 100, [(0.9, 0.9)]) for i in ids}, scanned=len(ids), kind=kind)
    return write_file(tmp_path / f"{kind}.json", result)


def test_a_hard_negative_source_draws_only_mined_images_with_crops_at_their_points(
        demo_dir: Path, tmp_path: Path) -> None:
    file = _hard_negative_file(tmp_path, [DEMO_IDS[0], "not-in-the-dataset"])
    cfg = tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name, "hard_negatives": str(file)}]})
    (source,) = open_sources(cfg, "train")
    assert source.size == 1 and "hard negatives" in source.name
    rng = np.random.default_rng(0)
    sample = source.draw(rng)
    assert sample.id == DEMO_IDS[0] and sample.meta["focus"] == (0.9, 0.9)

    # The stream hands the focus to the augmentation: every crop of the bottom-right corner of
    # the image, seen through a marker painted into the mask there.
    seen = []

    def augment(image: np.ndarray, mask: np.ndarray, rng: np.random.Generator, focus=None):  # noqa: ANN001, ANN202
        seen.append(focus)
        return build_augment(cfg)(image, mask, rng, focus=focus)

    stream = MixedTrainStream([source], augment, seed=0)
    image, mask = stream[0]
    assert seen == [(0.9, 0.9)] and tuple(image.shape) == (3, 64, 64) and tuple(mask.shape) == (64, 64)


def test_a_hard_positive_source_reads_a_file_of_misses(demo_dir: Path, tmp_path: Path) -> None:
    misses = _hard_negative_file(tmp_path, [DEMO_IDS[1]], kind=MISSES)
    cfg = tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name, "hard_positives": str(misses)}]})
    (source,) = open_sources(cfg, "train")
    assert source.size == 1 and "hard positives" in source.name
    sample = source.draw(np.random.default_rng(0))
    assert sample.id == DEMO_IDS[1] and sample.meta["focus"] == (0.9, 0.9)
    # The wrong kind of file under either option stops the run, naming the option.
    cfg = tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name, "hard_negatives": str(misses)}]})
    with pytest.raises(DataError, match="hard_negatives.*use it as hard_positives"):
        open_sources(cfg, "train")
    with pytest.raises(ConfigError, match="own source"):
        tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name, "hard_positives": str(misses),
                                                         "hard_negatives": str(misses)}]})
    with pytest.raises(ConfigError, match="hard_positives.*training option"):
        tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name, "hard_positives": str(misses)}]})


def test_hard_negatives_are_checked(demo_dir: Path, tmp_path: Path) -> None:
    file = _hard_negative_file(tmp_path, ["not-in-the-dataset"])
    cfg = tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name, "hard_negatives": str(file)}]})
    with pytest.raises(DataError, match="none of the 1 images"):
        open_sources(cfg, "train")
    cfg = tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name,
                                                           "hard_negatives": str(tmp_path / "nope.json")}]})
    with pytest.raises(DataError, match="no such hard-negative file"):
        open_sources(cfg, "train")
    with pytest.raises(ConfigError, match="training option"):
        tiny_config(demo_dir, tmp_path, data={"val": [{"path": demo_dir.name, "hard_negatives": str(file)}]})
    with pytest.raises(ConfigError, match="fixed images"):
        tiny_config(demo_dir, tmp_path, data={"train": [{"path": demo_dir.name, "kind": "synthetic",
                                                         "hard_negatives": str(file)}]})


def test_cli_mines_the_training_sources_only(demo_dir: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = make_export(demo_dir, tmp_path / "data" / "demo")  # 3 train, 1 val
    weights = save_tiny_checkpoint(tmp_path / "tiny.safetensors")
    recipe = tiny_config_toml(data_dir, tmp_path / "runs", tmp_path / "recipe.toml",
                              data={"train": [{"path": "demo", "split": "train"},
                                              {"path": "demo", "kind": "synthetic"}],
                                    "val": [{"path": "demo", "split": "val"}]})
    out = tmp_path / "hn.json"
    code = fosp_main(["train-mine", str(weights), str(out), "--recipe", str(recipe), "--threads", "1", "--quiet"])
    assert code == 0, capsys.readouterr().err
    data = json.loads(out.read_text())
    assert data["format"] == "fosp-hard-negatives" and data["weights"] == str(weights)
    assert [s["key"] for s in data["sources"]] == ["data.train.0"]  # the generated source is not mined
    train_ids = (data_dir / "ImageSets" / "Segmentation" / "train.txt").read_text().split()
    assert data["scanned"] == len(train_ids) == 3
    assert set(data["images"]) <= set(train_ids)  # never the validation image
    for entry in data["images"].values():
        assert 1 <= len(entry["points"]) <= 16 and entry["flagged"] > 0

    # --misses: where the (untrained) model does not flag the labelled smoke of the training images.
    misses = tmp_path / "misses.json"
    code = fosp_main(["train-mine", str(weights), str(misses), "--recipe", str(recipe), "--threads", "1",
                      "--quiet", "--misses", "--max-points", "4"])
    assert code == 0, capsys.readouterr().err
    mdata = json.loads(misses.read_text())
    assert mdata["kind"] == "misses" and mdata["scanned"] == 3
    assert mdata["images"] and 0.0 < mdata["missed_share"] < 1.0  # an untrained model misses some smoke
    assert set(mdata["images"]) <= set(train_ids)
    for entry in mdata["images"].values():
        assert 1 <= len(entry["points"]) <= 4 and 0 < entry["missed"] <= entry["smoke"]
    assert read_file(misses, MISSES).keys() == mdata["images"].keys()

    assert fosp_main(["train-mine", str(weights), str(out), "--recipe", str(recipe), "--source", "1"]) == 2
    assert "no training source of fixed images" in capsys.readouterr().err
    assert fosp_main(["train-mine", str(weights), str(out), "--recipe", str(recipe), "--source", "7"]) == 2
    assert "data.train.0 .. data.train.1" in capsys.readouterr().err
    (tmp_path / "junk.safetensors").write_bytes(b"junk")
    assert fosp_main(["train-mine", str(tmp_path / "junk.safetensors"), str(out), "--recipe", str(recipe)]) == 2
    assert "cannot load" in capsys.readouterr().err


@pytest.mark.parametrize("flags, message", [
    (["--threads", "0"], "--threads must be at least 1"),
    (["--threads", "-2"], "--threads must be at least 1"),
    (["--val-size", "-1"], "--val-size must be 0 (native size) or more"),
    (["--max-points", "0"], "--max-points must be at least 1"),
])
def test_cli_refuses_out_of_range_numbers_before_any_work(tmp_path: Path, flags: list[str], message: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # No checkpoint or recipe is read: the numbers are checked first, as `fosp predict` does.
    out = tmp_path / "hn.json"
    code = fosp_main(["train-mine", str(tmp_path / "missing.safetensors"), str(out), *flags])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
