"""Self-supervised pre-training of the MiT encoder by masked-image modelling (`fosp train-ssl`).

No pre-trained weights exist on this project's machines, and only ~1k real images carry labels;
masked-image modelling (`fosp_core.model.mim`, SimMIM-style) lets the encoder learn from every image
at hand - labelled or not, video frames included, validation scenes excluded
(`fosp_core.train.ssl_data`) - before segmentation training starts from it::

    fosp train-ssl --iterations 5000                       # writes <run>/backbone.safetensors
    fosp train small-cpu model.pretrained_backbone=<run>/backbone.safetensors

The run folder ``<runs_dir>/<name>/`` holds ``config.json`` (the settings), ``last.pt`` (model,
optimiser, iteration, RNG states: exact resume), ``backbone.safetensors`` (the encoder alone, native
``MixVisionTransformer`` keys, written with every state save), ``preview.png`` (masked input /
reconstruction / original of the probe crops, at every save) and ``log.jsonl`` (train records with
``loss``, ``lr``, ``sec_per_iter``; probe records with ``probe_l1``, the masked L1 of fixed crops).
Ctrl+C saves the state and the backbone; ``--resume`` continues.
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import cv2
import numpy as np
import torch
from safetensors.torch import save as safetensors_bytes

from fosp_core import __version__
from fosp_core.model.mim import MaskedImageModel
from fosp_core.train.progress import Progress, RunLog, format_duration
from fosp_core.train.run_folder import open_run_folder, unwritable_words
from fosp_core.train.signals import interrupt_after, parent_watch_paused, resume_hint
from fosp_core.train.ssl_config import SSLConfig, SSLConfigError
from fosp_core.train.ssl_data import SSLStream, open_image_sources
from fosp_core.train.state import (
    StateError,
    atomic_write,
    load_state,
    rng_state,
    save_state,
    set_rng_state,
)
from fosp_core.train.step import StepStart

__all__ = ["BACKBONE_FILE", "SSLResult", "SSLTrainer", "SSLTrainingError", "resume_config", "save_backbone"]

BACKBONE_FILE = "backbone.safetensors"
BACKBONE_FORMAT = "fosp-mit-backbone"
TASK = "ssl-mim"
_PROBE_BASE = 2**61  # sample indices of the probe crops, far from any training index


class SSLTrainingError(RuntimeError):
    """The run cannot start or continue (existing state without --resume, diverging loss, ...)."""


class SSLRunFolderError(SSLTrainingError):
    """The run folder holds a state and --resume was not given, or there is no state to resume (a
    usage error: nothing was trained or written)."""


@dataclass
class SSLResult:
    """What a finished or interrupted run reports."""

    run_dir: Path
    iteration: int
    backbone: Path
    probe_l1: float | None
    wall_time: float


def save_backbone(model: MaskedImageModel, path: Path, metadata: Mapping[str, Any]) -> Path:
    """Atomically write the encoder's weights (fp32, native ``stages.*`` keys, i.e. relative to the
    ``MixVisionTransformer``) as safetensors; ``load_pretrained_backbone`` reads it ("fosp" naming)."""
    tensors = {k: v.detach().to("cpu").contiguous().clone() for k, v in model.backbone.state_dict().items()}
    meta = {"format": BACKBONE_FORMAT, "backbone": model.backbone_name, "fosp_core_version": __version__}
    meta.update({str(k): v if isinstance(v, str) else json.dumps(v) for k, v in metadata.items()})
    blob = safetensors_bytes(tensors, metadata=meta)
    atomic_write(path, lambda f: f.write(blob))
    return path


def _state_path(resume: bool | str | Path, run_dir: Path) -> Path:
    path = run_dir / "last.pt" if resume is True else Path(resume).expanduser()
    if path.is_dir():
        path = path / "last.pt"
    if not path.is_file():
        raise SSLRunFolderError(f"nothing to resume: no training state at {path}")
    return path


def resume_config(resume: bool | str | Path, options: Mapping[str, Any]) -> tuple[SSLConfig, Path | None]:
    """(settings, state file to resume from or None).

    A fresh run (resume False) takes ``options`` over the defaults. A resume (True: the run folder
    named by ``options``' name/runs_dir; or a state file / run folder) takes the saved run's
    ``config.json`` and lets ``options`` replace single settings.
    """
    if resume is False:
        return SSLConfig.from_dict(options), None
    guess = SSLConfig.from_dict({k: v for k, v in options.items() if k in ("name", "runs_dir", "backbone")})
    path = _state_path(resume, guess.run_dir())
    saved_file = path.parent / "config.json"
    try:
        saved = json.loads(saved_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise StateError(f"{saved_file}: cannot read the run's settings ({exc})") from exc
    if not isinstance(saved, dict):
        raise StateError(f"{saved_file}: not a settings object")
    saved["runs_dir"] = str(path.parent.parent)
    saved["name"] = path.parent.name
    return SSLConfig.from_dict({**saved, **options}), path


class SSLTrainer:
    """Build the model, optimiser and data from an `SSLConfig` and pre-train (see the module doc).

    resume: None for a fresh run (refused when the run folder already holds ``last.pt``), or the state
        file to continue from (`resume_config` finds it). stream: where progress and messages go
        (stderr by default).
    """

    def __init__(self, cfg: SSLConfig, resume: Path | None = None, stream: TextIO | None = None) -> None:
        from fosp_core.train.loop import pick_device, seed_everything

        self.cfg = cfg
        self.stream = stream if stream is not None else sys.stderr
        self.run_dir = cfg.run_dir()
        if resume is None and (self.run_dir / "last.pt").exists():
            raise SSLRunFolderError(
                f"run folder {self.run_dir} already holds a training state (last.pt); pass --resume to continue "
                "it, or pick another run name (--name) - nothing was overwritten")
        self.device = pick_device(cfg.device, key="--device", error=SSLConfigError)
        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        seed_everything(cfg.seed)
        self.model = MaskedImageModel(cfg.backbone, cfg.drop_path_rate).to(self.device)
        self.optimizer = self._optimizer()
        self.iteration, self.wall_time = 0, 0.0
        self.probe_l1: float | None = None
        self._updating = False
        self.resume_path = None if resume is None else Path(resume)
        if self.resume_path is not None:
            self._load(self.resume_path)
        self.log = RunLog(self.run_dir)

    # ------------------------------------------------------------------------------------ set-up

    def say(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def _optimizer(self) -> torch.optim.AdamW:
        """AdamW; no weight decay on biases, norms and the mask colour (`fosp_core.train.optim.decays`)."""
        from fosp_core.train.optim import decays

        decay, plain = [], []
        for name, p in self.model.named_parameters():
            (decay if decays(name, p) else plain).append(p)
        groups = [{"params": decay, "weight_decay": self.cfg.weight_decay}, {"params": plain, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=self.cfg.lr, betas=(0.9, 0.999))

    def lr_at(self, it: int) -> float:
        """Learning rate of iteration ``it`` (0-based): linear warm-up from 0.1 % of ``lr``, then linear
        decay to ``min_lr`` at ``iterations``."""
        from fosp_core.train.optim import lr_factor

        c = self.cfg
        return c.lr * lr_factor(it, c.iterations, c.warmup_iters, 1e-3, 1.0, c.min_lr / c.lr)

    def _load(self, path: Path) -> None:
        state = load_state(path)
        if state.get("task") != TASK:
            raise StateError(f"{path}: a {state.get('task', 'segmentation')!r} training state, not a "
                             "masked-image-modelling one (fosp train-ssl)")
        saved = (state.get("config") or {}).get("backbone")
        if saved != self.cfg.backbone:
            raise StateError(f"{path}: the run pre-trains {saved!r}, the settings say {self.cfg.backbone!r}")
        try:
            self.model.load_state_dict(state["model"])
            self.optimizer.load_state_dict(state["optimizer"])
        except (RuntimeError, ValueError, KeyError) as exc:
            raise StateError(f"{path}: does not fit this model/optimiser: {exc}") from exc
        self.iteration = int(state["iteration"])
        self.wall_time = float(state.get("wall_time", 0.0))
        self.probe_l1 = state.get("probe_l1")
        set_rng_state(state["rng"])
        self.say(f"resumed {path} at iteration {self.iteration}")

    # -------------------------------------------------------------------------------- state files

    def save(self) -> None:
        """``last.pt`` and ``backbone.safetensors``, both atomic (`CheckpointSaveError` on a full disk)."""
        state = {
            "task": TASK, "iteration": self.iteration, "wall_time": self.wall_time, "probe_l1": self.probe_l1,
            "model": {k: v.detach().to("cpu", copy=True) for k, v in self.model.state_dict().items()},
            "optimizer": self.optimizer.state_dict(), "rng": rng_state(), "config": self.cfg.to_dict(),
        }
        save_state(self.run_dir / "last.pt", state)
        save_backbone(self.model, self.run_dir / BACKBONE_FILE,
                      {"iteration": self.iteration, "probe_l1": self.probe_l1, "run": self.cfg.run_name,
                       "ssl_config": self.cfg.to_dict()})

    # ------------------------------------------------------------------------------------- probe

    def _probe_batch(self, stream: SSLStream) -> tuple[torch.Tensor, torch.Tensor] | None:
        if not self.cfg.probe_size:
            return None
        items = [stream[_PROBE_BASE + i] for i in range(self.cfg.probe_size)]
        return torch.stack([x for x, _ in items]), torch.stack([m for _, m in items])

    @torch.inference_mode()
    def probe(self, batch: tuple[torch.Tensor, torch.Tensor]) -> float:
        """Masked L1 (normalised units) of the fixed probe crops, in eval mode; writes ``preview.png``."""
        was = self.model.training
        self.model.eval()
        try:
            images, masks = (t.to(self.device) for t in batch)
            total, outs = 0.0, []
            for x, m in zip(images.split(8), masks.split(8), strict=True):
                out = self.model(x.float(), m.float())
                total += float(out.loss) * len(x)
                outs.append(out.reconstruction.float())
        finally:
            self.model.train(was)
        write_preview(self.run_dir / "preview.png", images[:4], masks[:4], torch.cat(outs)[:4], self.model)
        return total / len(images)

    # -------------------------------------------------------------------------------------- loop

    def run(self, stop_at: int | None = None) -> SSLResult:
        """Train to ``iterations`` (or save and stop after iteration ``stop_at``); returns the result."""
        from fosp_core.train.data import StepBatchSampler, seed_worker

        cfg = self.cfg
        stream = SSLStream(open_image_sources(cfg), cfg)
        probe = self._probe_batch(stream)
        try:  # started: the folder appears now
            open_run_folder(self.run_dir, cfg.to_json() + "\n", "config.json")
        except OSError as exc:  # a --runs-dir naming a file, a read-only one: said as `fosp train` says it
            raise SSLRunFolderError(unwritable_words(self.run_dir, exc)) from exc
        self.log.truncate_after(self.iteration)
        backbone = self.run_dir / BACKBONE_FILE
        if self.iteration >= cfg.iterations:
            self.say(f"run {cfg.run_name} is complete ({self.iteration} iterations)")
            return SSLResult(self.run_dir, self.iteration, backbone, self.probe_l1, self.wall_time)
        self.say(f"masked-image pre-training of {cfg.backbone} in {self.run_dir}: iterations {self.iteration}->"
                 f"{cfg.iterations}, batch {cfg.batch_size}, crop {cfg.crop}, mask {cfg.mask_ratio:.0%} in "
                 f"{cfg.mask_block}px blocks, {self.device}, {torch.get_num_threads()} threads; data: "
                 f"{stream.describe()}")
        if probe is not None and self.iteration == 0:
            self.probe_l1 = self.probe(probe)
            self.log.write({"type": "probe", "iter": 0, "probe_l1": self.probe_l1})
        end = cfg.iterations if stop_at is None else max(self.iteration, min(stop_at, cfg.iterations))
        loader = torch.utils.data.DataLoader(
            stream, batch_sampler=StepBatchSampler(self.iteration, end, cfg.batch_size),
            num_workers=cfg.workers, worker_init_fn=seed_worker if cfg.workers else None,
            generator=torch.Generator().manual_seed(cfg.seed), prefetch_factor=2 if cfg.workers else None)
        self.log.write({"type": "event", "iter": self.iteration, "event": "resume" if self.resume_path else "start",
                        "device": str(self.device), "threads": torch.get_num_threads(),
                        "data": [{"name": s.name, "size": s.size} for s in stream.sources]})
        progress = Progress(cfg.iterations, self.iteration, cfg.log_every, self.stream, enabled=cfg.progress)
        self.model.train()
        try:
            self._loop(loader, end, progress, probe)
        except KeyboardInterrupt:
            if not self._updating and self.iteration > 0:
                try:
                    with interrupt_after():  # a second stop (Ctrl-C again, SIGTERM after SIGINT): after the save
                        self.save()
                except KeyboardInterrupt:
                    pass  # raised again below; the state is saved, and said
                self.say(f"interrupted: state and {BACKBONE_FILE} saved at iteration {self.iteration}; "
                         + resume_hint())
            raise
        self.say(f"done: {self.iteration} iterations, wall time {format_duration(self.wall_time)}; "
                 f"probe L1 {self.probe_l1}; backbone: {backbone}")
        return SSLResult(self.run_dir, self.iteration, backbone, self.probe_l1, self.wall_time)

    def _loop(self, loader: Any, end: int, progress: Progress,
              probe: tuple[torch.Tensor, torch.Tensor] | None) -> None:
        cfg = self.cfg
        window, n_window, bad = 0.0, 0, 0
        t_last = time.perf_counter()
        with parent_watch_paused():  # a run the app started: no watch thread alive as the workers fork
            batches = iter(loader)
        for images, masks in batches:
            loss = self._step(images, masks)
            if math.isfinite(loss):
                window, n_window, bad = window + loss, n_window + 1, 0
            else:
                bad += 1
                if bad >= 5:
                    raise SSLTrainingError(f"loss is not finite for 5 iterations in a row at iteration "
                                           f"{self.iteration}; last good state: {self.run_dir / 'last.pt'}")
            now = time.perf_counter()
            self.wall_time += now - t_last
            t_last = now
            sec = progress.tick(self.iteration)
            lr = self.optimizer.param_groups[0]["lr"]
            it = self.iteration
            progress.update(it, f"loss {window / max(n_window, 1):.4f} lr {lr:.2e}")
            if it % max(cfg.log_every, 1) == 0 or it == end:
                self.log.write({"type": "train", "iter": it, "loss": window / max(n_window, 1), "lr": lr,
                                "sec_per_iter": sec, "wall_time": round(self.wall_time, 1)})
                window, n_window = 0.0, 0
            if (cfg.save_every and it % cfg.save_every == 0) or it == end:
                if probe is not None:
                    self.probe_l1 = self.probe(probe)
                    self.log.write({"type": "probe", "iter": it, "probe_l1": self.probe_l1})
                    progress.message(f"iteration {it}: probe masked L1 {self.probe_l1:.4f}")
                self.save()
                t_last = time.perf_counter()

    def _step(self, images: torch.Tensor, masks: torch.Tensor) -> float:
        """One AdamW step on a batch (bf16 autocast on CUDA); returns the loss (NaN: step skipped)."""
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr_at(self.iteration)
        images = images.to(self.device, non_blocking=True).float()
        masks = masks.to(self.device, non_blocking=True).float()
        self.optimizer.zero_grad(set_to_none=True)
        before = StepStart(self.model)  # a stop in the forward: the RNG states (drop path) put back
        try:
            with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.device.type == "cuda"):
                loss = self.model(images, masks).loss
            value = float(loss.detach())
        except KeyboardInterrupt:
            before.put_back()
            raise
        with interrupt_after():  # a stop here (most of a step) lands after the update: a whole state to save
            self._updating = True  # (where it cannot be held back, a torn state is not saved)
            if math.isfinite(value):
                loss.backward()
                if self.cfg.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.cfg.grad_clip)
                self.optimizer.step()
            self.iteration += 1
            self._updating = False
        return value


def write_preview(path: Path, images: torch.Tensor, masks: torch.Tensor, reconstruction: torch.Tensor,
                  model: MaskedImageModel) -> None:
    """A PNG with one row per crop: masked input | reconstruction (masked pixels only) | original."""
    rec = (reconstruction * model.pixel_std + model.pixel_mean).clamp(0, 255)
    m = masks.float()
    orig = images.float()
    masked = orig * (1 - m) + 127.0 * m
    filled = orig * (1 - m) + rec * m
    rows = [torch.cat([a, b, c], dim=2) for a, b, c in zip(masked, filled, orig, strict=True)]
    grid = torch.cat(rows, dim=1).permute(1, 2, 0).to("cpu", torch.uint8).numpy()
    ok, png = cv2.imencode(".png", np.ascontiguousarray(grid[:, :, ::-1]))
    if ok:
        atomic_write(path, lambda f: f.write(png.tobytes()))

