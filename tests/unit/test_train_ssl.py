"""Masked-image pre-training of the MiT (`fosp train-ssl`): data without validation images, a few
iterations that lower the masked reconstruction error, a backbone file `fosp train` starts from,
exact resume, Ctrl+C, clear errors."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
import torch
from safetensors import safe_open

from fosp_core.data.splits import read_split_file
from fosp_core.model.mim import MaskedImageModel
from fosp_core.model.mit import MIT_CONFIGS, MixVisionTransformer
from fosp_core.train.ssl import BACKBONE_FILE, SSLTrainer, SSLTrainingError, resume_config
from fosp_core.train.ssl_config import SSLConfig, SSLConfigError
from fosp_core.train.ssl_data import SSLDataError, SSLStream, block_mask, open_image_sources
from fosp_core.train.state import StateError
from fosp_core.video.testclip import write_clip

HELD_OUT = (255, 0, 255)  # colour of every image that must never be trained on


def _picture(seed: int, size: tuple[int, int] = (96, 72)) -> np.ndarray:
    """RGB uint8 image with structure a reconstruction can learn: a gradient sky and a disc."""
    w, h = size
    rng = np.random.default_rng(seed)
    img = np.empty((h, w, 3), np.uint8)
    img[...] = np.linspace(60, 200, h, dtype=np.float32)[:, None, None].astype(np.uint8)
    img[..., 2] = 220
    cv2.circle(img, (int(rng.integers(20, w - 20)), int(rng.integers(20, h - 20))), 12, (150, 150, 150), -1)
    return img


def _write(path: Path, rgb: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))


@pytest.fixture()
def data_root(tmp_path: Path) -> Path:
    """SMOKE5K (2 real train, 1 synthetic, 1 scene-val, 1 scene-buffer), SmokeSeg (2 train, 1 val), a
    12-frame video. Held-out images are painted HELD_OUT."""
    root = tmp_path / "data"
    s5k = root / "smoke5k-train"
    names = {"cam_a_001": False, "cam_b_002": False, "123_456": False,
             read_split_file("val")[0]: True, read_split_file("buffer")[0]: True}
    for i, (name, held_out) in enumerate(names.items()):
        img = np.full((72, 96, 3), HELD_OUT, np.uint8) if held_out else _picture(i)
        _write(s5k / "img" / f"{name}.jpg", img)
        (s5k / "gt").mkdir(exist_ok=True)
        cv2.imwrite(str(s5k / "gt" / f"{name}.png"), np.zeros((72, 96), np.uint8))
    seg = root / "smokeseg"
    for i, (name, held_out) in enumerate({"t1": False, "t2": False, "v1": True}.items()):
        img = np.full((72, 96, 3), HELD_OUT, np.uint8) if held_out else _picture(10 + i)
        _write(seg / "JPEGImages" / f"{name}.jpg", img)
    (seg / "ImageSets" / "Segmentation").mkdir(parents=True)
    (seg / "ImageSets" / "Segmentation" / "train.txt").write_text("t1\nt2\n")
    (seg / "ImageSets" / "Segmentation" / "val.txt").write_text("v1\n")
    (root / "videos").mkdir()
    write_clip(root / "videos" / "clip.mp4", frames=12, size=(96, 72))
    return root


def _cfg(root: Path, runs: Path, **over: Any) -> SSLConfig:
    base: dict[str, Any] = dict(
        runs_dir=str(runs), name="t", data_root=str(root), smokeseg="smokeseg", crop=64, scale=(80, 112),
        mask_block=16, batch_size=2, iterations=4, lr=2e-3, warmup_iters=1, threads=1, workers=0,
        log_every=1, save_every=2, probe_size=2, progress=False, drop_path_rate=0.0)
    return SSLConfig.from_dict({**base, **over})


def _is_held_out(img: np.ndarray) -> bool:
    return bool(np.abs(img.astype(int) - HELD_OUT).max() < 12)


def test_block_mask_hides_the_requested_share_in_whole_blocks() -> None:
    m = block_mask(192, 192, 32, 0.6, np.random.default_rng(0))
    assert m.shape == (192, 192) and m.dtype == np.uint8
    assert m.mean() == pytest.approx(22 / 36)  # round(0.6 * 36) of the 6 x 6 cells
    cells = m.reshape(6, 32, 6, 32)
    assert (cells.min(axis=(1, 3)) == cells.max(axis=(1, 3))).all()  # every block all hidden or all shown


def test_sources_leave_out_validation_images(data_root: Path, tmp_path: Path) -> None:
    sources = open_image_sources(_cfg(data_root, tmp_path, frame_step=6, synthetic_weight=0.5))
    assert {s.name: s.size for s in sources} == {
        "smoke5k-real": 2, "smoke5k-synthetic": 1, "smokeseg-train": 2, "video-frames": 2}
    assert {s.name: s.weight for s in sources}["smoke5k-synthetic"] == 0.5
    for src in sources:
        for i in range(src.size):
            assert not _is_held_out(src.load(i)), (src.name, i)
    stream = SSLStream(sources, _cfg(data_root, tmp_path))
    x, m = stream[5]
    assert x.shape == (3, 64, 64) and x.dtype == torch.uint8 and m.shape == (1, 64, 64)
    again = stream[5]
    assert torch.equal(x, again[0]) and torch.equal(m, again[1])  # a function of (seed, index)


def test_missing_folders_and_bad_settings_are_named(data_root: Path, tmp_path: Path) -> None:
    with pytest.raises(SSLDataError, match=r"videos = 'films'.*does not exist.*empty videos"):
        open_image_sources(_cfg(data_root, tmp_path, videos="films"))
    assert [s.name for s in open_image_sources(_cfg(data_root, tmp_path, videos="", smoke5k=""))] == ["smokeseg-train"]
    with pytest.raises(SSLDataError, match="smokeseg.*no split 'train'"):
        open_image_sources(_cfg(data_root, tmp_path, smokeseg="smoke5k-train/img"))
    with pytest.raises(SSLConfigError, match="crop = 100"):
        _cfg(data_root, tmp_path, crop=100)
    with pytest.raises(SSLConfigError, match="mask_ratio"):
        _cfg(data_root, tmp_path, mask_ratio=1.0)
    with pytest.raises(SSLConfigError, match="unknown key 'crops'"):
        _cfg(data_root, tmp_path, crops=64)
    with pytest.raises(SSLConfigError, match="'iterations' must be int, got str"):
        _cfg(data_root, tmp_path, iterations="many")
    with pytest.raises(SSLConfigError, match="'scale' must be"):
        _cfg(data_root, tmp_path, scale=[512])
    with pytest.raises(SSLConfigError, match="backbone"):
        _cfg(data_root, tmp_path, backbone="resnet50")
    with pytest.raises(ValueError, match="multiples of 32"):
        MaskedImageModel("mit_b0")(torch.zeros(1, 3, 70, 64), torch.zeros(1, 1, 70, 64))


def test_pretraining_lowers_the_masked_error_and_fosp_train_starts_from_it(
        data_root: Path, tmp_path: Path, demo_dir: Path) -> None:
    cfg = _cfg(data_root, tmp_path, iterations=12, batch_size=4, save_every=12, probe_size=4)
    out = io.StringIO()
    trainer = SSLTrainer(cfg, stream=out)
    result = trainer.run()
    records = trainer.log.records("probe")
    assert [r["iter"] for r in records] == [0, 12]
    assert records[-1]["probe_l1"] < 0.8 * records[0]["probe_l1"], records
    assert (result.run_dir / "preview.png").is_file() and (result.run_dir / "config.json").is_file()

    # the file holds exactly the MixVisionTransformer's keys, with metadata saying what it is
    native = MixVisionTransformer(MIT_CONFIGS["mit_b0"]).state_dict()
    with safe_open(str(result.backbone), framework="pt") as fh:
        assert sorted(fh.keys()) == sorted(native)
        meta = fh.metadata()
    assert meta["backbone"] == "mit_b0" and meta["iteration"] == "12"

    # `fosp train ... model.pretrained_backbone=<file>` starts fosp-s's encoder from it
    from fosp_core.train import model_io
    from tests.unit.test_train_support import tiny_config

    torch.manual_seed(0)
    fresh = model_io.build(tiny_config(demo_dir, tmp_path / "runs"), log=lambda _: None)
    seg_cfg = tiny_config(demo_dir, tmp_path / "runs", model={"pretrained_backbone": str(result.backbone)})
    torch.manual_seed(0)
    started = model_io.build(seg_cfg, log=lambda _: None)
    trained = trainer.model.backbone.state_dict()
    for key, value in started.backbone.state_dict().items():
        assert torch.equal(value, trained[key]), key
    key = "stages.0.patch_embed.proj.weight"
    assert not torch.equal(fresh.backbone.state_dict()[key], started.backbone.state_dict()[key])
    for key, value in fresh.focus.state_dict().items():  # the rest of the model is left alone
        assert torch.equal(value, started.focus.state_dict()[key]), key


def test_resume_continues_exactly_and_ctrl_c_saves(data_root: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    straight = SSLTrainer(_cfg(data_root, tmp_path, name="straight"), stream=io.StringIO())
    straight.run()

    cfg = _cfg(data_root, tmp_path, name="split")
    first = SSLTrainer(cfg, stream=io.StringIO())
    real_step = SSLTrainer._step

    def step_then_interrupt(self: SSLTrainer, images: torch.Tensor, masks: torch.Tensor) -> float:
        if self.iteration == 3:
            raise KeyboardInterrupt
        return real_step(self, images, masks)

    monkeypatch.setattr(SSLTrainer, "_step", step_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        first.run()
    monkeypatch.undo()
    assert (cfg.run_dir() / BACKBONE_FILE).is_file()
    with pytest.raises(SSLTrainingError, match="already holds a training state"):
        SSLTrainer(cfg, stream=io.StringIO())

    # resume with the saved settings (only the name and runs folder given again)
    resumed_cfg, state = resume_config(True, {"name": "split", "runs_dir": str(tmp_path)})
    assert resumed_cfg == SSLConfig.from_dict({**cfg.to_dict(), "runs_dir": str(tmp_path)})
    resumed = SSLTrainer(resumed_cfg, resume=state, stream=io.StringIO())
    assert resumed.iteration == 3
    resumed.run()
    for key, value in straight.model.state_dict().items():
        assert torch.equal(value, resumed.model.state_dict()[key]), key
    assert [r["iter"] for r in resumed.log.records("train")] == [1, 2, 3, 4]
    other, state = resume_config(state.parent, {"backbone": "mit_b1"})
    with pytest.raises(StateError, match="pre-trains 'mit_b0'.*'mit_b1'"):
        SSLTrainer(other, resume=state, stream=io.StringIO())
    with pytest.raises(SSLTrainingError, match="nothing to resume"):
        resume_config(True, {"name": "never-ran", "runs_dir": str(tmp_path)})


def test_cli_runs_and_reports_errors(data_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from fosp_core.cli import main

    common = ["train-ssl", "--runs-dir", str(tmp_path), "--data-root", str(data_root), "--smokeseg", "smokeseg",
              "--crop", "64", "--mask-block", "16", "--batch", "2", "--threads", "1", "--workers", "0",
              "--probe-size", "0", "--quiet"]
    assert main([*common, "--iterations", "1", "--name", "cli"]) == 0
    assert f"model.pretrained_backbone={tmp_path / 'cli' / BACKBONE_FILE}" in capsys.readouterr().out
    assert main(["train-ssl", "--runs-dir", str(tmp_path), "--name", "cli", "--resume", "--iterations", "2"]) == 0
    assert "resumed" in capsys.readouterr().err
    assert main([*common, "--name", "other", "--smoke5k", "nope"]) == 2
    assert "smoke5k = 'nope'" in capsys.readouterr().err
    assert main([*common, "--name", "other", "--crop", "90"]) == 2
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:  # a device this machine lacks: named, no traceback
        patch.setattr(torch.cuda, "is_available", lambda: False)
        assert main([*common, "--name", "other", "--iterations", "1", "--device", "cuda"]) == 2
    assert "error: --device = 'cuda': this machine has no CUDA GPU" in capsys.readouterr().err


@pytest.mark.shared
def test_real_data_sources_exclude_held_out_scenes(shared_data: Path, tmp_path: Path) -> None:
    sources = {s.name: s for s in open_image_sources(SSLConfig(data_root=str(shared_data), runs_dir=str(tmp_path)))}
    assert sources["smoke5k-real"].size == len(read_split_file("train"))  # scene-val and buffer left out
    assert sources["smoke5k-synthetic"].size == 4000
    assert sources["smokeseg-train"].size == 20
    assert sources["video-frames"].size == 26 + 6  # 156 and 36 frames, every 6th
