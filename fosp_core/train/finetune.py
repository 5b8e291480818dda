"""Fine-tune a FoSp checkpoint on a labelled dataset (what the app's "Fine-tune" dialog runs).

    plan = plan_finetune(FineTuneRequest(dataset=Path("my-export"), init_from=Path("model.safetensors")))
    subprocess.run(plan.command())          # `fosp train <run>/recipe.toml --export-default <run>/<run>.safetensors`
    reader = ProgressReader(plan.run_dir)   # poll: reader.poll() -> TrainProgress

The plan checks everything a user can get wrong before any training starts (the dataset folder, its
splits and labels, the checkpoint), writes a complete recipe (`small-cpu` with the user's data only,
the checkpoint's own architecture, `model.init_from`) into the run folder, and names the command
that trains it in a separate process, so a crash or a stop never takes the app down. Stopping is
an interrupt (the trainer saves `last.pt`); `resume=True` continues the same run. At the end the
trainer exports the best weights (or the last, when the dataset has no `val` split) as fp16
safetensors plus a model card: `plan.model_out` (`<run>/<run name>.safetensors`, `exported_weights`),
which the model panel opens like any checkpoint.
The card names the checkpoint the run started from and what that one was trained on
(`data.started_from`), and says when the exported weights are the start's own (`weights.same_as_start`:
no validation beat the start's, measured at iteration 0).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fosp_core.train.config import Config, dump_toml, load_config
from fosp_core.train.warmup import short_warmup

__all__ = ["FineTuneError", "FineTunePlan", "FineTuneRequest", "ProgressReader", "RunExists", "TrainProgress",
           "discard_plan", "exported_weights", "plan_finetune"]


class FineTuneError(ValueError):
    """The dataset or the checkpoint cannot be fine-tuned on; the message says why and what to do."""


class RunExists(FineTuneError):
    """A new run's name is taken: its folder holds a `stopped` run (a state, no weights exported: Resume
    continues it) or a finished one (its weights exported); `run_dir` is that folder."""

    def __init__(self, run_dir: Path, stopped: bool) -> None:
        self.run_dir, self.stopped = run_dir, stopped
        if stopped:
            words = (f"a run named {run_dir.name} already exists in {run_dir.parent}, stopped (its state saved): "
                     "Resume continues it; or choose another run name")
        else:
            words = (f"a run named {run_dir.name} already exists in {run_dir.parent}, finished (its weights: "
                     f"{exported_weights(run_dir)}): choose another run name, or leave it empty for an automatic one")
        super().__init__(words)


@dataclass
class FineTuneRequest:
    """What the user chose. dataset: a SmokeSeg/VOC folder (e.g. an annotation export), SMOKE5K
    folder or labelled image folder; its `train` split trains (every labelled image when it has no
    split lists) and its `val` split, when present, validates and picks the best weights."""

    dataset: Path
    init_from: Path  # a checkpoint file, or a run folder (`fosp_core.checkpoint.resolve_checkpoint`)
    iterations: int = 300
    lr: float = 1e-4
    crop: int = 256
    batch_size: int = 4
    device: str = "auto"
    name: str = ""
    runs_dir: str = ""
    resume: bool = False
    overrides: list[str] = field(default_factory=list)  # more `key=value` recipe overrides, applied last


@dataclass
class FineTunePlan:
    config: Config
    run_dir: Path
    recipe: Path
    model_out: Path
    train_images: int
    val_images: int
    resume: bool = False
    #: The dataset lists a val split but no train split, so every labelled image trains, the val
    #: images too: their scores then say how well it fits them, not how it does on new images.
    val_in_train: bool = False
    #: How the start was found when the request named a run folder (which of its files is used), else "".
    checkpoint_note: str = ""
    #: (inode, mtime_ns) of the recipe this plan wrote (None: it wrote none, a resume): `discard_plan`
    #: removes that file only, never one a later Start of the same name wrote over it.
    written: tuple[int, int] | None = None

    def command(self, python: str = sys.executable) -> list[str]:
        """The process to start: `fosp train` on the written recipe, exporting at the end."""
        cmd = [python, "-m", "fosp_core", "train", str(self.recipe), "--export-default", str(self.model_out),
               "--quiet"]
        return cmd + (["--resume"] if self.resume else [])


def _split_ids(dataset: Path, split: str) -> int | None:
    """Ids listed in a SmokeSeg split file, or None when the dataset has no such list."""
    path = dataset / "ImageSets" / "Segmentation" / f"{split}.txt"
    try:
        if not path.is_file():
            return None
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except OSError as exc:  # there, not readable (no permission): said as such, not as an unexpected failure
        raise FineTuneError(_unreadable(dataset, exc, path)) from exc


def _unreadable(dataset: Path, exc: OSError, path: object = None) -> str:
    return f"cannot read the dataset {dataset}: {exc.filename or path}: {exc.strerror or exc}"


def _architecture(checkpoint: Path) -> tuple[str, dict[str, Any]]:
    """(registry name, overrides) that rebuild the checkpoint's network."""
    from fosp_core.checkpoint import CheckpointError, read_metadata
    from fosp_core.checkpoint_files import EXPECTED_CHECKPOINT, TRAIN_STATE_FORMAT
    from fosp_core.model.registry import available_models, model_config

    try:
        meta = read_metadata(checkpoint)  # the header only: planning runs on the app's GUI thread
    except (CheckpointError, OSError) as exc:
        raise FineTuneError(f"cannot start from {checkpoint}: {exc}") from exc
    if meta.get("kind", "model") != "model":
        raise FineTuneError(f"{checkpoint} holds {meta.get('kind')!r} weights, not a FoSp model")
    name = meta.get("model_name", "")
    if meta.get("format") == TRAIN_STATE_FORMAT:  # a run's last.pt: its folder or best.safetensors is the model
        raise FineTuneError(f"{checkpoint}: a training state of `fosp train`, not a model checkpoint: start from "
                            f"the run's best.safetensors ({checkpoint.parent / 'best.safetensors'}) or its folder")
    if not name and "config" not in meta:  # weights another tool saved (a state dict, a hub SegFormer): as predict
        raise FineTuneError(f"{checkpoint}: not a FoSp checkpoint (weights saved by another tool?): give "
                            f"{EXPECTED_CHECKPOINT}")
    if name not in available_models():
        raise FineTuneError(f"{checkpoint}: unknown model variant {name!r}; expected one of "
                            f"{', '.join(available_models())}")
    try:
        saved = json.loads(meta.get("config", "{}"))
    except ValueError as exc:
        raise FineTuneError(f"{checkpoint}: unreadable model config in its metadata ({exc})") from exc
    default = model_config(name).to_dict()
    overrides = {k: v for k, v in saved.items() if k in default and k != "name" and default[k] != v}
    return name, overrides


