"""Range and choice checks on a typed `Config`, for what the field types alone do not bound.

Errors name the dotted key, the rule and where the value came from (the file or the override).
"""

from __future__ import annotations

import math
import re
from typing import Any

from fosp_core.train.config_schema import Config, ConfigError
from fosp_core.train.typed import value_origin
from fosp_core.windows_names import destination_problem, run_name_problem

__all__ = ["check_values"]

_CHOICES: dict[str, tuple[str, ...]] = {
    "train.precision": ("auto", "fp32", "bf16", "fp16"),
}
_KINDS = ("auto", "smokeseg", "smoke5k", "folder", "synthetic")
_SUBSETS = ("all", "real", "synthetic")
_DEVICE = re.compile(r"(auto|cpu|mps|cuda(:\d+)?)")


def _ranges(cfg: Config) -> list[tuple[str, Any, bool, str]]:
    """(key, value, within range, the rule) for the numbers a type alone does not bound."""
    t, o, d = cfg.train, cfg.optim, cfg.data
    items: list[tuple[str, Any, bool, str]] = [
        ("train.log_every", t.log_every, t.log_every >= 1, "at least 1"),
        ("train.val_every", t.val_every, t.val_every >= 0, ">= 0 (0 = only at the end)"),
        ("train.save_every", t.save_every, t.save_every >= 0, ">= 0 (0 = only at the end)"),
        ("train.threads", t.threads, t.threads >= 0, ">= 0 (0 = torch's default)"),
        ("train.val_size", t.val_size, t.val_size >= 0, ">= 0 (0 = native size)"),
        ("train.val_max_images", t.val_max_images, t.val_max_images >= 0, ">= 0 (0 = all)"),
        ("data.scale", d.scale, d.scale >= 0, ">= 0 (0 = the image's own size)"),
        ("data.cat_max_ratio", d.cat_max_ratio, 0 < d.cat_max_ratio <= 1, "in (0, 1]"),
        ("data.smoke_crop_prob", d.smoke_crop_prob, 0 <= d.smoke_crop_prob <= 1, "in [0, 1]"),
        ("optim.power", o.power, o.power >= 0, ">= 0"),
        ("optim.grad_clip", o.grad_clip, o.grad_clip >= 0, ">= 0 (0 = off)"),
        ("optim.weight_decay", o.weight_decay, o.weight_decay >= 0, ">= 0"),
        ("optim.eps", o.eps, o.eps > 0, "positive"),
        ("optim.head_lr_mult", o.head_lr_mult, o.head_lr_mult > 0, "positive"),
        ("optim.min_lr", o.min_lr, o.min_lr >= 0, ">= 0"),
        ("optim.warmup_ratio", o.warmup_ratio, 0 <= o.warmup_ratio <= 1, "in [0, 1]"),
        ("optim.betas", list(o.betas), all(0 <= b < 1 for b in o.betas), "two numbers in [0, 1)"),
        ("train.device", t.device, bool(_DEVICE.fullmatch(t.device)), "'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'"),
    ]
    for group in ("train", "val"):
        for i, spec in enumerate(getattr(d, group)):
            items.append((f"data.{group}.{i}.max_items", spec.max_items, spec.max_items >= 0, ">= 0 (0 = all)"))
    return items


