"""What the Fine-tune dialog tells its user, as plain text (no Qt): where the labels of a project
are, what a dataset lacks before a run starts, which phase a starting run is in, why a run failed.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fosp_core import home_folder
from fosp_core.train.finetune import FineTunePlan, TrainProgress

__all__ = ["FEW_VAL_IMAGES", "DatasetFacts", "batch_text", "dataset_note", "failure_text", "format_duration",
           "no_home_text", "phase_text", "project_hint", "read_dataset", "start_lines", "training_images"]

#: Below this many validation images the val F_β that picks the kept weights is mostly chance
#: (one image more or less moves it by tens of points), so the dialog says so before a run.
FEW_VAL_IMAGES = 5
_NO_SPACE = tuple({os.strerror(errno.ENOSPC).lower(), f"[errno {errno.ENOSPC}]", "no space left on device"})


def format_duration(seconds: float) -> str:
    """`3725` -> `"1:02:05"`; negative or unknown -> `"?"`. The rule of `fosp_core.train.progress`,
    whose module imports torch (about 1.5 s on the GUI thread when the dialog first opened)."""
    if seconds != seconds or seconds < 0 or seconds == float("inf"):
        return "?"
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def limit_words(budget_s: float) -> str:
    """A time limit (`train.time_budget_s`) as the dialog says it: "10 min"."""
    return f"{budget_s / 60:g} min"


def no_home_text(typed: str | Path, what: str) -> str:
    """Why the path typed for `what` ("dataset folder", "checkpoint") names nothing here when it starts with the
    home folder of a user who does not exist (``~out/export`` for ``~/out/export``: `Path.expanduser` raises),
    in plain words; "" else. Reads nothing. The words of `fosp_core.home_folder` (the open, the command line),
    with the form's Browse… button."""
    return home_folder.no_home_text(typed, what, browse=True)


def project_hint(folder: Path) -> str:
    """Where the labels are when `folder` is a folder of images labelled in the app (its masks live in
    its annotation project) or that project's own folder: neither is a dataset until exported. "" else."""
    from fosp_core.annotation.project import PROJECT_FILE, default_location

    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return ""
    if (folder / PROJECT_FILE).is_file():
        where = f"{folder} is an annotation project (the app's working copy of the masks), not a dataset"
    elif (default_location(folder) / PROJECT_FILE).is_file():
        where = f"the masks made in the app for {folder.name} are in its annotation project"
    else:
        return ""
    return (f"{where}: open the images in the app and export them with Annotate ▸ Export to SmokeSeg…, "
            "then choose the export folder here.")


def _split_size(dataset: Path, split: str) -> int | None:
    """The ids of the split list, None when there is none (or it is no text); OSError when it is there
    and cannot be read (no permission): not to be said as a dataset without that split."""
    path = dataset / "ImageSets" / "Segmentation" / f"{split}.txt"
    try:
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None


def unreadable_text(exc: OSError) -> str:
    """The line under the form for a dataset folder that cannot be read."""
    where = f": {exc.filename}" if exc.filename else ""
    return (f"This dataset cannot be read ({exc.strerror or exc}{where}): Start cannot train on it. Make the "
            "folder readable to you, or choose another one.")


def _mask_folder(dataset: Path) -> Path | None:
    """The mask folder of a dataset a fine-tune reads with its splits: SmokeSeg's `SegmentationClass/` beside
    `JPEGImages/`, or a SMOKE5K subset's `gt/` beside `img/` (no split lists: every image trains, no val);
    None for another folder (Start explains what is wrong then). Raises OSError for a folder not readable."""
    if (dataset / "JPEGImages").is_dir():
        return dataset / "SegmentationClass"
    if (dataset / "img").is_dir() and (dataset / "gt").is_dir():
        return dataset / "gt"
    return None


def training_images(folder: str) -> int | None:
    """How many images a run on the SmokeSeg (or SMOKE5K) dataset `folder` trains on: its train list's ids, or
    (no train list: every labelled image trains) its masks; None when it is not such a dataset.
    Reads the split list or the mask folder's names only."""
    dataset = Path(folder).expanduser()
    try:
        masks = _mask_folder(dataset) if folder.strip() else None
        if masks is None:
            return None
        n = _split_size(dataset, "train")
        if n is None:
            n = sum(1 for _ in masks.glob("*.png"))
    except OSError:  # cannot be read (`dataset_note` says so)
        return None
    return n


def batch_text(batch: int, n_train: int) -> str:
    """Why the dialog proposed `batch` for a dataset of `n_train` training images (one line)."""
    images = f"{n_train} training image{'' if n_train == 1 else 's'}"
    return (f"Batch {batch}: the dataset has {images}, and a larger batch only repeats them at the whole "
            "batch's cost.")


def dataset_note(folder: str) -> str:
    """What the chosen dataset means for the run, said before it starts: an empty `train` split
    (nothing to train on: Start refuses it), no `val` split (nothing
    to pick the best weights with: the last ones are kept, and no before/after), or so few val
    images that their score says little. "" when the folder is not a SmokeSeg dataset (Start
    explains what is wrong then) or has val images enough. Reads the split lists only."""
    dataset = Path(folder).expanduser()
    try:
        if not folder.strip() or _mask_folder(dataset) is None:
            return ""
        n_train, n_val = _split_size(dataset, "train"), _split_size(dataset, "val")
    except OSError as exc:  # there, not readable: not "no val split"
        return unreadable_text(exc)
    if n_train == 0:  # an export that kept the source's splits, every image labelled in val (Start refuses it)
        return ("This dataset's train split is empty: nothing to train on. Export with New splits by ratio "
                "(Annotate ▸ Export to SmokeSeg…) to have training images.")
    if n_train is None and n_val:  # every image trains, the val ones too (the plan's val_in_train)
        return (f"This dataset has a val split and no train split: every image trains, the {n_val} val "
                f"image{'s' if n_val > 1 else ''} too, so the validation score is not that of new images. "
                "Export with New splits by ratio (Annotate ▸ Export to SmokeSeg…) for a fair one.")
    if not n_val:
        return ("This dataset has no val split: the run cannot measure itself, keeps the last weights "
                "whatever they are, and says nothing of before and after. Export with a val share "
                "(Annotate ▸ Export to SmokeSeg…, New splits by ratio) to have one.")
    if n_val < FEW_VAL_IMAGES:
        train = f"{n_train} training and " if n_train else ""
        return (f"{train}only {n_val} validation image{'s' if n_val > 1 else ''}: the score that picks the "
                f"kept weights rests on {'them' if n_val > 1 else 'it'} and may say little. For a fairer "
                f"measure, export with at least {FEW_VAL_IMAGES} val images (a larger val share).")
    return ""


@dataclass(frozen=True)
class DatasetFacts:
    """What the form says of the dataset folder `folder` (its text as typed) before a run:
    `train_images` (`training_images`), `note` (`dataset_note`)."""

    folder: str
    train_images: int | None
    note: str


def read_dataset(folder: str) -> DatasetFacts:
    """The folder's facts, read once (split lists, else the mask folder's names): on a worker thread,
    since a network drive or a large mask folder can take seconds (`app.training.form`). A folder in the home
    of a user who does not exist: that is its note (`no_home_text`)."""
    no_home = no_home_text(folder, "dataset folder")
    if no_home:
        return DatasetFacts(folder, None, no_home)
    path = folder.strip()  # pasted with spaces around it: the folder Start trains on (the form's request)
    return DatasetFacts(folder, training_images(path), dataset_note(path))


def start_lines(plan: FineTunePlan, hint: str) -> list[str]:
    """The log's first lines for a run that starts or resumes: its images, how the start was found
    (a run folder given as the start), and `hint` (`project_hint`: a dataset corrected in the app
    trains on its files' own masks; "" for none)."""
    val = (f"{plan.val_images} validation image{'' if plan.val_images == 1 else 's'}" if plan.val_images
           else "no val split: the last weights are kept")
    if plan.val_in_train:
        val += " (also trained on: the dataset lists no train split)"
    train = f"{plan.train_images} training image{'' if plan.train_images == 1 else 's'}"
    lines = [f"{'resuming' if plan.resume else 'starting'} {plan.run_dir.name}: {train}, {val}"]
    if plan.checkpoint_note:
        lines.append(f"note: {plan.checkpoint_note}")
    if hint:
        lines.append(f"note: this trains on the dataset's own masks; {hint}")
    budget = plan.config.train.time_budget_s
    if budget > 0:
        lines.append(f"time limit: the run stops after {limit_words(budget)} (Stop after), the final validation "
                     "included; after a few iterations it measures its pace and says where it will end")
    return lines


def phase_text(progress: TrainProgress, name: str, resume: bool, val_images: int, launched: float) -> str:
    """The status of a run (launched at wall time `launched`) that has logged no iteration since:
    the model loading, then the starting weights being validated, then the first iterations (the
    log has a line every few)."""
    if progress.started_at is None or progress.started_at < launched:  # a resumed run's log has older starts
        return f"{'Resuming' if resume else 'Starting'} {name}: loading the model and the data…"
    if progress.iteration == 0 and val_images and progress.start_score is None and not resume:
        return (f"Validating the starting weights on {val_images} val image{'s' if val_images > 1 else ''} "
                "(the before of before → after)…")
    start = f" · starting weights F_β {100 * progress.start_score:.1f}" if progress.start_score is not None else ""
    return f"Training the first iterations… (progress is logged every few){start}"


def failure_text(code: int, output: Sequence[str], run_dir: Path | None) -> str:
    """Why the training process failed, said plainly where its messages show a known cause (a full
    disk), else the exit code; the messages themselves are in the dialog's log."""
    where = run_dir.parent if run_dir is not None else None
    if any(marker in line.lower() for line in output for marker in _NO_SPACE):  # `CheckpointSaveError`: lower case
        free = ""
        if where is not None:
            try:
                free = f" ({shutil.disk_usage(where).free / 2**20:.0f} MiB free there now)"
            except OSError:
                pass
        kept = (" The run's last saved state is kept: free some space, then Resume continues it."
                if run_dir is not None and (run_dir / "last.pt").is_file() else
                " Free some space (or set FOSP_CACHE to a folder on a larger disk), then Start again.")
        return f"The disk is full: the run could not save its files in {where}{free}.{kept}"
    return f"The training process ended with code {code}; its messages are below."


def progress_text(p: TrainProgress) -> str:
    """The status line of a run that is training: iteration, pace, time left, best score so far."""
    if p.planned and p.iteration >= p.planned:  # the last validation and the export come after it
        return f"Trained {p.iteration} iterations; validating and exporting the weights…"
    parts = [f"Training: iteration {p.iteration} / {p.planned}"]
    if p.sec_per_iter:
        parts.append(f"{p.sec_per_iter:.2f} s/it")
    if p.eta_seconds is not None:
        parts.append(f"about {format_duration(p.eta_seconds)} left")
    if p.best is not None:
        parts.append(f"best F_β {100 * p.best[1]:.1f} at {p.best[0]}")
    return " · ".join(parts)


def verdict_text(p: TrainProgress | None, val_in_train: bool) -> str:
    """Before/after on the dataset's val images, when the run validated its start; "" else."""
    if p is None or p.start_score is None or p.best is None:
        return ""
    start, (best_it, best) = p.start_score, p.best
    what = ("F_β on the val images, which it also trained on (the dataset lists no train split, so "
            "these scores are not those of new images):" if val_in_train else "Validation F_β")
    if best_it == 0:
        return (f"{what} did not improve on the starting weights ({100 * start:.1f}); the exported "
                "weights are the starting ones. ")
    return f"{what} {100 * start:.1f} → {100 * best:.1f} (iteration {best_it}). "


def pace_record(device: str, crop: int, batch: int, sec_per_iter: float) -> str:
    """A run's measured pace as the dialog keeps it (settings), for `estimate_text`."""
    return f"{device}|{crop}|{batch}|{sec_per_iter:.4f}"


def estimate_text(pace: str, device: str, crop: int, batch: int, iterations: int, budget_s: float = 0.0) -> str:
    """How long `iterations` at `crop` × `batch` on `device` will take, from the pace the last run
    here measured (`pace_record`), scaled by the pixels an iteration handles; says how the time
    will be known when there is no measured pace for that device. `budget_s` (the Stop after
    field, 0 for none): where the run will stop when that comes first."""
    try:
        last_device, last_crop, last_batch, last_sec = pace.split("|")
        sec = float(last_sec) * (crop * crop * batch) / (int(last_crop) ** 2 * int(last_batch))
    except (ValueError, ZeroDivisionError):
        last_device, sec = "", 0.0
    limit = limit_words(budget_s)
    if last_device != device or not sec > 0:
        if budget_s > 0:
            return (f"How long: the run stops after {limit} at most (Stop after): it measures its pace over its "
                    "first iterations and sets how many it does, the final validation included.")
        return ("How long: the time left shows after the first iterations (no earlier run on this device to "
                "go by); the validations and the export at the end add a little.")
    at = f"at the last run's pace here ({float(last_sec):.2f} s an iteration at {last_crop} px × {last_batch})"
    if 0 < budget_s < iterations * sec:
        return (f"How long: the run stops after {limit} (Stop after), at about iteration "
                f"{int(budget_s // sec)} of {iterations} {at}; all {iterations} would take about "
                f"{format_duration(iterations * sec)}.")
    within = f", within the {limit} limit" if budget_s > 0 else ""
    return f"How long: about {format_duration(iterations * sec)} of training {at}, plus the validations{within}."
