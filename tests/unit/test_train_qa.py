"""QA of training as a user drives it: values that used to end in a traceback or be taken silently,
a resume that changes the recipe, the progress line's pace, datasets a user can get wrong."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from fosp_core.cli import main
from fosp_core.train.config import ConfigError, bundled_configs, load_config
from tests.unit.test_train_support import tiny_config_toml


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture
def tiny_toml(demo_dir: Path, tmp_path: Path) -> Path:
    return tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")


# ------------------------------------------------------------------------------------- config values


@pytest.mark.parametrize("override", [
    "train.log_every=0", "train.val_every=-5", "train.save_every=-1", "train.threads=-1", "train.val_size=-1",
    "train.val_max_images=-1", "data.scale=-5", "data.cat_max_ratio=0", "data.smoke_crop_prob=2",
    "optim.power=-1", "optim.grad_clip=-1", "optim.weight_decay=-0.1", "optim.eps=0", "optim.head_lr_mult=0",
    "optim.min_lr=-1", "optim.warmup_ratio=2", "optim.betas=[1.5, 0.999]", 'train.device="gpu"',
    'train.device="cuda:x"', "data.train.0.max_items=-1",
])
def test_out_of_range_values_are_refused_naming_the_key_and_the_override(tiny_toml: Path, override: str) -> None:
    key = override.split("=", 1)[0]
    with pytest.raises(ConfigError) as err:
        load_config(tiny_toml, [override])
    message = str(err.value)
    assert repr(key) in message, message
    assert f"command-line override {override!r}" in message, message


def test_a_value_error_from_the_file_names_the_file(tiny_toml: Path) -> None:
    bad = tiny_toml.with_name("bad.toml")
    bad.write_text(tiny_toml.read_text().replace("iterations = 4", "iterations = 0"))
    with pytest.raises(ConfigError, match=r"bad\.toml: 'train\.iterations' must be at least 1"):
        load_config(bad)
    with pytest.raises(ConfigError, match=r"command-line override 'train\.iterations=0'"):
        load_config(tiny_toml, ["train.iterations=0"])


def test_bundled_recipes_pass_the_value_checks() -> None:
    for name in bundled_configs():
        load_config(name)


@pytest.mark.parametrize("device", ["cuda", "cuda:1", "mps"])
def test_a_device_this_machine_lacks_is_a_clear_error(tiny_toml: Path, device: str, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert main(["train", str(tiny_toml), f'train.device="{device}"']) == 2
    err = capsys.readouterr().err
    assert "train.device" in err and device in err and "Traceback" not in err
    assert not (tiny_toml.parent / "runs" / "tiny" / "last.pt").exists()


# ------------------------------------------------------------------------------------------- resume


def _train_lrs(run: Path) -> dict[int, dict[str, float]]:
    lines = (run / "log.jsonl").read_text().splitlines()
    return {r["iter"]: r["lr"] for r in map(json.loads, lines) if r["type"] == "train"}


def test_resume_follows_a_changed_learning_rate_as_config_toml_records_it(
        tiny_toml: Path, capsys: pytest.CaptureFixture) -> None:
    from fosp_core.train.optim import lr_factor

    assert main(["train", str(tiny_toml), "train.iterations=2"]) == 0
    run = tiny_toml.parent / "runs" / "tiny"
    capsys.readouterr()
    assert main(["train", str(tiny_toml), "--resume", "train.iterations=4", "optim.lr=0.01",
                 "optim.head_lr_mult=5", "optim.weight_decay=0.02"]) == 0
    err = capsys.readouterr().err
    assert "optim.lr 0.001 -> 0.01" in err and "optim.head_lr_mult 10.0 -> 5.0" in err, err
    assert "lr = 0.01" in (run / "config.toml").read_text()
    lrs = _train_lrs(run)
    factor = lr_factor(3, 4, 2, 1e-6, 1.0)  # the lr the log shows after iteration 3 (for the next step)
    assert lrs[3]["backbone"] == pytest.approx(0.01 * factor)
    assert lrs[3]["head"] == pytest.approx(0.05 * factor)
    from fosp_core.train.state import load_state

    groups = load_state(run / "last.pt")["optimizer"]["param_groups"]
    assert {g["name"]: g["weight_decay"] for g in groups}["backbone"] == pytest.approx(0.02)


def test_an_unchanged_resume_says_nothing_about_the_optimiser(tiny_toml: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["train", str(tiny_toml), "train.iterations=2"]) == 0
    capsys.readouterr()
    assert main(["train", str(tiny_toml), "--resume", "train.iterations=3"]) == 0
    assert "optim." not in capsys.readouterr().err


# ------------------------------------------------------------------------------------ progress / ETA


def test_the_pace_behind_the_eta_leaves_validations_out(tiny_toml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A validation (the fine-tune's start-of-run one, or a periodic one) used to count as the next
    iteration's time, so the app's first ETA was several times too long and each validation spiked it."""
    import time
    import types

    import fosp_core.train.loop as loop_module
    from fosp_core.train.tasks import SegmentationTask

    pause = 30.0  # each validation takes this long on the loop's clock (no real sleep)
    skipped = [0.0]
    clock = types.SimpleNamespace(perf_counter=lambda: time.perf_counter() + skipped[0])
    real = SegmentationTask.validate

    def slow_validate(self, *args, **kwargs):  # noqa: ANN001, ANN202 - a test double
        skipped[0] += pause
        return real(self, *args, **kwargs)

    monkeypatch.setattr(loop_module, "time", clock)
    monkeypatch.setattr(SegmentationTask, "validate", slow_validate)
    assert main(["train", str(tiny_toml), "train.iterations=4", "train.val_every=2", "train.val_at_start=true",
                 'data.val=[{path="demo", max_items=1}]']) == 0
    lines = (tiny_toml.parent / "runs" / "tiny" / "log.jsonl").read_text().splitlines()
    records = [r for r in map(json.loads, lines) if r["type"] == "train"]
    assert [r["iter"] for r in records] == [1, 2, 3, 4]
    steps = [r["sec_per_iter"] for r in records]
    assert max(steps) < pause / 2, steps
    validations = [r["sec"] for r in map(json.loads, lines) if r["type"] == "val"]
    assert len(validations) == 3 and min(validations) >= pause, validations  # the loop's clock saw each pause


