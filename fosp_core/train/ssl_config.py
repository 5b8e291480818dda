"""Settings of a self-supervised (masked-image modelling) pre-training run: one validated dataclass.

The run folder keeps them as ``config.json`` (paths made absolute), so ``fosp train-ssl --resume``
continues with the same settings; options given again on the command line replace the saved ones
(e.g. more iterations: the learning-rate decay then stretches to the new end).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fosp_core.model.mit import MIT_CONFIGS

__all__ = ["SSLConfig", "SSLConfigError"]


class SSLConfigError(ValueError):
    """A setting is unknown, of the wrong type or out of range; the message names it."""


@dataclass
class SSLConfig:
    """Everything a pre-training run depends on.

    name / runs_dir: the run folder is ``<runs_dir>/<name>`` (runs_dir "" = ``fosp_core.paths.runs_dir()``,
        name "" = ``ssl-<backbone>``).
    backbone, drop_path_rate: the MiT to pre-train (``mit_b0`` is fosp-s's) and its stochastic depth.
    data_root: folder the data paths below are relative to. smoke5k: a SMOKE5K training folder (its
        scene-val and scene-buffer images are left out); smokeseg: a SmokeSeg folder (its ``train``
        split only); videos: a folder of video files (every ``frame_step``-th frame); extra: more image
        folders, every image used. An empty path leaves that source out.
    synthetic_weight: how often a synthetic SMOKE5K image is drawn relative to a real image (1 = as
        often); every other image has weight 1, so sampling is uniform over images otherwise.
    crop: square training crops (a multiple of 32 and of mask_block), cut after resizing the image so
        its long side is uniform in ``scale`` (and its short side at least ``crop``), with flips.
    mask_ratio / mask_block: share of the crop hidden, in square blocks of this many pixels.
    iterations, batch_size, lr, weight_decay, warmup_iters, min_lr, grad_clip: AdamW with linear
        warm-up then linear decay to min_lr (``fosp_core.train.optim.lr_factor``, power 1).
    seed: every crop and mask is a function of (seed, sample index): exact resume, any worker count.
    device: "cpu", "cuda", "auto"; threads: torch CPU threads (0 = torch's default); workers:
        data-loading processes.
    log_every / save_every: iterations between log records / state saves (``last.pt`` and
        ``backbone.safetensors``); probe_size: fixed crops whose masked L1 is measured at every save
        (a noise-free curve; 0 = off); progress: show the progress line.
    """

    name: str = ""
    runs_dir: str = ""
    backbone: str = "mit_b0"
    drop_path_rate: float = 0.1
    data_root: str = "../shared/data"
    smoke5k: str = "smoke5k-train"
    smokeseg: str = "smokeseg-samples"
    videos: str = "videos"
    extra: list[str] = field(default_factory=list)
    frame_step: int = 6
    synthetic_weight: float = 0.25
    crop: int = 192
    scale: tuple[int, int] = (512, 640)
    mask_ratio: float = 0.6
    mask_block: int = 32
    iterations: int = 5000
    batch_size: int = 8
    lr: float = 5e-4
    weight_decay: float = 0.05
    warmup_iters: int = 100
    min_lr: float = 1e-6
    grad_clip: float = 5.0
    seed: int = 0
    device: str = "cpu"
    threads: int = 2
    workers: int = 1
    log_every: int = 10
    save_every: int = 100
    probe_size: int = 16
    progress: bool = True

    def __post_init__(self) -> None:
        self.scale = (int(self.scale[0]), int(self.scale[1]))
        self.extra = [str(p) for p in self.extra]
        self.validate()

    @property
    def run_name(self) -> str:
        return self.name or f"ssl-{self.backbone}"

    def run_dir(self) -> Path:
        """``<runs_dir>/<run_name>``."""
        from fosp_core.paths import runs_dir

        root = Path(self.runs_dir).expanduser() if self.runs_dir else runs_dir()
        return root / self.run_name

    def data_path(self, path: str) -> Path:
        """A data path made absolute (relative ones are taken from ``data_root``)."""
        p = Path(path).expanduser()
        return p if p.is_absolute() else (Path(self.data_root).expanduser() / p).resolve()

    def validate(self) -> None:
        """Raise `SSLConfigError` naming the first bad setting."""
        def bad(key: str, why: str) -> SSLConfigError:
            return SSLConfigError(f"{key} = {getattr(self, key)!r}: {why}")

        if self.backbone not in MIT_CONFIGS:
            raise bad("backbone", f"expected one of {', '.join(sorted(MIT_CONFIGS))}")
        for key in ("iterations", "batch_size", "mask_block", "frame_step"):
            if int(getattr(self, key)) < 1:
                raise bad(key, "must be at least 1")
        for key in ("warmup_iters", "threads", "workers", "seed", "probe_size", "log_every", "save_every"):
            if int(getattr(self, key)) < 0:
                raise bad(key, "must not be negative")
        if self.crop < 64 or self.crop % 32 or self.crop % self.mask_block:
            raise bad("crop", f"must be at least 64 and a multiple of 32 and of mask_block ({self.mask_block})")
        if not 0.0 < self.mask_ratio < 1.0:
            raise bad("mask_ratio", "must lie strictly between 0 and 1")
        if not 0 < self.scale[0] <= self.scale[1]:
            raise bad("scale", "must be (min, max) long sides with 0 < min <= max")
        if self.lr <= 0 or self.min_lr < 0 or self.min_lr > self.lr:
            raise bad("lr", f"must be > 0 and >= min_lr ({self.min_lr})")
        for key in ("weight_decay", "grad_clip", "synthetic_weight", "drop_path_rate"):
            if float(getattr(self, key)) < 0:
                raise bad(key, "must not be negative")
        if not (self.smoke5k or self.smokeseg or self.videos or self.extra):
            raise SSLConfigError("no image source: smoke5k, smokeseg, videos and extra are all empty")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the data paths made absolute (a resume from elsewhere still finds them)."""
        out = dataclasses.asdict(self)
        out["data_root"] = str(Path(self.data_root).expanduser().resolve())
        out["scale"] = list(self.scale)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "settings") -> SSLConfig:
        """Build and validate with the training config's strict typed builder
        (`fosp_core.train.typed`): unknown keys, wrong types and bad values raise `SSLConfigError`."""
        from fosp_core.train.typed import build_dataclass

        try:
            return build_dataclass(cls, dict(data), source, error=SSLConfigError)
        except SSLConfigError:
            raise
        except (TypeError, ValueError) as exc:
            raise SSLConfigError(f"{source}: {exc}") from exc
