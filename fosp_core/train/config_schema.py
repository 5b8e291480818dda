"""The training config's typed dataclasses (one per TOML table) and `ConfigError`.

Each field's meaning is in its class's docstring; `fosp_core.train.config` reads a TOML file into
these (strictly: unknown keys and wrong types raise `ConfigError`) and `config_checks` bounds the
values a type alone does not.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

__all__ = ["Config", "ConfigError", "DataConfig", "DatasetSpec", "InpainterConfig", "ModelConfig", "OptimConfig",
           "TrainConfig"]


class ConfigError(ValueError):
    """A config file or override is malformed; the message names the key, the type and the source."""


@dataclass
class DatasetSpec:
    """One training or validation source.

    path: dataset folder (SmokeSeg/VOC or SMOKE5K layout, or backgrounds for `kind="synthetic"`);
        relative paths are resolved against `data.root`.
    weight: share of training draws taken from this source (normalised over all sources).
    split: "" for every labelled image, a list name of the dataset ("train", "val", "test", ...),
        or a named split such as "scene-train" / "scene-val" (held-out SMOKE5K scenes), or
        "scene-fit" / "scene-pick" (scene-train less a pool of its scenes / that pool, for choosing
        among runs that never saw it: bench/make_pick_split.py).
    kind: "auto" (detect the layout), "smokeseg", "smoke5k", "folder", or "synthetic" (early smoke
        composited on the fly over the images of `path`, labelled smoke kept out).
    subset: SMOKE5K only: "all", "real" (camera photos) or "synthetic" (names <digits>_<digits>).
    max_items: use at most this many images (0 = all); handy for quick validation.
    hard_negatives: training only: a file of `fosp train-mine` (where a model flagged smoke far from
        labelled smoke in this source's images); the source then draws only those images, each crop
        centred near one of the flagged places (see `fosp_core.train.hard_negatives`).
    hard_positives: training only: a file of `fosp train-mine --misses` (where a model missed
        labelled smoke in this source's images); drawn the same way, crops centred on missed smoke.
    """

    path: str
    weight: float = 1.0
    split: str = ""
    kind: str = "auto"
    subset: str = "all"
    max_items: int = 0
    hard_negatives: str = ""
    hard_positives: str = ""

    @property
    def source_name(self) -> str:
        """How validation names this source in its metric keys, e.g. `smoke5k-train[scene-val]`."""
        name = PurePath(self.path).name or self.path
        return name + (f"[{self.split}]" if self.split else "") + ("" if self.subset == "all" else f"<{self.subset}>")


@dataclass
class ModelConfig:
    """Which network to train and where its weights start.

    name: registry name (`fosp-s`, `fosp`, `segformer-b0`, ...); overrides go to `build_model`.
    init_from: a FoSp checkpoint (safetensors) to fine-tune or continue, e.g. committed defaults.
    pretrained_backbone: ImageNet MiT weights the user owns (HF or mmseg file names).
    inpainter: pre-trained inpainter weights (from `fosp train-inpainter`), loaded frozen.
    """

    name: str = "fosp-s"
    overrides: dict[str, Any] = field(default_factory=dict)
    init_from: str = ""
    pretrained_backbone: str = ""
    inpainter: str = ""
    sync_bn: bool = False
    channels_last: bool = True


@dataclass
class DataConfig:
    """Data sources and augmentation.

    crop: square training crop in pixels. ratio_range: random rescale range (paper 0.5-2.0) applied
    to `scale` (long side in pixels before the random ratio; 0 keeps the image size).
    cat_max_ratio: a crop is re-drawn (up to 10 times) when one class fills more than this share.
    smoke_crop_prob: probability of centring the crop on labelled smoke (small-machine recipe).
    crop_schedule: progressive resizing, `[[iteration, crop], ...]`: from that iteration on, crops of
        `crop` px are cut from images scaled by crop / `data.crop` (the same view at a lower or
        higher resolution); before the first entry, `data.crop`. E.g. [[0, 160], [1000, 256]].
        An entry `[iteration, crop, scale]` sets the long side before the random ratio instead
        (`data.scale` for that entry: the same resolution, a wider or narrower view), e.g.
        `[[0, 256], [150, 384, 640], [160, 256]]` with `data.scale = 640` shows 384 px of the
        640 px copy for ten iterations. An entry `[iteration, crop, scale, context]` also leaves
        `context` px at each side out of the loss (label 255): `[150, 384, 640, 64]` supervises the
        central 256 px of the 640 px copy, as `[150, 256]` does, and shows the network 64 px around it.
    workers: data loader worker processes per training process.
    """

    root: str = "."
    crop: int = 512
    scale: int = 0
    ratio_range: tuple[float, float] = (0.5, 2.0)
    cat_max_ratio: float = 0.75
    smoke_crop_prob: float = 0.0
    crop_schedule: list[tuple[int, ...]] = field(default_factory=list)
    workers: int = 2
    train: list[DatasetSpec] = field(default_factory=list)
    val: list[DatasetSpec] = field(default_factory=list)


@dataclass
class OptimConfig:
    """AdamW with per-group lr and weight decay, poly decay after a linear warm-up.

    The backbone trains at `lr`, everything else (the "head") at `lr * head_lr_mult`. Norm weights,
    biases and position-block parameters get no weight decay (see `fosp_core.train.optim`).
    """

    lr: float = 6e-5
    head_lr_mult: float = 10.0
    weight_decay: float = 0.01
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    warmup_iters: int = 1500
    warmup_ratio: float = 1e-6
    power: float = 1.0
    min_lr: float = 0.0
    grad_clip: float = 0.0


@dataclass
class TrainConfig:
    """The loop: length, batch, precision, logging and validation cadence.

    batch_size is per process (under torchrun the global batch is batch_size x world size).
    device: "auto" (CUDA when present, else CPU), "cpu", "cuda", "cuda:1", "mps".
    precision: "auto" (bf16 on CUDA GPUs that support it, fp16 with loss scaling on older ones,
    bf16 on CPUs with AMX, fp32 on other CPUs), "fp32", "bf16", "fp16". Validation on a CPU is
    always fp32.
    threads: torch CPU threads (0 = leave torch's default).
    val_every / save_every / log_every: in iterations (0 disables periodic validation/saving).
    val_size: validation images are resized so the long side is this (0 = native size).
    best_metric: validation key that picks the best checkpoint: a headline key (`fbeta`: the first
        validation source's total F_β) or `<source>/<split>/<score>`, e.g. a selection set kept
        apart from the reported validation (see the small-cpu recipe). Higher is better, except for
        the errors and false-alarm shares, where lower is: `mse`, `far_fp`, `crops_flagged`,
        `crops_flagged_scenes`, the inpainter's `hole_l1` and `known_l1`
        (`fosp_core.train.best.LOWER_IS_BETTER`).
    ema_decay: keep an exponential moving average of the weights with this decay (0 = off; e.g.
        0.999). Validation, the best checkpoint and `fosp train-export` then use the averaged
        weights; `ema_validate_raw` also validates the raw weights (logged as `raw/<metric>`).
    val_at_start: validate the starting weights at iteration 0 of a fresh run (a fine-tune's
        baseline on the same images; they become the best checkpoint until training beats them).
    time_budget_s: wall-clock budget of this invocation, counted from the command's start (0 =
        none): reading the data and building the model are inside it (`budget`). After a few
        iterations the run measures its pace (training steps, and the cost of a validation: the
        last one run, or for a fresh run one image per validation source scaled to all of them)
        and sets its length so that the remaining steps, validations and the final one end within
        the budget; it never runs past `iterations`. A fresh run's final validation that cannot fit
        is shortened (`val_max_images`, said; `budget_validation`). The
        lr schedule fits the length it settles on, which config.toml records: the warm-up goes on
        from the lr reached at the fit (no jump) at the slope of one a fifth of the run long, or
        the recipe's if steeper (`fosp_core.train.warmup`), and the lr decays from `optim.lr` at
        the warm-up's end to its end.
        For a lent machine's fixed time: `train.iterations=100000 train.time_budget_s=480`.
    """

    iterations: int = 40000
    batch_size: int = 6
    grad_accum: int = 1
    seed: int = 0
    device: str = "auto"
    precision: str = "auto"
    threads: int = 0
    log_every: int = 20
    val_every: int = 2000
    save_every: int = 500
    val_size: int = 512
    val_max_images: int = 0
    best_metric: str = "fbeta"
    ema_decay: float = 0.0
    ema_validate_raw: bool = True
    val_at_start: bool = False
    time_budget_s: float = 0.0
    progress: bool = True


@dataclass
class InpainterConfig:
    """Inpainter pre-training (`fosp train-inpainter`): masked reconstruction of smoke-free pixels.

    hole_kinds: any of "freeform" (random brush strokes) and "block" (rectangles).
    hole_ratio: target share of the crop covered by holes, drawn uniformly in this range.
    smoke_dilate: labelled smoke is grown by this many pixels before it is excluded from targets.
    valid_weight: weight of the reconstruction loss on pixels outside the holes.
    """

    overrides: dict[str, Any] = field(default_factory=dict)
    hole_kinds: list[str] = field(default_factory=lambda: ["freeform", "block"])
    hole_ratio: tuple[float, float] = (0.1, 0.5)
    smoke_dilate: int = 8
    valid_weight: float = 0.1
    val_images: int = 16


@dataclass
class Config:
    """A whole training recipe. `name` names the run folder: <runs_dir>/<name>/."""

    name: str = "run"
    runs_dir: str = ""
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    inpainter: InpainterConfig = field(default_factory=InpainterConfig)
    source: str = field(default="", metadata={"internal": True})
    overridden: dict[str, str] = field(default_factory=dict, metadata={"internal": True})  # key -> override text

    def where(self, *keys: str) -> str:
        """Who set `keys` (the first that was overridden): "command-line override 'k=v'" when one of
        them or a section above it came from the command line, else the recipe file."""
        for key in keys:
            parts = key.split(".")
            for n in range(len(parts), 0, -1):
                text = self.overridden.get(".".join(parts[:n]))
                if text is not None:
                    return f"command-line override {text!r}"
        return self.source or "config"

    def run_dir(self) -> Path:
        """The run folder: `runs_dir` (or `fosp_core.paths.runs_dir()`) / name."""
        from fosp_core.paths import runs_dir
        from fosp_core.train.config_paths import home_path

        root = home_path(self.runs_dir) if self.runs_dir else runs_dir()
        return root / self.name

    def data_path(self, spec: DatasetSpec) -> Path:
        """Absolute path of a dataset spec, relative paths resolved against `data.root`."""
        from fosp_core.train.config_paths import home_path

        p = home_path(spec.path)
        return p if p.is_absolute() else (home_path(self.data.root) / p).resolve()

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (TOML/JSON-ready) of every field except internal ones."""
        out = dataclasses.asdict(self)
        out.pop("source", None)
        out.pop("overridden", None)
        return _plain(out)

    def recorded(self) -> dict[str, Any]:
        """`to_dict()` with the paths a run reads relative to the working folder (data.root, the
        model's init_from / pretrained_backbone / inpainter, runs_dir, the hard-example files) made
        absolute: what a run folder's config.toml and training state record, so that they name the
        same files from any folder (`fosp train RUN/config.toml --resume`, the model card)."""
        from fosp_core.train.config_paths import home_path

        out = self.to_dict()

        def absolute(value: str) -> str:
            return str(home_path(value).absolute()) if value else value

        out["runs_dir"] = absolute(out["runs_dir"])
        out["data"]["root"] = absolute(out["data"]["root"])
        for key in ("init_from", "pretrained_backbone", "inpainter"):
            out["model"][key] = absolute(out["model"][key])
        for group in ("train", "val"):
            for spec in out["data"][group]:
                for key in ("hard_negatives", "hard_positives"):
                    spec[key] = absolute(spec[key])
        return out


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj
