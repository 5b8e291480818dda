"""The FoSp training loop: one process or many (torchrun / DistributedDataParallel).

    Trainer(config, resume=False).run() -> TrainResult

Per iteration: a batch of `train.batch_size x train.grad_accum` crops per process, forward under
autocast (bf16, or fp16 with loss scaling, on CUDA; fp32 on CPU), `fosp_loss`, backward, optional
gradient clipping, AdamW step, poly/warm-up lr step. Every `log_every` iterations a JSONL record;
every `val_every` a validation with `fosp_core.metrics` (the first validation source decides the
best checkpoint); every `save_every` the training state (`last.pt`, atomic). The run folder
`<runs_dir>/<name>/` holds `config.toml` (resolved), `last.pt`, `best.safetensors` + `best.json`,
`log.jsonl`, `metrics.csv`.

Exact resume: `last.pt` holds model, optimiser, scheduler, iteration, best score, wall time and
the RNG states (Python, NumPy, torch; one set per rank). Training data are a function of (seed,
global sample index), so N iterations straight give the same weights as N/2, stop, resume, N/2.

Parts in their own modules: device, precision and seeds (`runtime`), stop signals (`signals`), what
`last.pt` holds and how a run resumes from it (`resume`), the best checkpoint (`best`), one
optimiser step (`step`), the run's result and errors and what the parts see of the trainer
(`trainer_types.TrainerParts`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

import torch
from torch import nn

from fosp_core.train import budget as budget_rules
from fosp_core.train import budget_validation as budget_val
from fosp_core.train import distributed as dist_utils
from fosp_core.train import model_io
from fosp_core.train.best import best_in_words, better, keep_best
from fosp_core.train.budget import BUDGET_PACE, BUDGET_WARMUP, BudgetPacer
from fosp_core.train.budget_fit import fit_budget
from fosp_core.train.config import Config, dump_toml
from fosp_core.train.data import MixedTrainStream, ScheduledAugment, build_augment, open_sources, train_loader
from fosp_core.train.ema import WeightEma
from fosp_core.train.fingerprint_job import FingerprintJob
from fosp_core.train.optim import PolyWarmupLR, build_optimizer, warmup_note
from fosp_core.train.progress import Progress, RunLog, format_duration
from fosp_core.train.resume import restore, resume_path, training_state, without_starting_weights
from fosp_core.train.run_folder import open_run_folder, unwritable_words
from fosp_core.train.runtime import autocast, pick_device, pick_precision, seed_everything
from fosp_core.train.signals import interrupt_after, parent_watch_paused, stop_signals
from fosp_core.train.small_data import small_data_notes
from fosp_core.train.state import save_state
from fosp_core.train.step import optimizer_step
from fosp_core.train.stopped import on_interrupt, validate_unvalidated_end
from fosp_core.train.tasks import SegmentationTask, Task
from fosp_core.train.trainer_types import RunFolderError, TrainingError, TrainResult
from fosp_core.trained_on import TrainedImages

__all__ = [
    "BUDGET_PACE", "BUDGET_WARMUP", "Trainer", "TrainResult", "TrainingError",
    # their home is fosp_core.train.runtime / .signals / .trainer_types; imported from here too (cli, ssl)
    "RunFolderError", "pick_device", "pick_precision", "seed_everything", "stop_signals",
]


class Trainer:
    """Build everything from a `Config` and train; see the module doc. The data sources are opened
    first, so a wrong path or split is said before the model is built; a resumed run builds its
    model without starting weights (`resume.without_starting_weights`): they all come from the state.

    resume: False (a fresh run; refuses to overwrite an existing run folder's state), True (continue
        from `<run dir>/last.pt`) or the path of a state file.
    model: a prebuilt model (tests); by default `task.build(cfg)`.
    stream: where progress and messages go (stderr by default).
    task: what to train (`SegmentationTask` by default; `InpainterTask` for inpainter pre-training).
    started_at: when the command started (a `time.perf_counter()` reading; by default this
        construction's): `train.time_budget_s` counts from there, start-up included (`budget`).
    """

    def __init__(self, cfg: Config, resume: bool | str | Path = False, model: nn.Module | None = None,
                 stream: TextIO | None = None, task: Task | None = None, started_at: float | None = None):
        self.started_at = started_at if started_at is not None else time.perf_counter()
        self.cfg = cfg
        self.task: Task = task if task is not None else SegmentationTask()
        self.stream = stream if stream is not None else sys.stderr
        self.device = pick_device(cfg.train.device, int(os.environ.get("LOCAL_RANK", "0")))
        if self.device.type == "cuda":
            torch.cuda.set_device(self.device)
        self.dist = dist_utils.setup(self.device)
        self.precision = pick_precision(cfg.train.precision, self.device)
        if cfg.train.threads:
            torch.set_num_threads(cfg.train.threads)
        self.run_dir = cfg.run_dir()
        self.main = self.dist.is_main
        self.log = RunLog(self.run_dir, enabled=self.main)
        self.resume_path = resume_path(self.run_dir, resume)
        # the data first: a wrong path or split is said before the model is built and its weights read
        self.train_sources = open_sources(cfg, "train")
        self.val_sources = open_sources(cfg, "val") if self.main else []

        seed_everything(cfg.train.seed)
        if model is None and self.resume_path is not None:  # the state holds the weights: no start is read
            model = self.task.build(without_starting_weights(cfg), lambda _text: None)
        self.model = model if model is not None else self.task.build(cfg, self.say)
        if self.dist.rank:
            seed_everything(cfg.train.seed + self.dist.rank)
        self.model_name = model_io.model_name(self.model)
        self.model_config = model_io.model_config_dict(self.model)
        if cfg.model.sync_bn and self.dist.enabled:
            if self.device.type == "cuda":
                self.model = nn.SyncBatchNorm.convert_sync_batchnorm(self.model)
            else:
                self.say("model.sync_bn needs CUDA; keeping per-process BatchNorm")
        self.model.to(self.device)
        if cfg.model.channels_last and self.device.type == "cuda":
            self.model.to(memory_format=torch.channels_last)
        self.optimizer = build_optimizer(self.model, cfg.optim)
        self.scheduler = PolyWarmupLR(self.optimizer, cfg.optim, total=cfg.train.iterations)
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=self.precision == "fp16")
        self.iteration = 0
        self.best: dict[str, Any] | None = None
        self.best_key_warned = False  # warned that train.best_metric names no validation key
        self.wall_time = 0.0
        self.val_time = 0.0  # seconds this invocation spent validating (the end's account)
        self.probe_time = 0.0  # ... and estimating a validation under a time budget (`budget_validation`)
        self.last_metrics: dict[str, float] | None = None
        self.updating = False  # an optimiser update is being applied (`step`): no state to save then
        self.interrupt_told = False  # an interruption was told, with the iteration its state was saved at
        self.ema = WeightEma(self.model, cfg.train.ema_decay) if cfg.train.ema_decay > 0 else None
        self._trained_on: TrainedImages | None = None  # what a resumed state recorded, then this run's
        self.fingerprint_job: FingerprintJob | None = None
        if self.resume_path is not None:
            self._load(self.resume_path)
        if self.main:  # the images trained on, hashed beside the start: every checkpoint written records them
            self.fingerprint_job = FingerprintJob(self.train_sources, cfg.model.init_from, self._trained_on,
                                                  self.resume_path is not None, self.run_dir)
        if self.dist.enabled:
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.model = nn.parallel.DistributedDataParallel(self.model, device_ids=ids)

    @property
    def trained_on(self) -> TrainedImages | None:
        """The images trained on (`fosp_core.trained_on`): waits for the start's hashing
        (`fingerprint_job`) the first time; None: not recorded (another rank's, or none yet)."""
        if self.fingerprint_job is not None:
            self._trained_on, self.fingerprint_job = self.fingerprint_job.result(), None
        return self._trained_on

    @trained_on.setter
    def trained_on(self, value: TrainedImages | None) -> None:
        self._trained_on = value

    # ------------------------------------------------------------------------------------ set-up

    def say(self, text: str) -> None:
        if self.dist.is_main:
            self.stream.write(text + "\n")
            self.stream.flush()

    def _load(self, path: Path) -> None:
        restore(self, path)

    # -------------------------------------------------------------------------------- state files

    def state_dict(self) -> dict[str, Any]:
        """Everything `last.pt` holds (`resume.training_state`; called on every rank)."""
        return training_state(self)

    def save_last(self) -> None:
        """Atomically write `last.pt`; on a full disk `CheckpointSaveError` (the old file survives)."""
        state = self.state_dict()
        if self.main:
            save_state(self.run_dir / "last.pt", state)
        dist_utils.barrier()

    def _save_best(self, metrics: dict[str, float], table: str, model: nn.Module | None = None,
                   weights: str = "") -> None:
        """Keep `model` (default: the validated weights) as best.safetensors when it beats the best
        so far (`best.keep_best`); `weights`: "average" or "raw" (EMA runs)."""
        keep_best(self, metrics, table, model, weights)

    # -------------------------------------------------------------------------------------- loop

    def _eval_autocast(self) -> contextlib.AbstractContextManager:
        """Validation on a CPU runs in fp32, as the app infers there, so the scores are the app's;
        on GPUs it shares the training autocast."""
        return contextlib.nullcontext() if self.device.type == "cpu" else autocast(self.precision, self.device)

    def eval_model(self) -> nn.Module:
        """The weights validation and the best checkpoint use: the average when `train.ema_decay` is
        set, else the model itself."""
        return self.ema.module if self.ema is not None else model_io.unwrap(self.model)

    def validate_now(self) -> dict[str, float]:
        """Validate on rank 0 (the others wait); log and keep the best checkpoint."""
        metrics: dict[str, float] = {}
        dist_utils.broadcast_buffers(model_io.unwrap(self.model))
        if self.main and self.val_sources:
            t0 = time.perf_counter()
            metrics, table = self.task.validate(self.eval_model(), self.val_sources, self.cfg,
                                                self.device, self._eval_autocast)
            raw: dict[str, float] = {}
            if self.ema is not None and self.cfg.train.ema_validate_raw:
                raw_metrics, raw_table = self.task.validate(model_io.unwrap(self.model), self.val_sources,
                                                            self.cfg, self.device, self._eval_autocast)
                raw = {f"raw/{k}": v for k, v in raw_metrics.items()}
                table = f"weight average (EMA {self.ema.decay:g}):\n{table}\nraw weights:\n{raw_table}"
            self.last_metrics = metrics
            self.val_time += time.perf_counter() - t0
            with interrupt_after():  # its record, the best and its files: one piece (a resume reads the record)
                self.log.write({"type": "val", "iter": self.iteration, "sec": round(time.perf_counter() - t0, 2),
                                **metrics, **raw})
                self.progress.message(f"validation at iteration {self.iteration}:\n{table}")
                key = self.cfg.train.best_metric
                if raw and better(raw_metrics.get(key), metrics.get(key), key):
                    # mid-schedule, at a high lr, the average can lag the raw weights: keep whichever scored better
                    self._save_best(raw_metrics, table, model_io.unwrap(self.model), "raw")
                else:
                    self._save_best(metrics, table)
        dist_utils.barrier()
        self.best = dist_utils.broadcast_object(self.best)
        return metrics

    def run(self, stop_at: int | None = None) -> TrainResult:
        """Train from `self.iteration` to `train.iterations` (or stop, with the state saved, after
        iteration `stop_at`: the schedule still spans `train.iterations`); returns the result."""
        cfg, tc = self.cfg, self.cfg.train
        sources = self.train_sources
        for group, opened in (("train", sources), ("val", self.val_sources)):
            for i, source in enumerate(opened):
                if source.skipped:
                    self.say(f"warning: data.{group}.{i} ({source.name}): {source.skipped_note()}")
        per_iteration = tc.batch_size * tc.grad_accum * self.dist.world_size
        augment = ScheduledAugment(cfg, per_iteration) if cfg.data.crop_schedule else build_augment(cfg)
        stream = MixedTrainStream(sources, augment, cfg.train.seed)
        self._open_run_folder()  # the start succeeded: only now does the run folder appear
        self.total = tc.iterations  # the run's length; a time budget (`_fit_budget`) may shorten it
        # the budget counts from the command's start (data, model: `budget`); a second run() from its own
        self._budget_t0, self.started_at = self.started_at or time.perf_counter(), 0.0
        self.wall_t0 = self.wall_time  # earlier invocations' steps: not this command's (the end's account)
        budget_val.keep_shortened_validation(self)  # a resumed run: the images its best was scored on
        self._val_sec = self._last_validation_sec() if tc.time_budget_s > 0 else 0.0
        self.progress = Progress(tc.iterations, self.iteration, tc.log_every, self.stream,
                                 enabled=self.main and tc.progress)
        if self.iteration >= tc.iterations:
            validate_unvalidated_end(self)  # stopped during its final validation: that validation now
            self.say(f"run {cfg.name} is complete ({self.iteration} iterations)")
            return TrainResult(self.run_dir, self.iteration, self.best, self.last_metrics, self.wall_time)
        self.say(f"training {self.model_name} in {self.run_dir}: iterations {self.iteration}->{tc.iterations}, "
                 f"{self.dist.world_size} process(es) x batch {tc.batch_size} x accum {tc.grad_accum}, "
                 f"{self.device} {self.precision}; data: " + ", ".join(f"{s.name} ({s.size}, w={s.weight:g})"
                                                                       for s in sources))
        if warned := warmup_note(cfg.optim, tc.iterations):
            self.say(warned)
        for warned in small_data_notes(tc, sources, self.val_sources, self.dist.world_size):
            self.say(warned)
        end = tc.iterations if stop_at is None else max(self.iteration, min(stop_at, tc.iterations))
        self._stop_at = end
        loader = train_loader(stream, cfg, self.iteration, end, self.dist.rank, self.dist.world_size,
                              batch=tc.batch_size * tc.grad_accum, pin_memory=self.device.type == "cuda")
        self.log.write({"type": "event", "iter": self.iteration,
                        "event": "resume" if self.resume_path else "start", "world_size": self.dist.world_size,
                        "device": str(self.device), "precision": self.precision,
                        "data": [{"name": s.name, "size": s.size, "weight": s.weight} for s in sources]})
        try:
            if tc.val_at_start and self.iteration == 0 and self.val_sources:
                if self.main and tc.time_budget_s > 0 and getattr(self.task, "kind", "") == "segmentation":
                    budget_val.shorten_start_validation(self, lambda: time.perf_counter())  # it and the final one fit
                t_val = time.perf_counter()
                self.validate_now()  # the starting weights' score on the same images: the baseline
                self._val_sec = time.perf_counter() - t_val  # a time budget counts the validations to come
                self.progress.restart_clock()
            self.task.prepare_train(self.model)
            self._loop(loader, end)
        except KeyboardInterrupt:
            on_interrupt(self, lambda: time.perf_counter())  # the state saved, what the stop left said
            raise
        self.say(f"done: {self.iteration} iterations, wall time {format_duration(self.wall_time)}; "
                 + best_in_words(self.best, self.run_dir))
        self.say(budget_rules.time_in_all(time.perf_counter() - self._budget_t0, self.wall_time - self.wall_t0,
                                          self.val_time, tc.time_budget_s, self.probe_time))
        return TrainResult(self.run_dir, self.iteration, self.best, self.last_metrics, self.wall_time)

    def _estimate_validation(self) -> None:
        """A budgeted fresh run at its first fit (a model validates slower before its first steps):
        its final validation counted, shortened if it cannot fit (`budget_validation`)."""
        if self.main and self.val_sources and getattr(self.task, "kind", "") == "segmentation":
            self._val_sec = budget_val.final_validation_sec(self, lambda: time.perf_counter())

    def _last_validation_sec(self) -> float:
        """What the run's last validation took (its log's last `val` record; 0 for a fresh run): a
        resumed run under a time budget counts its final validation before it has run one."""
        if not self.main or self.iteration == 0:
            return 0.0
        sec = next((r.get("sec") for r in reversed(self.log.records("val"))), 0.0)
        return float(sec) if isinstance(sec, int | float) else 0.0

    def _open_run_folder(self) -> None:
        """Rank 0: write config.toml (a new folder appears with it: `run_folder`); trim a resumed log."""
        if self.main:
            try:
                open_run_folder(self.run_dir, dump_toml(self.cfg.recorded()))
            except OSError as exc:
                raise RunFolderError(unwritable_words(self.run_dir, exc)) from exc
            self.log.truncate_after(self.iteration)

    def _loop(self, loader: Any, end: int) -> None:
        tc = self.cfg.train
        window: dict[str, float] = {}
        n_window, bad = 0, 0
        t_last = time.perf_counter()
        pacer = BudgetPacer(tc.time_budget_s, self.iteration, BUDGET_WARMUP, BUDGET_PACE, timed=not self.dist.enabled,
                            last=(self.iteration, self.wall_time),  # the first step's time is known after it
                            start_wall=self.wall_time)
        job = self.fingerprint_job
        with job.paused() if job is not None and loader.num_workers else contextlib.nullcontext(), \
                parent_watch_paused():
            batches = iter(loader)  # its workers fork here, with no hashing or parent-watch thread alive
        for images, masks in batches:
            if self.iteration == pacer.start:  # the workers' start is no step's time (`budget`)
                pacer.first_batch_waited(time.perf_counter() - t_last)
            before = self.iteration
            try:
                loss_value, parts, finite = self._step(images, masks)
            except KeyboardInterrupt:
                if self.iteration > before:  # a stop held during the update: the step taken is the state's
                    self.wall_time += time.perf_counter() - t_last
                raise
            if not finite:
                bad += 1
                if bad >= 5:
                    raise TrainingError(f"loss is not finite for 5 iterations in a row at iteration "
                                        f"{self.iteration}; last good state: {self.run_dir / 'last.pt'}")
            else:
                bad = 0
                for k, v in {"loss": loss_value, **parts}.items():
                    window[k] = window.get(k, 0.0) + v
                n_window += 1
            now = time.perf_counter()
            self.wall_time += now - t_last
            t_last = now
            sec = self.progress.tick(self.iteration)
            lr = self.optimizer.param_groups[0]["lr"]
            shown = window.get("loss", float("nan")) / max(n_window, 1)
            self.progress.update(self.iteration, f"loss {shown:.4f} lr {lr:.2e}")
            it = self.iteration
            if tc.time_budget_s > 0 and (pace := pacer.tick(it, self.wall_time, now - self._budget_t0,
                                                            self._val_sec)) is not None:
                if not self._val_sec:  # a fresh run: the final validation's cost, now that steps have run
                    self._estimate_validation()
                    t_last = time.perf_counter()
                end = self._fit_budget(pace)
            if it % tc.log_every == 0 or it == self.total:
                means = {k: v / max(n_window, 1) for k, v in window.items()}
                means = {k: float(dist_utils.all_mean(torch.tensor(v))) for k, v in means.items()}
                self.log.write({"type": "train", "iter": it, **means,
                                "lr": {g["name"]: g["lr"] for g in self.optimizer.param_groups},
                                "sec_per_iter": sec, "wall_time": round(self.wall_time, 1)})
                window, n_window = {}, 0
            if (tc.val_every and it % tc.val_every == 0) or it == self.total:
                t_val = time.perf_counter()
                self.validate_now()
                t_last = time.perf_counter()
                self._val_sec = t_last - t_val
                self.progress.restart_clock()
                if tc.time_budget_s > 0 and it < self.total and (pace := pacer.measured(it, self.wall_time)):
                    end = self._fit_budget(pace)
            if (tc.save_every and it % tc.save_every == 0) or it >= end:
                self.save_last()
                t_last = time.perf_counter()
                self.progress.restart_clock()
            if it >= end:
                break

    def _fit_budget(self, sec_per_iter: float) -> int:
        """Set the run's length so that it ends within `train.time_budget_s` at `sec_per_iter`
        (`budget_fit.fit_budget`); returns the new end."""
        return fit_budget(self, sec_per_iter, time.perf_counter())

    def _step(self, images: torch.Tensor, masks: torch.Tensor) -> tuple[float, dict[str, float], bool]:
        """One optimiser step (`step.optimizer_step`): the mean loss, its parts, whether it was finite."""
        return optimizer_step(self, images, masks)
