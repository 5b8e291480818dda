"""Export a run's best weights as the app's default model: fp16 safetensors + a model card JSON.

    export_default(run_dir, out[, notes, state_file, weights]) -> (weights path, card path)
    export_soup(run_dirs, out[, notes, weights, validation]) -> (weights path, card path)

The weights are `best.safetensors` of the run (or the weights in `last.pt` when the run never
validated, or those of a given saved training state: its raw weights or its weight average),
converted to fp16 with `fosp_core.checkpoint.save_checkpoint`. `export_soup` writes the uniform
average of several runs' final weights (`uniform_soup`) the same way, its card holding the scores
measured on the soup. The card is written beside it as `<stem>.card.json`: what was trained
(variant, parameters), on what (datasets with their sizes, splits and weights; for a fine-tune, the
checkpoint it started from and that one's data), how (the resolved recipe), how long (iterations,
wall time, hardware), and the validation table of the exported weights, plus an honest-results note
the maintainer fills in. Both files are written atomically.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import torch

from fosp_core.io.atomic import atomic_target
from fosp_core.train import model_io
from fosp_core.train.config import config_from_dict, load_config
from fosp_core.train.progress import RunLog
from fosp_core.train.state import CheckpointSaveError, load_state
from fosp_core.train.trained_images import from_state, with_fingerprint
from fosp_core.trained_on import TrainedImages, checkpoint_trained_images

CARD_FORMAT = "fosp-model-card"


def card_path(weights: Path) -> Path:
    """`.../fosp-default.safetensors` -> `.../fosp-default.card.json`."""
    return weights.with_name(weights.stem + ".card.json")


def hardware_description(device: str | None = None) -> dict[str, Any]:
    """CPU model/cores and, when present, the CUDA devices (for the card)."""
    out: dict[str, Any] = {"cpu": platform.processor() or platform.machine(), "cpu_cores": os.cpu_count(),
                           "torch": torch.__version__, "python": platform.python_version()}
    if torch.cuda.is_available():
        out["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    if device:
        out["training_device"] = device
    return out


def model_of_state(state: dict[str, Any], cfg: Any, weights: str) -> torch.nn.Module:
    """The model a training state holds: its raw weights, or its weight average ("average"; the
    raw weights when the state has none and `weights` is "auto")."""
    from fosp_core.model.registry import build_from_config, model_config

    mcfg = state.get("model_config")
    if mcfg is not None:
        from fosp_core.model.config import ModelConfig

        model = build_from_config(ModelConfig.from_dict(mcfg))
    else:
        model = build_from_config(model_config(cfg.model.name, **cfg.model.overrides))
    averaged = (state.get("ema") or {}).get("weights")
    if weights == "average" and averaged is None:
        raise ValueError("this training state holds no weight average (train.ema_decay was 0); use --weights raw")
    model.load_state_dict(state["model"] if weights == "raw" or averaged is None else averaged)
    return model


def _validation_of(vals: list[dict[str, Any]], iteration: int | None, weights: str) -> dict[str, Any]:
    """The logged validation of the weights at `iteration` (raw weights: its `raw/` scores)."""
    rec = next((v for v in reversed(vals) if v.get("iter") == iteration), None)
    if rec is None:
        return {}
    if weights == "raw" and any(k.startswith("raw/") for k in rec):
        return {k[4:]: v for k, v in rec.items() if k.startswith("raw/")}
    return {k: v for k, v in rec.items() if not k.startswith("raw/") and k not in ("type", "iter", "sec")}


def export_default(run_dir: Path, out: Path, notes: str = "", state_file: Path | None = None,
                   weights: str = "auto") -> tuple[Path, Path]:
    """Write the run's best weights as fp16 safetensors at `out` and the model card beside it.

    state_file: export the weights of this saved training state instead (e.g. a copy of `last.pt`
        taken at a validated iteration); `weights` then picks its "raw" weights or its weight
        "average" ("auto": the average when it has one). The card's scores are the run log's
        validation of those weights at that iteration.
    """
    if weights not in ("auto", "raw", "average"):
        raise ValueError(f"weights must be auto, raw or average, not {weights!r}")
    run_dir = Path(run_dir).expanduser()
    last = run_dir / "last.pt"
    best = run_dir / "best.safetensors"
    if state_file is None and not last.is_file() and not best.is_file():
        raise FileNotFoundError(f"{run_dir}: no best.safetensors or last.pt; is this a run folder?")
    if state_file is not None and not Path(state_file).is_file():
        raise FileNotFoundError(f"{state_file}: no such training state")
    state_path = Path(state_file) if state_file is not None else last
    state = load_state(state_path) if state_path.is_file() else {}
    cfg_dict = state.get("config")
    cfg = (config_from_dict(cfg_dict, source=str(state_path)) if cfg_dict is not None
           else load_config(run_dir / "config.toml"))
    if state.get("task", "segmentation") != "segmentation":
        raise ValueError(f"{run_dir} is a {state['task']!r} run; only segmentation runs export a default model")
    best_info: dict[str, Any] = {}
    vals = RunLog(run_dir).records("val")
    if state_file is not None:
        model = model_of_state(state, cfg, weights)
        chosen = "raw" if weights == "raw" or not (state.get("ema") or {}).get("weights") else "average"
        kept = json.loads((run_dir / "best.json").read_text()) if (run_dir / "best.json").is_file() else {}
        table = kept.get("table", "") if kept.get("iteration") == state.get("iteration") else ""
        best_info = {"iteration": state.get("iteration"), "metric": cfg.train.best_metric, "weights": chosen,
                     "metrics": _validation_of(vals, state.get("iteration"), chosen), "table": table}
        source = state_path
    elif best.is_file():
        from fosp_core.checkpoint import load_checkpoint

        model = load_checkpoint(best)
        best_info = json.loads((run_dir / "best.json").read_text()) if (run_dir / "best.json").is_file() else {}
        source = best
    else:
        model = model_of_state(state, cfg, "auto")
        source = last
    card = _card(model, cfg, run_dir, out, notes, state, best_info, str(source), vals)
    trained = checkpoint_trained_images(best) if source == best else from_state(state)
    return _write(model, out, card, cfg.name, trained)


def _spec(spec: Any) -> dict[str, Any]:
    return {"path": spec.path, "split": spec.split, "kind": spec.kind, "subset": spec.subset,
            "weight": spec.weight, "max_items": spec.max_items}


def _without_inpainter(model: torch.nn.Module) -> int:
    inp = getattr(model, "inpainter", None)
    skip = {id(p) for p in inp.parameters()} if inp is not None else set()
    return sum(p.numel() for p in model.parameters() if id(p) not in skip)


def started_from(init_from: str) -> dict[str, Any] | None:
    """Where fine-tuned weights started (`model.init_from`): the checkpoint, its name and, when it
    has a card, the data of that card (what the start was trained on); None for a run from scratch."""
    if not init_from:
        return None
    start = Path(init_from).expanduser()
    data = None
    try:
        found = json.loads(card_path(start).read_text(encoding="utf-8"))
        data = found.get("data") if isinstance(found, dict) else None
    except (OSError, ValueError):
        pass
    return {"checkpoint": str(init_from), "name": start.stem, "data": data}


def _card(model: torch.nn.Module, cfg: Any, run_dir: Path, out: Path, notes: str, state: dict[str, Any],
          best_info: dict[str, Any], source: Any, vals: list[dict[str, Any]]) -> dict[str, Any]:
    """The model card of exported weights (see the module docstring). A fine-tune's card names its
    start (`data.started_from`); when its best weights are the start's own (the start, validated at
    iteration 0, was never beaten), `weights.same_as_start` is true and the notes say so."""
    iteration = best_info.get("iteration", state.get("iteration"))
    start = started_from(cfg.model.init_from)
    same = False
    if start is not None and iteration == 0:
        same = True
        said = (f"No improvement: the starting weights ({start['name']}, validated at iteration 0) scored best on "
                f"{best_info.get('metric') or cfg.train.best_metric}, so these are {start['name']}'s own weights; "
                "the fine-tune did not change them.")
        notes = f"{said}\n{notes}" if notes else said
    return {
        "format": CARD_FORMAT,
        "format_version": 1,
        "model": {"name": model_io.model_name(model), "config": model_io.model_config_dict(model),
                  "parameters": sum(p.numel() for p in model.parameters()),
                  "parameters_without_inpainter": _without_inpainter(model)},
        "weights": {"file": out.name, "dtype": "float16", "from": source,
                    "iteration": iteration,
                    "selected_by": best_info.get("metric"),
                    "weight_average_decay": cfg.train.ema_decay or None,
                    "weights": best_info.get("weights", "average" if cfg.train.ema_decay else "model"),
                    "same_as_start": same},
        "data": {"root": cfg.data.root, "train": [_spec(s) for s in cfg.data.train],
                 "val": [_spec(s) for s in cfg.data.val],
                 "opened": next((e.get("data") for e in RunLog(run_dir).records("event")), None),
                 "started_from": start},
        "recipe": cfg.to_dict(),
        "training": {"iterations": state.get("iteration"), "planned_iterations": cfg.train.iterations,
                     "wall_time_s": round(float(state.get("wall_time", best_info.get("wall_time")) or 0.0), 1),
                     "hardware": hardware_description(cfg.train.device)},
        "validation": {"metrics": best_info.get("metrics", vals[-1] if vals else {}),
                       "table": best_info.get("table", ""), "history": vals},
        "exported": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "notes": notes,
    }


def _write(model: torch.nn.Module, out: Path, card: dict[str, Any], run_name: str,
           trained: TrainedImages | None = None) -> tuple[Path, Path]:
    """fp16 safetensors at `out` and the card beside it, both atomically. The weights are staged
    beside `out` and renamed over it only after the card is written, so an export stopped part-way
    (Ctrl+C, a full disk) leaves the previous weights and card as they were, not new weights with the
    old card. `trained`: the images the weights were trained on (`fosp_core.trained_on`), kept in
    their metadata; None: not recorded."""
    iteration = card["weights"]["iteration"]
    meta = with_fingerprint({"iteration": str(iteration), "run": run_name, "card": card_path(out).name}, trained)
    try:
        _make_parent(out)
        with atomic_target(out) as staged:
            try:
                model_io.save_weights(model, staged, meta, dtype=torch.float16)
            except CheckpointSaveError as exc:
                raise CheckpointSaveError(out, exc.cause) from exc
            model_io.save_json(card_path(out), card)
    except CheckpointSaveError:
        raise
    except OSError as exc:  # the staged file could not be made or renamed
        raise CheckpointSaveError(out, exc) from exc
    return out, card_path(out)


def _make_parent(out: Path) -> None:
    """Create `out`'s folder; a file standing where a folder must be is named (mkdir's own error
    for it is a bare "File exists")."""
    for folder in (out.parent, *out.parent.parents):
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, f"not a folder: {folder} is a file")
    out.parent.mkdir(parents=True, exist_ok=True)


def uniform_soup(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The tensor-by-tensor mean of state dicts of one architecture (a "model soup": fine-tunes of
    one start averaged, Wortsman et al. 2022). Integer buffers (BatchNorm's batch counts) come
    from the first state."""
    if not states:
        raise ValueError("a soup needs at least one set of weights")
    first = states[0]
    for i, s in enumerate(states[1:], 1):
        if s.keys() != first.keys() or any(s[k].shape != first[k].shape for k in first):
            raise ValueError(f"weights {i + 1} of the soup are not the same architecture as the first")
    return {k: (torch.stack([s[k].float() for s in states]).mean(0).to(v.dtype) if v.is_floating_point() else v)
            for k, v in first.items()}


