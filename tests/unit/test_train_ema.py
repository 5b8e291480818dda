"""The weight average (`train.ema_decay`): its arithmetic, exact resume, and that validation and the
best checkpoint use the averaged weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from torch import nn

from fosp_core.train.config import ConfigError
from fosp_core.train.ema import WeightEma
from fosp_core.train.loop import Trainer
from fosp_core.train.state import load_state
from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_average_follows_the_decay_and_copies_integer_buffers() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(0.0)
    ema = WeightEma(model, decay=0.9, warmup=False)
    with torch.no_grad():
        model[0].weight.fill_(1.0)
    model[1].num_batches_tracked += 7
    ema.update(model)
    assert torch.allclose(ema.module[0].weight, torch.full((2, 2), 0.1))
    assert int(ema.module[1].num_batches_tracked) == 7
    ema.update(model)
    assert torch.allclose(ema.module[0].weight, torch.full((2, 2), 0.19))
    assert not any(p.requires_grad for p in ema.module.parameters())
    assert not ema.module.training
    # the live model is untouched
    assert torch.equal(model[0].weight, torch.ones(2, 2))


def test_decay_warms_up_like_timm() -> None:
    ema = WeightEma(nn.Linear(1, 1), decay=0.999)
    assert ema.current_decay() == pytest.approx(0.1)  # (1 + 0) / (10 + 0)
    ema.updates = 90
    assert ema.current_decay() == pytest.approx(91 / 100)
    ema.updates = 10**6
    assert ema.current_decay() == 0.999
    with pytest.raises(ValueError, match="decay"):
        WeightEma(nn.Linear(1, 1), decay=1.0)


def test_config_rejects_a_decay_out_of_range(demo_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="train.ema_decay"):
        tiny_config(demo_dir, tmp_path, train={"ema_decay": 1.5})


def test_resume_is_exact_and_best_weights_are_the_average(demo_dir: Path, tmp_path: Path) -> None:
    ema = {"ema_decay": 0.5, "save_every": 0, "val_every": 4, "val_size": 96, "val_max_images": 2}
    data = {"root": str(demo_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25], "workers": 0,
            "train": [{"path": demo_dir.name}], "val": [{"path": demo_dir.name}]}
    straight = tiny_config(demo_dir, tmp_path / "a", data=data, train={"iterations": 4, **ema})
    Trainer(straight).run()
    split = tiny_config(demo_dir, tmp_path / "b", data=data, train={"iterations": 4, **ema})
    Trainer(split).run(stop_at=2)
    assert load_state(split.run_dir() / "last.pt")["ema"]["updates"] == 2
    torch.manual_seed(999)
    Trainer(split, resume=True).run()
    sa, sb = load_state(straight.run_dir() / "last.pt"), load_state(split.run_dir() / "last.pt")
    assert sa["ema"]["updates"] == sb["ema"]["updates"] == 4
    wa, wb = sa["ema"]["weights"], sb["ema"]["weights"]
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    # the average differs from the raw weights, and best.safetensors holds the average
    raw = sa["model"]
    assert any(not torch.equal(wa[k], raw[k]) for k in wa if wa[k].is_floating_point())
    best = load_file(str(straight.run_dir() / "best.safetensors"))
    kept = json.loads((straight.run_dir() / "best.json").read_text())["weights"]
    assert kept in ("average", "raw")  # whichever scored higher (see the test below)
    want = wa if kept == "average" else raw
    key = next(k for k in best if k in wa and wa[k].is_floating_point() and not torch.equal(wa[k], raw[k]))
    assert torch.allclose(best[key].float(), want[key].float())
    # validation logged the averaged and the raw weights' scores
    vals = [json.loads(line) for line in (straight.run_dir() / "log.jsonl").read_text().splitlines()
            if json.loads(line)["type"] == "val"]
    assert vals and "fbeta" in vals[-1] and "raw/fbeta" in vals[-1]


def test_turning_the_average_on_at_resume_starts_it_from_the_resumed_weights(demo_dir: Path,
                                                                               tmp_path: Path) -> None:
    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 3, "save_every": 0})
    Trainer(cfg).run(stop_at=2)
    resumed = tiny_config(demo_dir, tmp_path, train={"iterations": 3, "save_every": 0, "ema_decay": 0.9})
    lines: list[str] = []

    class Sink:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

    trainer = Trainer(resumed, resume=True, stream=Sink())  # type: ignore[arg-type]
    assert any("holds no weight average" in t for t in lines)
    assert trainer.ema is not None
    sd = trainer.model.state_dict()
    assert all(torch.equal(v, sd[k]) for k, v in trainer.ema.module.state_dict().items())


def test_export_without_validation_takes_the_average(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.checkpoint import load_checkpoint
    from fosp_core.train.export import export_default

    cfg = tiny_config(demo_dir, tmp_path, train={"iterations": 3, "save_every": 0, "ema_decay": 0.5})
    Trainer(cfg).run()
    assert not (cfg.run_dir() / "best.safetensors").exists()
    out, card = export_default(cfg.run_dir(), tmp_path / "out.safetensors")
    state = load_state(cfg.run_dir() / "last.pt")
    exported = load_checkpoint(out).state_dict()
    avg = state["ema"]["weights"]
    key = next(k for k in avg if avg[k].is_floating_point() and not torch.equal(avg[k], state["model"][k]))
    assert torch.allclose(exported[key].float(), avg[key].half().float())
    assert json.loads(card.read_text())["weights"]["weight_average_decay"] == 0.5


def _validated(demo_dir: Path, tmp_path: Path):
    data = {"root": str(demo_dir.parent), "crop": 64, "scale": 96, "ratio_range": [0.75, 1.25], "workers": 0,
            "train": [{"path": demo_dir.name}], "val": [{"path": demo_dir.name}]}
    return tiny_config(demo_dir, tmp_path, data=data, train={"iterations": 2, "save_every": 0, "val_every": 2,
                                                             "val_size": 96, "val_max_images": 1, "ema_decay": 0.5})


def _scored_by_which(trainer: Trainer, average: float, raw: float) -> None:
    """Make validation score the weight average `average` and the raw weights `raw`."""
    def validate(model, sources, cfg, device, autocast):  # noqa: ANN001, ARG001
        value = average if model is trainer.ema.module else raw
        return {"fbeta": value}, f"table {value}"
    trainer.task.validate = validate  # type: ignore[method-assign]


@pytest.mark.parametrize(("average", "raw", "kept"), [(0.4, 0.6, "raw"), (0.6, 0.4, "average"), (0.5, 0.5, "average")])
def test_best_keeps_whichever_of_average_and_raw_scored_higher(demo_dir: Path, tmp_path: Path, average: float,
                                                              raw: float, kept: str) -> None:
    cfg = _validated(demo_dir, tmp_path)
    trainer = Trainer(cfg)
    _scored_by_which(trainer, average, raw)
    trainer.run()
    info = json.loads((cfg.run_dir() / "best.json").read_text())
    assert info["weights"] == kept and info["value"] == max(average, raw)
    best = load_file(str(cfg.run_dir() / "best.safetensors"))
    state = load_state(cfg.run_dir() / "last.pt")
    want = state["model"] if kept == "raw" else state["ema"]["weights"]
    key = next(k for k in want if want[k].is_floating_point()
               and not torch.equal(state["model"][k], state["ema"]["weights"][k]))
    assert torch.allclose(best[key].float(), want[key].float())


def test_export_of_a_saved_state_takes_the_weights_asked_for(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.checkpoint import load_checkpoint
    from fosp_core.cli import main
    from fosp_core.train.export import export_default

    cfg = _validated(demo_dir, tmp_path)
    trainer = Trainer(cfg)
    _scored_by_which(trainer, 0.25, 0.75)
    trainer.run()
    copy = tmp_path / "state-at-2.pt"
    copy.write_bytes((cfg.run_dir() / "last.pt").read_bytes())
    state = load_state(copy)
    key = next(k for k in state["model"] if state["model"][k].is_floating_point()
               and not torch.equal(state["model"][k], state["ema"]["weights"][k]))
    for weights, want, score in (("raw", state["model"], 0.75), ("average", state["ema"]["weights"], 0.25)):
        out, card_file = export_default(cfg.run_dir(), tmp_path / f"{weights}.safetensors", state_file=copy,
                                        weights=weights)
        assert torch.allclose(load_checkpoint(out).state_dict()[key].float(), want[key].half().float())
        card = json.loads(card_file.read_text())
        assert card["weights"]["weights"] == weights and card["weights"]["iteration"] == 2
        assert card["validation"]["metrics"]["fbeta"] == score  # the log's scores of those weights
    assert main(["train-export", str(cfg.run_dir()), str(tmp_path / "x.safetensors"), "--weights", "raw"]) == 2
    assert main(["train-export", str(cfg.run_dir()), str(tmp_path / "x.safetensors"), "--state",
                 str(tmp_path / "missing.pt")]) == 2


def test_uniform_soup_averages_floats_and_keeps_integer_buffers() -> None:
    from fosp_core.train.export import uniform_soup

    a = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    b = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with torch.no_grad():
        a[0].weight.fill_(1.0)
        b[0].weight.fill_(3.0)
    a[1].num_batches_tracked += 5
    soup = uniform_soup([a.state_dict(), b.state_dict()])
    assert torch.equal(soup["0.weight"], torch.full((2, 2), 2.0))
    assert soup["1.num_batches_tracked"].dtype == torch.long and int(soup["1.num_batches_tracked"]) == 5
    with pytest.raises(ValueError, match="not the same architecture"):
        uniform_soup([a.state_dict(), nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)).state_dict()])


def test_export_soup_averages_the_runs_final_weights(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.checkpoint import load_checkpoint
    from fosp_core.cli import main

    runs = []
    for seed in (0, 1):
        cfg = tiny_config(demo_dir, tmp_path, name=f"soup-{seed}",
                          train={"iterations": 2, "save_every": 0, "ema_decay": 0.5, "seed": seed})
        Trainer(cfg).run()
        runs.append(cfg.run_dir())
    scores = tmp_path / "scores.json"
    scores.write_text(json.dumps({"soup": {"fbeta": 0.42}}))
    out = tmp_path / "soup.safetensors"
    assert main(["train-export", str(runs[0]), str(out), "--soup", str(runs[1]), "--validation", str(scores),
                 "--notes", "two seeds"]) == 0
    states = [load_state(r / "last.pt") for r in runs]  # read once (~0.2 s each): the averages, then the raws
    averages = [state["ema"]["weights"] for state in states]
    key = next(k for k in averages[0] if averages[0][k].is_floating_point()
               and not torch.equal(averages[0][k], averages[1][k]))
    want = (averages[0][key].float() + averages[1][key].float()) / 2
    assert torch.allclose(load_checkpoint(out).state_dict()[key].float(), want.half().float())
    card = json.loads(out.with_name("soup.card.json").read_text())
    assert [s["run"] for s in card["weights"]["soup_of"]] == [str(r) for r in runs]
    assert card["validation"]["metrics"] == {"fbeta": 0.42} and card["notes"] == "two seeds"
    # the raw weights on request; wrong combinations are refused with a message
    raw = tmp_path / "raw.safetensors"
    assert main(["train-export", str(runs[0]), str(raw), "--soup", str(runs[1]), "--weights", "raw"]) == 0
    raws = [state["model"][key].float() for state in states]
    assert torch.allclose(load_checkpoint(raw).state_dict()[key].float(), ((raws[0] + raws[1]) / 2).half().float())
    assert main(["train-export", str(runs[0]), str(out), "--validation", str(scores)]) == 2
    assert main(["train-export", str(runs[0]), str(out), "--soup", str(tmp_path / "nowhere")]) == 2
    scores.write_text(json.dumps({"a": {}, "b": {}}))
    assert main(["train-export", str(runs[0]), str(out), "--soup", str(runs[1]), "--validation", str(scores)]) == 2
