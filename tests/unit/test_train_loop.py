"""The training loop on the bundled demo samples with a tiny fosp-s: learning, exact resume, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from fosp_core.train.config import ConfigError
from fosp_core.train.data import DataError
from fosp_core.train.loop import Trainer, TrainingError
from fosp_core.train.state import StateError, load_state
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_overfits_one_batch(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, optim={"lr": 1e-3, "warmup_iters": 0},
                      train={"iterations": 1000})
    trainer = Trainer(cfg)
    from fosp_core.train.data import MixedTrainStream, build_augment, open_sources

    stream = MixedTrainStream(open_sources(cfg, "train"), build_augment(cfg), seed=0)
    pairs = [stream[i] for i in range(2)]
    images = torch.stack([p[0] for p in pairs])
    masks = torch.stack([p[1] for p in pairs])
    assert (masks == 1).any(), "the demo crops should hold some smoke"
    trainer.task.prepare_train(trainer.model)
    losses = [trainer._step(images, masks)[0] for _ in range(12)]
    assert losses[-1] < 0.7 * losses[0], losses
    assert trainer.iteration == 12


def _weights(path: Path) -> dict[str, torch.Tensor]:
    return load_state(path)["model"]


def test_exact_resume(demo_dir: Path, tmp_path: Path) -> None:
    straight = tiny_config(demo_dir, tmp_path / "a", train={"iterations": 4, "save_every": 0})
    Trainer(straight).run()
    # one data-loader worker here, none above: the samples do not depend on it
    split = tiny_config(demo_dir, tmp_path / "b", train={"iterations": 4, "save_every": 0},
                        data={"workers": 1})
    first = Trainer(split).run(stop_at=2)
    assert first.iteration == 2 and load_state(split.run_dir() / "last.pt")["iteration"] == 2
    torch.manual_seed(12345)  # disturb every global RNG: resume must restore them
    second = Trainer(split, resume=True).run()
    assert second.iteration == 4
    a, b = _weights(straight.run_dir() / "last.pt"), _weights(split.run_dir() / "last.pt")
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), [k for k in a if not torch.equal(a[k], b[k])][:5]
    sa, sb = load_state(straight.run_dir() / "last.pt"), load_state(split.run_dir() / "last.pt")
    assert sa["optimizer"]["state"][0]["step"] == sb["optimizer"]["state"][0]["step"]
    assert sa["scheduler"]["last_epoch"] == sb["scheduler"]["last_epoch"] == 4
    # the log reads like one run: train records 1..4 once each
    iters = [json.loads(line)["iter"] for line in (split.run_dir() / "log.jsonl").read_text().splitlines()
             if json.loads(line)["type"] == "train"]
    assert iters == [1, 2, 3, 4]


def test_refuses_to_overwrite_and_checks_variant(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 1})
    Trainer(cfg).run()
    before = (cfg.run_dir() / "last.pt").read_bytes()
    with pytest.raises(TrainingError, match="already holds a training state.*--resume"):
        Trainer(cfg)
    other = tiny_config(demo_dir, tmp_path, model={"name": "segformer-b0", "overrides": {"channels": 16}})
    with pytest.raises(StateError, match="variant 'fosp-s'.*trains 'segformer-b0'"):
        Trainer(other, resume=True)
    assert (cfg.run_dir() / "last.pt").read_bytes() == before
    with pytest.raises(TrainingError, match="nothing to resume"):
        Trainer(tiny_config(demo_dir, tmp_path, name="fresh"), resume=True)


def test_missing_dataset_is_a_clear_error(demo_dir: Path, tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, data={"train": [{"path": "no-such-folder"}]})
    with pytest.raises(DataError, match=r"data\.train\.0\.path: .*no-such-folder does not exist"):
        Trainer(cfg).run()
    assert not (cfg.run_dir() / "last.pt").exists()
    with pytest.raises(ConfigError, match="data.train is empty"):
        Trainer(tiny_config(demo_dir, tmp_path, name="empty", data={"train": []})).run()


@pytest.mark.parametrize(("precision", "accum"), [("bf16", 1), ("fp16", 1), ("fp32", 2)])
def test_mixed_precision_and_accumulation_steps(demo_dir: Path, tmp_path: Path, precision: str,
                                                accum: int) -> None:
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 2, "precision": precision, "grad_accum": accum,
                                                 "batch_size": 2 // accum})
    trainer = Trainer(cfg)
    assert trainer.scaler.is_enabled() == (precision == "fp16")
    result = trainer.run()
    assert result.iteration == 2
    rec = [json.loads(line) for line in (cfg.run_dir() / "log.jsonl").read_text().splitlines()][-1]
    assert rec["type"] == "train" and 0 < rec["loss"] < 5


def test_interrupt_saves_a_resumable_state(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 6, "save_every": 0})
    trainer = Trainer(cfg)
    real_step = trainer._step
    calls = {"n": 0}

    def step_then_ctrl_c(images: torch.Tensor, masks: torch.Tensor):  # noqa: ANN202
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real_step(images, masks)

    monkeypatch.setattr(trainer, "_step", step_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        trainer.run()
    assert load_state(cfg.run_dir() / "last.pt")["iteration"] == 3
    assert Trainer(cfg, resume=True).run().iteration == 6


def test_validation_reports_the_threshold_free_score(demo_dir: Path, tmp_path: Path) -> None:
    """f_beta_max (best threshold of the mean F curve) is never below F_beta at the fixed 0.5."""
    data = {"root": str(demo_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25], "workers": 0,
            "train": [{"path": demo_dir.name}], "val": [{"path": demo_dir.name}]}
    cfg = tiny_config(demo_dir, tmp_path, data=data, train={"iterations": 2, "val_every": 2})
    trainer = Trainer(cfg)
    trainer.run()
    metrics = trainer.last_metrics
    source = next(k.split("/")[0] for k in metrics if k.endswith("/total/f_beta"))
    total = metrics[f"{source}/total/f_beta_max"]
    assert 0.0 <= total <= 1.0
    assert total >= metrics[f"{source}/total/f_beta"] - 1e-9


def test_validation_scores_false_alarms_per_scene_when_the_source_has_scenes(demo_dir: Path, tmp_path: Path) -> None:
    """A source with a scene map (SMOKE5K scene-val has one) gets crops_flagged_scenes; others get NaN."""
    import math

    from fosp_core.train import model_io
    from fosp_core.train.data import open_sources
    from fosp_core.train.evaluate import validate

    data = {"root": str(demo_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25], "workers": 0,
            "train": [{"path": demo_dir.name}], "val": [{"path": demo_dir.name}]}
    cfg = tiny_config(demo_dir, tmp_path, data=data, train={"iterations": 1, "val_size": 128})
    model = model_io.build(cfg, log=lambda *a: None)
    sources = open_sources(cfg, "val")
    plain, _ = validate(model, sources, cfg, torch.device("cpu"))
    assert math.isnan(plain["crops_flagged_scenes"])
    ids = [sources[0][i].id for i in range(sources[0].size)]
    sources[0].scene_of = {sid: "one scene" for sid in ids}
    scored, table = validate(model, sources, cfg, torch.device("cpu"))
    assert 0.0 <= scored["crops_flagged_scenes"] <= 1.0
    assert scored["crops_flagged_scenes"] == pytest.approx(scored["crops_flagged"])  # a single scene
    assert "per scene" in table


def test_precision_auto_on_cpu_follows_the_hardware(monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.train import loop, runtime

    assert loop.pick_precision is runtime.pick_precision  # still importable from the loop
    cpu = torch.device("cpu")
    assert loop.pick_precision("fp32", cpu) == "fp32" and loop.pick_precision("bf16", cpu) == "bf16"
    monkeypatch.setattr(runtime, "cpu_has_fast_bf16", lambda: True)
    assert loop.pick_precision("auto", cpu) == "bf16"
    monkeypatch.setattr(runtime, "cpu_has_fast_bf16", lambda: False)
    assert loop.pick_precision("auto", cpu) == "fp32"


def test_bf16_training_on_cpu_learns_and_validates_in_fp32(demo_dir: Path, tmp_path: Path) -> None:
    """bf16 autocast steps lower the loss; validation on a CPU is fp32 (the app's numbers)."""
    cfg = tiny_config(demo_dir, tmp_path, optim={"lr": 1e-3, "warmup_iters": 0},
                      train={"iterations": 1, "precision": "bf16"})
    trainer = Trainer(cfg)
    assert trainer.precision == "bf16"
    from fosp_core.train.data import MixedTrainStream, build_augment, open_sources

    stream = MixedTrainStream(open_sources(cfg, "train"), build_augment(cfg), seed=0)
    pairs = [stream[i] for i in range(2)]
    images, masks = torch.stack([p[0] for p in pairs]), torch.stack([p[1] for p in pairs])
    trainer.task.prepare_train(trainer.model)
    losses = [trainer._step(images, masks)[0] for _ in range(10)]
    assert losses[-1] < 0.8 * losses[0], losses
    with trainer._eval_autocast():
        assert not torch.is_autocast_enabled("cpu")