def export_soup(run_dirs: list[Path], out: Path, notes: str = "", weights: str = "average",
                validation: dict[str, Any] | None = None) -> tuple[Path, Path]:
    """Write the uniform average of several runs' final weights (each run's `last.pt`: its raw
    weights or its weight average) as fp16 safetensors at `out`, with a card.

    The runs must be fine-tunes of one start with one architecture; the first run's recipe goes on
    the card. No run validated the soup, so `validation` (metrics measured on it, e.g. by
    `bench/validate_checkpoint.py --json`) is what the card reports.
    """
    if weights not in ("auto", "raw", "average"):
        raise ValueError(f"weights must be auto, raw or average, not {weights!r}")
    if len(run_dirs) < 2:
        raise ValueError("a soup needs two runs or more")
    weight_sets, states, paths, cfgs = [], [], [], []
    model = None
    for run_dir in run_dirs:
        last = Path(run_dir).expanduser() / "last.pt"
        if not last.is_file():
            raise FileNotFoundError(f"{run_dir}: no last.pt; is this a finished run folder?")
        state = load_state(last)
        if state.get("task", "segmentation") != "segmentation":
            raise ValueError(f"{run_dir} is a {state['task']!r} run; only segmentation runs export a default model")
        cfgs.append(config_from_dict(state["config"], source=str(last)))
        ingredient = model_of_state(state, cfgs[-1], weights)
        model = model or ingredient  # the first run's module carries the soup
        weight_sets.append(ingredient.state_dict())
        states.append(state)
        paths.append(last)
    assert model is not None
    try:
        model.load_state_dict(uniform_soup(weight_sets))
    except ValueError as exc:
        raise ValueError(f"{exc} (runs {', '.join(str(r) for r in run_dirs)})") from None
    info = {"iteration": states[0].get("iteration"), "metric": "none: a uniform soup (no choice)",
            "weights": f"uniform soup of {len(run_dirs)} runs' {weights} weights",
            "metrics": validation or {}}
    card = _card(model, cfgs[0], paths[0].parent, out, notes, states[0], info, [str(p) for p in paths], [])
    card["weights"]["soup_of"] = [{"run": str(p.parent), "iteration": s.get("iteration"), "weights": weights}
                                  for p, s in zip(paths, states, strict=True)]
    card["training"]["wall_time_s"] = round(sum(float(s.get("wall_time", 0.0)) for s in states), 1)
    card["training"]["iterations_each"] = [s.get("iteration") for s in states]
    card["training"]["iterations"] = sum(int(s.get("iteration") or 0) for s in states)
    card["training"]["planned_iterations"] = sum(c.train.iterations for c in cfgs)
    fingerprints = [from_state(s) for s in states]
    trained = None if all(f is None for f in fingerprints) else functools.reduce(
        TrainedImages.union, (f if f is not None else TrainedImages(frozenset(), False) for f in fingerprints))
    return _write(model, out, card, f"soup of {', '.join(p.parent.name for p in paths)}", trained)
