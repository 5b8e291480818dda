"""The progress of a run under `train.time_budget_s` (the Fine-tune dialog's "Stop after" field):
once the trainer fits its length to the budget (a `time_budget` event in log.jsonl), the reader's
planned count, and so the time left and the dialog's progress bar, are the fitted length's."""

from __future__ import annotations

import json
from pathlib import Path

from fosp_core.train.finetune import ProgressReader


def test_a_fitted_length_replaces_the_planned_one(tmp_path: Path) -> None:
    reader = ProgressReader(tmp_path, planned=300)
    records = [{"type": "event", "iter": 0, "event": "start", "time": 1.0},
               {"type": "train", "iter": 10, "loss": 0.5, "sec_per_iter": 20.0},
               {"type": "event", "iter": 12, "event": "time_budget", "iterations": 30, "sec_per_iter": 20.0},
               {"type": "train", "iter": 15, "loss": 0.4, "sec_per_iter": 20.0}]
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    p = reader.poll()
    assert p.planned == 30
    assert p.eta_seconds == (30 - 15) * 20.0  # not (300 - 15) * 20 s: the budget ends the run at 30