def _default_name(dataset: Path) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in dataset.name)[:40] or "dataset"
    return f"finetune-{stem}-{time.strftime('%Y%m%d-%H%M%S')}"


def plan_finetune(req: FineTuneRequest) -> FineTunePlan:
    """Check the request and write `<run>/recipe.toml`; raises `FineTuneError` with a clear reason."""
    from fosp_core.checkpoint import CheckpointError, resolve_checkpoint
    from fosp_core.train.config import ConfigError
    from fosp_core.train.data import DataError, open_sources

    dataset = Path(req.dataset).expanduser().resolve()
    init_from = Path(req.init_from).expanduser().resolve()
    try:
        if dataset.exists() and not dataset.is_dir():
            raise FineTuneError(f"{dataset} is a file; the dataset is the folder of an export (JPEGImages, "
                                "SegmentationClass, ImageSets)")
        if not dataset.is_dir():
            raise FineTuneError(f"dataset folder {dataset} does not exist")
    except OSError as exc:  # a folder above it that cannot be searched (EACCES: Path.exists raises it)
        raise FineTuneError(_unreadable(dataset, exc)) from exc
    if not init_from.exists():
        raise FineTuneError(f"checkpoint {init_from} does not exist")
    try:
        init_from, checkpoint_note = resolve_checkpoint(init_from)  # a run folder: its weights
    except CheckpointError as exc:
        raise FineTuneError(str(exc)) from exc
    if req.iterations < 1:
        raise FineTuneError(f"iterations must be at least 1, got {req.iterations}")
    name_, overrides_ = _architecture(init_from)
    n_train, n_val = _split_ids(dataset, "train"), _split_ids(dataset, "val")
    if n_train == 0:
        raise FineTuneError(f"{dataset}: its train split is empty; export some labelled images to train first")
    train_spec: dict[str, Any] = {"path": str(dataset), "split": "train" if n_train is not None else ""}
    val_specs: list[dict[str, Any]] = [{"path": str(dataset), "split": "val"}] if n_val else []
    name = req.name or _default_name(dataset)
    val_every = max(25, req.iterations // 4) if val_specs else 0
    overrides = [
        f"name={json.dumps(name)}",
        f"data.root={json.dumps(str(dataset.parent))}",
        f"data.train=[{_inline(train_spec)}]",
        f"data.val=[{', '.join(_inline(v) for v in val_specs)}]",
        f"data.crop={req.crop}",
        f"model.name={json.dumps(name_)}",
        f"model.overrides={_inline(overrides_)}",
        f"model.init_from={json.dumps(str(init_from))}",
        'model.inpainter=""',
        f"optim.lr={req.lr!r}",
        f"optim.warmup_iters={short_warmup(req.iterations)}",  # a time limit fits it to the run it allows
        f"train.iterations={req.iterations}",
        f"train.batch_size={req.batch_size}",
        f"train.device={json.dumps(req.device)}",
        'train.precision="auto"',
        "train.threads=0",
        "train.log_every=5",
        f"train.val_every={val_every}",
        f"train.val_at_start={'true' if val_specs else 'false'}",
        'train.best_metric="fbeta"',  # the dataset's own val split (the recipe's selection set is not there)
        f"train.save_every={max(10, min(50, req.iterations // 10))}",
    ]
    if req.runs_dir:
        overrides.append(f"runs_dir={json.dumps(str(req.runs_dir))}")
    overrides += list(req.overrides)
    try:
        cfg = load_config("small-cpu", overrides)
    except ConfigError as exc:
        raise FineTuneError(str(exc)) from exc
    try:
        train = open_sources(cfg, "train")
        val = open_sources(cfg, "val") if val_specs else []
    except (DataError, ConfigError) as exc:
        reason = str(exc).split(".path: ", 1)[-1]  # drop the recipe file and key: the user chose a folder
        raise FineTuneError(reason if str(dataset) in reason else f"{dataset}: {reason}") from exc
    except OSError as exc:  # a folder of it that cannot be listed (no permission)
        raise FineTuneError(_unreadable(dataset, exc)) from exc
    n_train_found = sum(s.size for s in train)
    if n_train_found == 0:
        raise FineTuneError(f"{dataset}: no labelled training images (a mask PNG per image) found")
    run_dir = cfg.run_dir()
    if not req.resume and ((run_dir / "last.pt").exists() or exported_weights(run_dir).exists()):
        raise RunExists(run_dir, stopped=not exported_weights(run_dir).exists())  # its weights are never replaced
    if req.resume and not (run_dir / "last.pt").exists():
        raise FineTuneError(f"nothing to resume: {run_dir} holds no training state")
    recipe = run_dir / "recipe.toml"
    written = None
    if not req.resume:
        from fosp_core.io.atomic import write_atomic

        try:
            run_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(recipe, dump_toml(cfg.to_dict()).encode())
            written = _stamp(recipe)
        except OSError as exc:  # a read-only, missing or full runs folder: said before anything runs
            raise FineTuneError(f"cannot write the run folder {run_dir} ({exc.strerror or exc}): runs are kept "
                                f"in {run_dir.parent}, which must be writable (FOSP_CACHE moves it)") from exc
    return FineTunePlan(cfg, run_dir, recipe, exported_weights(run_dir), n_train_found,
                        sum(s.size for s in val), resume=req.resume, val_in_train=n_train is None and bool(val_specs),
                        checkpoint_note=checkpoint_note, written=written)


def discard_plan(plan: FineTunePlan) -> bool:
    """Undo what planning wrote for a run that will not start (Start was stopped while it planned):
    the run folder goes when it holds only the recipe this plan wrote (`written`); a resume's folder,
    one holding anything else, or a recipe written since (a new Start of the same name) is left as it
    is. True when the folder was removed."""
    run_dir = plan.run_dir
    if plan.written is None:
        return False
    try:
        if [p.name for p in run_dir.iterdir()] != [plan.recipe.name] or _stamp(plan.recipe) != plan.written:
            return False
        plan.recipe.unlink()
        run_dir.rmdir()
    except OSError:  # gone already, or something appeared meanwhile (a run started under its name)
        return False
    return True


def _stamp(path: Path) -> tuple[int, int]:
    """(inode, mtime_ns) of `path`: which write a file is."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def exported_weights(run_dir: Path) -> Path:
    """Where a fine-tune's exported weights go: `<run>/<run name>.safetensors` (its card beside it,
    `<run name>.card.json`), so the Model panel tells fine-tunes apart by their file names. A run
    named like one of its own files (`best`) exports `model.safetensors`, as every run did before."""
    name = run_dir.name
    return run_dir / ("model.safetensors" if name in ("best", "last", "") else f"{name}.safetensors")


def _inline(value: Any) -> str:
    """A TOML inline value (tables, lists, strings, numbers, bools) for an override."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)


