"""Training configs: typed dataclasses, a strict TOML loader and `key=value` overrides.

A config is a TOML file (bundled ones live in `fosp_core/configs/`, addressed by name, e.g.
`small-cpu`). A file may start from another one with `base = "<name or path>"`; tables merge
deeply, lists replace. Every key is checked against the dataclasses below: an unknown key or a
value of the wrong type raises `ConfigError` naming the dotted key, the expected type and where
the value came from (the file, or the command-line override).

Overrides are `dotted.key=value` strings; the value is read as a TOML literal (`200`, `6e-4`,
`true`, `[0.5, 2.0]`, `"text"`) and, when that fails, taken as a plain string. List items are
addressed by index: `data.train.0.weight=0.5`.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from fosp_core.train.typed import build_dataclass, dump_toml, value_origin

__all__ = ["Config", "ConfigError", "DataConfig", "DatasetSpec", "InpainterConfig", "ModelConfig", "OptimConfig",
           "TrainConfig", "bundled_configs", "config_from_dict", "dump_toml", "load_config", "parse_override",
           "resolve_config_path"]

CONFIG_DIR = Path(__file__).resolve().parents[1] / "configs"


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
    best_metric: validation key that picks the best checkpoint (higher is better): a headline key
        (`fbeta`: the first validation source's total F_β) or `<source>/<split>/<score>`, e.g. a
        selection set kept apart from the reported validation (see the small-cpu recipe).
    ema_decay: keep an exponential moving average of the weights with this decay (0 = off; e.g.
        0.999). Validation, the best checkpoint and `fosp train-export` then use the averaged
        weights; `ema_validate_raw` also validates the raw weights (logged as `raw/<metric>`).
    val_at_start: validate the starting weights at iteration 0 of a fresh run (a fine-tune's
        baseline on the same images; they become the best checkpoint until training beats them).
    time_budget_s: wall-clock budget of this invocation's training, counted from the start of the
        loop (0 = none). After a few iterations the run measures its pace (training steps, and the
        cost of a validation once one has run) and sets its length so that the remaining steps,
        validations and the final one end within the budget; it never runs past `iterations`. The
        lr schedule decays to its end over the length it settles on, which config.toml records.
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

    def run_dir(self) -> Path:
        """The run folder: `runs_dir` (or `fosp_core.paths.runs_dir()`) / name."""
        from fosp_core.paths import runs_dir

        root = Path(self.runs_dir).expanduser() if self.runs_dir else runs_dir()
        return root / self.name

    def data_path(self, spec: DatasetSpec) -> Path:
        """Absolute path of a dataset spec, relative paths resolved against `data.root`."""
        p = Path(spec.path).expanduser()
        return p if p.is_absolute() else (Path(self.data.root).expanduser() / p).resolve()

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (TOML/JSON-ready) of every field except internal ones."""
        out = dataclasses.asdict(self)
        out.pop("source", None)
        return _plain(out)


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


# ----------------------------------------------------------------------------------------- loading


def resolve_config_path(name_or_path: str | Path) -> Path:
    """A path to an existing file, or the name of a bundled config (`small-cpu` or `small-cpu.toml`)."""
    p = Path(name_or_path).expanduser()
    if p.is_file():
        return p
    bundled = CONFIG_DIR / (p.name if p.suffix == ".toml" else p.name + ".toml")
    if bundled.is_file() and len(p.parts) == 1:
        return bundled
    names = ", ".join(sorted(f.stem for f in CONFIG_DIR.glob("*.toml")))
    raise ConfigError(f"config {str(name_or_path)!r} not found (not a file; bundled configs: {names})")


def bundled_configs() -> list[str]:
    """Names of the configs shipped in `fosp_core/configs/`."""
    return sorted(f.stem for f in CONFIG_DIR.glob("*.toml"))


def _read_toml(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    path = path.resolve()
    if path in seen:
        raise ConfigError(f"{path}: `base` chain loops back to itself")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    base = raw.pop("base", None)
    if base is None:
        return raw
    if not isinstance(base, str):
        raise ConfigError(f"{path}: key 'base' must be str (a bundled config name or a path)")
    base_path = Path(base).expanduser()
    if not base_path.is_absolute() and (path.parent / base_path).is_file():
        base_path = path.parent / base_path
    merged = _read_toml(resolve_config_path(base_path), seen + (path,))
    return _deep_merge(merged, raw)


def _deep_merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        out[k] = _deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def parse_override(text: str) -> tuple[list[str], Any]:
    """`"train.iterations=200"` -> (["train", "iterations"], 200). Values are TOML literals or strings."""
    if "=" not in text:
        raise ConfigError(f"override {text!r} must look like key=value (e.g. train.iterations=200)")
    key, value = text.split("=", 1)
    key = key.strip()
    if not key or any(not part for part in key.split(".")):
        raise ConfigError(f"override {text!r}: empty key")
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value.strip()
    return key.split("."), parsed


def _apply_override(raw: dict[str, Any], parts: list[str], value: Any, text: str) -> None:
    node: Any = raw
    for part in parts[:-1]:
        if isinstance(node, list):
            node = _list_item(node, part, text)
            continue
        if part not in node or not isinstance(node[part], dict | list):
            node[part] = {}
        node = node[part]
    last = parts[-1]
    if isinstance(node, list):
        idx = _list_index(node, last, text)
        node[idx] = value
    else:
        node[last] = value


def _list_index(node: list, part: str, text: str) -> int:
    if not part.isdigit() or int(part) >= len(node):
        raise ConfigError(f"override {text!r}: {part!r} is not an index of a list of {len(node)} items")
    return int(part)


def _list_item(node: list, part: str, text: str) -> Any:
    return node[_list_index(node, part, text)]


def load_config(name_or_path: str | Path, overrides: list[str] | None = None) -> Config:
    """Read, merge (`base`), override and validate a config; raises `ConfigError` on any problem."""
    path = resolve_config_path(name_or_path)
    raw = _read_toml(path)
    over_keys: dict[str, str] = {}
    for text in overrides or []:
        parts, value = parse_override(text)
        _apply_override(raw, parts, value, text)
        over_keys[".".join(parts)] = text
    cfg = config_from_dict(raw, source=str(path), override_sources=over_keys)
    cfg.source = str(path)
    return cfg


def config_from_dict(
    raw: dict[str, Any], source: str = "<dict>", override_sources: dict[str, str] | None = None
) -> Config:
    """Validate a plain dict against `Config`; errors name the key, expected type and source."""
    cfg = build_dataclass(Config, raw, source, override_sources or {}, ConfigError)
    _check_values(cfg, source, override_sources or {})
    return cfg


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


def _check_values(cfg: Config, source: str, overrides: dict[str, str]) -> None:
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
        source = cfg.train.best_metric.split("/", 1)[0]
        if source not in names:
            raise bad("train.best_metric", f"names validation source {source!r}, but the validation sources are "
                                           f"{names} (or use a headline key such as 'fbeta')")
    if not cfg.name or "/" in cfg.name or cfg.name in (".", ".."):
        raise bad("name", f"must be a plain folder name, got {cfg.name!r}")
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
