"""The best checkpoint of a run: after a validation, the validated weights are kept as
`best.safetensors` (with `best.json`: score, iteration, metrics, table, wall time) when they beat
the best so far on `train.best_metric` (`keep_best`). A missing or NaN score never wins (`better`).
"""

from __future__ import annotations

import math

from torch import nn

from fosp_core.train import model_io
from fosp_core.train.trainer_types import TrainerParts

__all__ = ["better", "keep_best"]


def better(a: float | None, b: float | None) -> bool:
    """a > b, where a missing or NaN score never wins and always loses."""
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return False
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return True
    return float(a) > float(b)


def keep_best(trainer: TrainerParts, metrics: dict[str, float], table: str, model: nn.Module | None = None,
              weights: str = "") -> None:
    """Keep `model` (default: the validated weights, `trainer.eval_model()`) as best.safetensors when
    it beats `trainer.best`, which it then updates. `weights` says which they are: "average" or
    "raw" (EMA runs). A `train.best_metric` that names no key of `metrics` is warned about once."""
    key = trainer.cfg.train.best_metric
    value = metrics.get(key)
    if key not in metrics and metrics and not trainer.best_key_warned:
        trainer.best_key_warned = True
        headline = ", ".join(k for k in metrics if "/" not in k)
        trainer.say(f"warning: train.best_metric {key!r} is not a key of the validation ({headline}, or "
                    "<source>/<split>/<score>): no best checkpoint is kept")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if trainer.best is not None and value <= float(trainer.best["value"]):
        return
    weights = weights or ("average" if trainer.ema is not None else "model")
    trainer.best = {"metric": key, "value": float(value), "iteration": trainer.iteration, "weights": weights}
    meta = {"iteration": trainer.iteration, "best_metric": key, "best_value": float(value),
            "run": trainer.cfg.name, "weights": weights}
    if trainer.ema is not None and weights == "average":
        meta["ema_decay"] = trainer.ema.decay
    trainer.task.save_weights(model if model is not None else trainer.eval_model(),
                              trainer.run_dir / "best.safetensors", meta)
    model_io.save_json(trainer.run_dir / "best.json", {**trainer.best, "metrics": metrics, "table": table,
                                                         "wall_time": trainer.wall_time})
    trainer.say(f"new best {key} = {value:.4f} at iteration {trainer.iteration}"
                + (f" ({weights} weights)" if trainer.ema is not None else ""))