@dataclass
class TrainProgress:
    """What a run's log says so far: loss points, validation points, the last iteration."""

    planned: int = 0
    iteration: int = 0
    losses: list[tuple[int, float]] = field(default_factory=list)
    scores: list[tuple[int, float]] = field(default_factory=list)  # (iteration, F_beta of the first val source)
    sec_per_iter: float | None = None
    best: tuple[int, float] | None = None
    started_at: float | None = None  # wall time the trainer last logged its start or resume (model, data loaded)

    @property
    def start_score(self) -> float | None:
        """The starting weights' F_beta (validated at iteration 0), when the run measured it."""
        return next((score for it, score in self.scores if it == 0), None)

    @property
    def eta_seconds(self) -> float | None:
        if self.sec_per_iter is None or not self.planned:
            return None
        return max(0, self.planned - self.iteration) * self.sec_per_iter


class ProgressReader:
    """Reads `<run>/log.jsonl` incrementally (only the bytes added since the last poll)."""

    def __init__(self, run_dir: Path, planned: int = 0):
        self.path = Path(run_dir) / "log.jsonl"
        self.progress = TrainProgress(planned=planned)
        self._offset = 0
        self._partial = b""

    def poll(self) -> TrainProgress:
        try:
            with self.path.open("rb") as f:
                size = f.seek(0, 2)
                if size < self._offset:  # the log was truncated (a resume rewinds it): read it again
                    self._offset, self._partial = 0, b""
                    self.progress = TrainProgress(planned=self.progress.planned)
                f.seek(self._offset)
                chunk = f.read()
        except FileNotFoundError:
            return self.progress
        self._offset += len(chunk)
        lines = (self._partial + chunk).split(b"\n")
        self._partial = lines.pop()
        self._apply(lines)
        return self.progress

    def _apply(self, lines: Sequence[bytes]) -> None:
        p = self.progress
        for line in lines:
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            it = int(rec.get("iter", 0))
            kind = rec.get("type")
            if kind == "event" and rec.get("event") in ("start", "resume"):
                p.started_at = float(rec.get("time", 0.0))
            elif kind == "event" and rec.get("event") == "stopped":  # `stopped.STOPPED_EVENT`: the saved state's
                p.iteration = max(p.iteration, it)  # iteration, past the last logged one
            elif kind == "event" and rec.get("event") == "time_budget" and rec.get("iterations"):
                p.planned = int(rec["iterations"])  # train.time_budget_s fitted the run's length
            elif kind == "train" and "loss" in rec:
                # the log writes a NaN loss or score as null: no point on the curve, the iteration counts
                p.losses = [pt for pt in p.losses if pt[0] < it]
                if rec["loss"] is not None:
                    p.losses.append((it, float(rec["loss"])))
                p.iteration = it
                if rec.get("sec_per_iter") is not None:
                    p.sec_per_iter = float(rec["sec_per_iter"])
            elif kind == "val":
                score = rec.get("fbeta")
                if score is not None:
                    score = float(score)
                    p.scores = [pt for pt in p.scores if pt[0] < it] + [(it, score)]
                    if p.best is None or score > p.best[1]:
                        p.best = (it, score)
