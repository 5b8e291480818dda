"""The best checkpoint of a run: after a validation, the validated weights are kept as
`best.safetensors` (with `best.json`: score, iteration, metrics, table, wall time) when they beat
the best so far on `train.best_metric` (`keep_best`): higher, or lower for the errors and false-alarm
shares (`LOWER_IS_BETTER`). A missing or NaN score never wins (`better`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from torch import nn

from fosp_core.train import model_io
from fosp_core.train.trained_images import with_fingerprint
from fosp_core.train.trainer_types import TrainerParts

__all__ = ["LOWER_IS_BETTER", "best_in_words", "better", "keep_best", "lower_is_better"]

#: Validation scores where lower is better (the last part of a key: `mse`, `demo[val]/total/far_fp`):
#: the error M, the false-alarm shares and the inpainter's reconstruction errors; every other score is
#: better higher.
LOWER_IS_BETTER = frozenset({"mse", "far_fp", "crops_flagged", "crops_flagged_scenes", "hole_l1", "known_l1"})

#: How the validation table heads its scores (`fosp_core.metrics.report.format_table`); all but the
#: mean squared error are shown in percent there.
_SCORE_LABELS = {"f_beta": "F_β", "fbeta": "F_β", "f_beta_max": "F_β(max)", "f1": "F1", "miou": "mIoU",
                 "mse": "M(MSE)", "precision": "Prec.", "recall": "Recall", "far_fp": "far-FP",
                 "crops_flagged": "crops>0.5%", "crops_flagged_scenes": "per scene"}
_NOT_PERCENT = {"mse"}


def lower_is_better(key: str) -> bool:
    """Whether the validation key `key` scores an error (lower is better: `LOWER_IS_BETTER`)."""
    return key.rsplit("/", 1)[-1] in LOWER_IS_BETTER


def better(a: float | None, b: float | None, key: str = "") -> bool:
    """Whether score a beats b on the validation key `key`: a > b, or a < b for a key where lower is
    better (`lower_is_better`); a missing or NaN score never wins and always loses."""
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return False
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return True
    return float(a) < float(b) if lower_is_better(key) else float(a) > float(b)


def _score_in_words(key: str, value: float) -> str:
    """`fbeta` 0.195963 -> "F_β 19.60", as the validation table shows it; a key the table does not
    show (the inpainter's `psnr`) as it is."""
    *where, score = key.split("/")
    size = ""
    if not where and score.startswith("fbeta_"):  # the headline keys fbeta_small / _medium / _large
        score, size = "fbeta", score.removeprefix("fbeta_")
    label = _SCORE_LABELS.get(score)
    if label is None:
        return f"{key} {value:g}"
    shown = f"{value:.4f}" if score in _NOT_PERCENT else f"{100 * value:.2f}"
    return " ".join(part for part in (label, "/".join(where), size, shown) if part)


def best_in_words(best: dict[str, Any] | None, run_dir: Path) -> str:
    """The best checkpoint of a run as its last line says it: "best F_β 19.60 at iteration 400
    (<run>/best.safetensors)", or "no best checkpoint (no validation)" (`best`: `Trainer.best`)."""
    if not best:
        return "no best checkpoint (no validation)"
    return (f"best {_score_in_words(str(best['metric']), float(best['value']))} at iteration "
            f"{best['iteration']} ({Path(run_dir) / 'best.safetensors'})")


def keep_best(trainer: TrainerParts, metrics: dict[str, float], table: str, model: nn.Module | None = None,
              weights: str = "") -> None:
    """Keep `model` (default: the validated weights, `trainer.eval_model()`) as best.safetensors when
    it beats `trainer.best`, which it then updates. `weights` says which they are: "average" or
    "raw" (EMA runs). A `train.best_metric` that names no key of `metrics` is warned about once. A new
    best is said as the run's last line says it: "new best F_β 19.60 at iteration 400"."""
    key = trainer.cfg.train.best_metric
    value = metrics.get(key)
    if key not in metrics and metrics and not trainer.best_key_warned:
        trainer.best_key_warned = True
        headline = ", ".join(k for k in metrics if "/" not in k)
        trainer.say(f"warning: train.best_metric {key!r} is not a key of the validation ({headline}, or "
                    "<source>/<split>/<score>): no best checkpoint is kept")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if trainer.best is not None and not better(float(value), float(trainer.best["value"]), key):
        return
    weights = weights or ("average" if trainer.ema is not None else "model")
    trainer.best = {"metric": key, "value": float(value), "iteration": trainer.iteration, "weights": weights}
    meta = {"iteration": trainer.iteration, "best_metric": key, "best_value": float(value),
            "run": trainer.cfg.name, "weights": weights}
    if trainer.ema is not None and weights == "average":
        meta["ema_decay"] = trainer.ema.decay
    trainer.task.save_weights(model if model is not None else trainer.eval_model(),
                              trainer.run_dir / "best.safetensors", with_fingerprint(meta, getattr(trainer, "trained_on", None)))
    model_io.save_json(trainer.run_dir / "best.json", {**trainer.best, "metrics": metrics, "table": table,
                                                         "wall_time": trainer.wall_time})
    trainer.say(f"new best {_score_in_words(key, float(value))} at iteration {trainer.iteration}"
                + (f" ({weights} weights)" if trainer.ema is not None else ""))
