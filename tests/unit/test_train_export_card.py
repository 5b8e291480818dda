"""The files a run and its export write for other programs: `best.json` and `<stem>.card.json` are
strict JSON (no bare NaN), and the card says where fine-tuned weights started."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from tests.unit.test_train_support import tiny_config


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def strict_json(text: str) -> Any:
    """`json.loads` as jq or a browser parses: NaN / Infinity are not JSON."""
    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: bare {constant}")

    return json.loads(text, parse_constant=refuse)


def _nulls(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_nulls(v) for v in value.values())
    if isinstance(value, list):
        return sum(_nulls(v) for v in value)
    return int(value is None)


def test_save_json_writes_null_for_non_finite_floats(tmp_path: Path) -> None:
    from fosp_core.train.model_io import save_json

    path = tmp_path / "x.json"
    save_json(path, {"nan": math.nan, "list": [math.inf, -math.inf, 1.5], "numpy": {"v": np.float64("nan")},
                     "text": "NaN", "tuple": (math.nan, 2)})
    assert strict_json(path.read_text()) == {"nan": None, "list": [None, None, 1.5], "numpy": {"v": None},
                                             "text": "NaN", "tuple": [None, 2]}


def test_best_json_and_the_card_of_a_validated_run_are_strict_json(demo_dir: Path, tmp_path: Path) -> None:
    """The demo val image has no large smoke, so the large bucket's scores are NaN: written as null."""
    from fosp_core.train.export import export_default
    from fosp_core.train.loop import Trainer

    cfg = tiny_config(demo_dir, tmp_path / "runs", data={"val": [{"path": demo_dir.name, "split": "val"}]},
                      train={"iterations": 2, "val_every": 2})
    Trainer(cfg).run()
    best = strict_json((cfg.run_dir() / "best.json").read_text())
    assert _nulls(best["metrics"]) > 0  # the scores that could not be measured
    _, card_file = export_default(cfg.run_dir(), tmp_path / "out.safetensors")
    card = strict_json(card_file.read_text())
    assert _nulls(card["validation"]["metrics"]) > 0
    assert card["validation"]["metrics"] == best["metrics"]


def test_the_committed_cards_are_strict_json() -> None:
    from fosp_core.paths import BUNDLED_MODELS

    cards = sorted(BUNDLED_MODELS.glob("*.card.json"))
    assert cards
    for card in cards:
        strict_json(card.read_text())


def test_the_progress_reader_takes_null_scores_and_losses(tmp_path: Path) -> None:
    """The run log writes a NaN loss or F_beta as null; the Fine-tune dialog's reader skips the point."""
    from fosp_core.train.finetune import ProgressReader

    records = [{"type": "train", "iter": 1, "loss": 0.5}, {"type": "train", "iter": 2, "loss": None},
               {"type": "val", "iter": 0, "fbeta": None}, {"type": "val", "iter": 2, "fbeta": 0.25}]
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    p = ProgressReader(tmp_path, planned=2).poll()
    assert p.iteration == 2 and p.losses == [(1, 0.5)]
    assert p.scores == [(2, 0.25)] and p.best == (2, 0.25) and p.start_score is None


START_DATA = {"root": "/data", "train": [{"path": "smoke5k-train", "split": "scene-train"}], "val": []}


def _fine_tune(demo_dir: Path, tmp_path: Path, name: str, val_at_start: bool) -> tuple[Path, Path, Path]:
    """A tiny fine-tune of a checkpoint that has a card (start, run folder, exported weights)."""
    from fosp_core.train.export import export_default
    from fosp_core.train.loop import Trainer
    from tests.unit.test_train_support import save_tiny_checkpoint

    start = save_tiny_checkpoint(tmp_path / "start-model.safetensors")
    (tmp_path / "start-model.card.json").write_text(json.dumps({"format": "fosp-model-card", "data": START_DATA}))
    cfg = tiny_config(demo_dir, tmp_path / "runs", name=name, model={"init_from": str(start)},
                      data={"val": [{"path": demo_dir.name, "split": "val"}]},
                      train={"iterations": 2, "val_every": 2, "val_at_start": val_at_start})
    Trainer(cfg).run()
    out, _ = export_default(cfg.run_dir(), tmp_path / f"{name}.safetensors")
    return start, cfg.run_dir(), out


def test_the_card_of_a_fine_tune_names_its_start_and_the_starts_data(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.analysis.settings import read_model_info

    start, run, out = _fine_tune(demo_dir, tmp_path, "ft", val_at_start=False)
    card = strict_json(out.with_name("ft.card.json").read_text())
    assert card["data"]["started_from"] == {"checkpoint": str(start), "name": "start-model", "data": START_DATA}
    assert card["weights"]["iteration"] == 2 and card["weights"]["same_as_start"] is False
    text = read_model_info(out).summary()
    assert text.splitlines()[1:] == [f"fine-tuned from start-model on {demo_dir.name}",
                                     "start-model: trained on smoke5k-train[scene-train]"]
    assert "no gain" not in text


def test_a_fine_tune_that_never_beat_its_start_says_the_weights_are_the_starts(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The start validates at iteration 0; when no later validation beats it, the run's best weights
    (and so the export) are the start's own, and the card and the Model panel say so."""
    import fosp_core.train.loop as loop
    from fosp_core.analysis.settings import read_model_info
    from fosp_core.checkpoint import read_checkpoint

    keep_best = loop.keep_best
    monkeypatch.setattr(loop, "keep_best", lambda trainer, *a, **k: (keep_best(trainer, *a, **k)
                                                                     if trainer.iteration == 0 else None))
    start, run, out = _fine_tune(demo_dir, tmp_path, "ft0", val_at_start=True)
    assert strict_json((run / "best.json").read_text())["iteration"] == 0
    start_weights, exported = read_checkpoint(start)[0], read_checkpoint(out)[0]
    assert all(torch.equal(exported[k].float(), v.half().float()) for k, v in start_weights.items())
    card = strict_json(out.with_name("ft0.card.json").read_text())
    assert card["weights"]["same_as_start"] is True
    assert card["notes"].startswith("No improvement") and "start-model" in card["notes"]
    text = read_model_info(out).summary()
    assert "fine-tuned from start-model on" in text and "no gain: these are start-model's own weights" in text


def test_a_model_trained_from_scratch_is_described_as_before(demo_dir: Path, tmp_path: Path) -> None:
    from fosp_core.analysis.settings import read_model_info
    from fosp_core.train.export import export_default
    from fosp_core.train.loop import Trainer

    cfg = tiny_config(demo_dir, tmp_path / "runs", train={"iterations": 1})
    Trainer(cfg).run()
    out, card_file = export_default(cfg.run_dir(), tmp_path / "scratch.safetensors")
    card = strict_json(card_file.read_text())
    assert card["data"]["started_from"] is None and card["weights"]["same_as_start"] is False
    assert read_model_info(out).summary().splitlines()[-1] == f"trained on: {demo_dir.name}"