def check_values(cfg: Config, source: str, overrides: dict[str, str]) -> None:
    """Range and choice checks that types alone do not catch; errors name the file or the override."""

    def bad(key: str, why: str) -> ConfigError:
        return ConfigError(f"{value_origin(key, source, overrides)}: {key!r} {why}")

    for key, value, ok, rule in _ranges(cfg):
        if not ok:
            raise bad(key, f"must be {rule}, got {value!r}")
    if cfg.train.precision not in _CHOICES["train.precision"]:
        raise bad("train.precision", f"must be one of {_CHOICES['train.precision']}, got {cfg.train.precision!r}")
    for key, v in (("train.iterations", cfg.train.iterations), ("train.batch_size", cfg.train.batch_size),
                   ("train.grad_accum", cfg.train.grad_accum), ("data.crop", cfg.data.crop)):
        if v < 1:
            raise bad(key, f"must be at least 1, got {v}")
    if cfg.data.crop % 32:
        raise bad("data.crop", f"must be a multiple of 32 (the backbone's stride), got {cfg.data.crop}")
    for i, entry in enumerate(cfg.data.crop_schedule):
        if (len(entry) not in (2, 3, 4) or entry[0] < 0 or entry[1] < 32 or entry[1] % 32
                or (len(entry) >= 3 and entry[2] < 1)
                or (len(entry) == 4 and not 0 <= 2 * entry[3] < entry[1])):
            raise bad(f"data.crop_schedule.{i}", "must be [iteration >= 0, crop a positive multiple of 32], "
                                                 "[iteration, crop, scale >= 1] or [iteration, crop, scale, "
                                                 f"context >= 0 with 2 x context < crop], got {list(entry)}")
    if (problem := _one_value_batch_norm(cfg)) is not None:
        raise bad(problem[0], problem[1])
    lo, hi = cfg.data.ratio_range
    if not 0 < lo <= hi:
        raise bad("data.ratio_range", f"must be [low, high] with 0 < low <= high, got {[lo, hi]}")
    if cfg.optim.lr <= 0:
        raise bad("optim.lr", f"must be positive, got {cfg.optim.lr}")
    if cfg.optim.warmup_iters < 0:
        raise bad("optim.warmup_iters", "must be >= 0")
    if cfg.data.workers < 0:
        raise bad("data.workers", "must be >= 0")
    if not 0.0 <= cfg.train.ema_decay < 1.0:
        raise bad("train.ema_decay", f"must be 0 (off) or in (0, 1), got {cfg.train.ema_decay}")
    if not (cfg.train.time_budget_s >= 0 and math.isfinite(cfg.train.time_budget_s)):
        raise bad("train.time_budget_s", f"must be 0 (none) or a number of seconds, got {cfg.train.time_budget_s}")
    if "/" in cfg.train.best_metric and cfg.data.val:
        names = [spec.source_name for spec in cfg.data.val]
        named, rest = cfg.train.best_metric.split("/", 1)  # not `source`: that is the file bad() names
        if named not in names:
            val_given = any(k == "data.val" or k.startswith("data.val.") for k in overrides)
            if val_given and value_origin("train.best_metric", source, overrides) == source:
                cfg.train.best_metric = "fbeta"  # the file's key named its own selection set: follow data.val
            else:
                raise bad("train.best_metric", f"names validation source {named!r}, but the validation sources are "
                                               f"{names}: add the override train.best_metric=fbeta (the F-beta of "
                                               f"the first, {names[0]}) or "
                                               f"'train.best_metric=\"{names[0]}/{rest}\"'")
    if not cfg.name or "/" in cfg.name or cfg.name in (".", ".."):
        raise bad("name", f"must be a plain folder name, got {cfg.name!r}")
    if cfg.runs_dir and (problem := destination_problem(cfg.runs_dir)) is not None:  # Windows only: made there
        raise bad("runs_dir", f"names a folder Windows cannot make, {problem}")
    if (problem := run_name_problem(cfg.name)) is not None:  # on every platform: runs are copied to Windows too
        raise bad("name", f"must be a folder name that opens on Windows too (runs are copied between machines), "
                          f"got {cfg.name!r}: {problem}")
    for group in ("train", "val"):
        for i, spec in enumerate(getattr(cfg.data, group)):
            key = f"data.{group}.{i}"
            if spec.kind not in _KINDS:
                raise bad(key + ".kind", f"must be one of {_KINDS}, got {spec.kind!r}")
            if spec.subset not in _SUBSETS:
                raise bad(key + ".subset", f"must be one of {_SUBSETS}, got {spec.subset!r}")
            if spec.weight < 0:
                raise bad(key + ".weight", "must be >= 0")
            for option in ("hard_negatives", "hard_positives"):
                if getattr(spec, option) and group == "val":
                    raise bad(f"{key}.{option}", "is a training option: validation scores every image")
                if getattr(spec, option) and spec.kind == "synthetic":
                    raise bad(f"{key}.{option}", "needs a source of fixed images, not kind = 'synthetic'")
            if spec.hard_negatives and spec.hard_positives:
                raise bad(key + ".hard_positives", "cannot share a source with hard_negatives: give each its own source")
    if cfg.data.train and sum(s.weight for s in cfg.data.train) <= 0:
        raise bad("data.train", "weights must not all be zero")
    for kind in cfg.inpainter.hole_kinds:
        if kind not in ("freeform", "block"):
            raise bad("inpainter.hole_kinds", f"items must be 'freeform' or 'block', got {kind!r}")


def _one_value_batch_norm(cfg: Config) -> tuple[str, str] | None:
    """(key, why) when a training step would give the model's BatchNorm one value per channel, which
    it refuses in training ("Expected more than 1 value per channel"): a batch of 1 whose crop is 32
    px, 1x1 at the backbone's 1/32 scale, where the Separation adapters normalise. GroupNorm
    (``model.overrides.norm = "gn"``) and a model without Separation (``segformer-b*``) have no such
    limit."""
    if cfg.train.batch_size != 1:
        return None
    crops = [("data.crop", cfg.data.crop)] + [(f"data.crop_schedule.{i}", entry[1])
                                              for i, entry in enumerate(cfg.data.crop_schedule) if len(entry) >= 2]
    key = next((k for k, crop in crops if crop <= 32), None)
    if key is None:
        return None
    from fosp_core.model.registry import model_config  # here only: the rare case, torch stays unread

    try:
        model = model_config(cfg.model.name, **cfg.model.overrides)
    except (KeyError, ValueError, TypeError):
        return None  # a wrong model is said where it is built
    if model.norm != "bn" or not model.separation:
        return None
    return "train.batch_size", (f"= 1 with {key} = 32 cannot train: the model's BatchNorm (norm 'bn') would see "
                                f"one value per channel at the backbone's 1/32 scale (1x1 there). Use "
                                f"train.batch_size=2 or more, a crop of 64 or more, or model.overrides.norm=gn")