# ----------------------------------------------------------------------------------------- datasets


def _halve_masks(dataset: Path, count: int) -> None:
    import cv2

    for png in sorted((dataset / "SegmentationClass").glob("*.png"))[:count]:
        from PIL import Image

        mask = Image.open(png)
        palette = mask.getpalette()
        small = Image.fromarray(cv2.resize(np.asarray(mask), (mask.width // 2, mask.height // 2),
                                           interpolation=cv2.INTER_NEAREST), mode="P")
        small.putpalette(palette)
        small.save(png)


@pytest.mark.parametrize("count", [4, 1])
def test_masks_of_another_size_are_named_not_just_counted(demo_dir: Path, tmp_path: Path, count: int,
                                                          capsys: pytest.CaptureFixture) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_dir, data / "mine")
    _halve_masks(data / "mine", count)
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    code = main(["train", str(cfg), f'data.root="{data}"', 'data.train=[{path="mine"}]', "train.iterations=1"])
    err = capsys.readouterr().err
    assert "mask is 256x256 but the image is 512x512" in err, err
    if count == 4:  # nothing left to train on: refused, with the reason
        assert code == 2 and "4 images left out" in err
    else:  # trained on the rest, and said which was left out
        assert code == 0 and "1 image left out" in err


def test_a_best_metric_the_validation_does_not_report_is_said(tiny_toml: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["train", str(tiny_toml), "train.iterations=2", 'train.best_metric="fbta"',
                 'data.val=[{path="demo", max_items=1}]', "train.val_every=1"]) == 0
    err = capsys.readouterr().err
    assert err.count("train.best_metric 'fbta'") == 1, err  # once, not at every validation
    assert "no best checkpoint" in err and "fbeta" in err
