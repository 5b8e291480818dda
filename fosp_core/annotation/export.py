"""Export a project's masks as a SmokeSeg dataset (through `fosp_core.data.smokeseg.write_smokeseg`).

Images: every image with a saved mask, or only the reviewed ones. An image's mask is the newest
the project reads (`Project.load_mask`): with the commits of a recovery log still pending applied
(the app holding the project is still writing the PNG, or a save failed) and, in the app's own
project, after its queued PNG write; an image whose only state is such a log is exported. Splits: kept from the source
dataset ("keep"; images without a split go to train), drawn at random with given ratios and seed,
or everything in train. Optional resize to N x N (SmokeSeg's own images are 512 x 512); it does not
keep the aspect ratio, so it is off by default: training rescales any size by the long side. The result
is read by `fosp_core.data.datasets.open_dataset` and trained on by ``fosp train`` like any
SmokeSeg dataset.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry, ProjectError
from fosp_core.annotation.export_model_made import model_made
from fosp_core.annotation.export_target import project_destination_problem
from fosp_core.annotation.recovery import log_path, read_log
from fosp_core.data.duplicates import exact_duplicates, group_splits, keep_together
from fosp_core.data.smokeseg import check_id, write_smokeseg
from fosp_core.data.smokeseg_debris import DeadExport, with_debris
from fosp_core.data.smokeseg_ids import free_id, portable_id, smokeseg_ids, taken_ids
from fosp_core.data.types import Sample
from fosp_core.io.images import ImageReadError, read_image
from fosp_core.io.long_names import fits
from fosp_core.io.masks import MaskReadError

if TYPE_CHECKING:
    from fosp_core.annotation.project import Project

__all__ = ["NO_MASK", "ExportReport", "check_ratios", "export_smokeseg", "has_saved_mask", "kept_without_train",
           "no_train_reason", "no_val_words", "not_reviewed", "not_reviewed_images", "not_reviewed_words", "plan_splits", "split_counts",
           "takes"]

Splits = Literal["keep"] | tuple[float, ...] | None

#: `ExportReport.skipped`'s reason for an image nobody labelled (no saved mask): left out, not a problem
NO_MASK: Final = "no mask yet"


@dataclass
class ExportReport:
    """What was exported: destination, SmokeSeg ids per split (a project id's white space becomes
    ``_``), project ids left out with the reason, groups of project ids exported whose image files
    hold the same bytes (a drawn split keeps each group in one split) and, per group, the splits its
    images were written in (more than one: kept source splits that hold it apart), and the temporary
    folders of earlier exports there killed mid-way that the writer removed first, or the old dataset one
    had moved aside, removed or put back (`cleaned`: `fosp_core.data.smokeseg_debris`), each with the bytes
    it held."""

    dst: Path
    splits: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[list[str]] = field(default_factory=list)
    duplicate_splits: list[list[str]] = field(default_factory=list)
    cleaned: list[DeadExport] = field(default_factory=list)
    #: project ids of the images with a mask not yet reviewed, left out of a reviewed-only export (`not_reviewed`):
    #: the user's choice, not a problem, but counted (`not_reviewed_words`) so that nobody wonders where they went
    not_reviewed: list[str] = field(default_factory=list)
    #: project ids of the exported images whose mask a model made and nobody reviewed (status predicted):
    #: training labels nobody checked, said with `export_model_made.model_made_words`
    model_made: list[str] = field(default_factory=list)
    #: SmokeSeg id -> project id of each image written (`splits` lists SmokeSeg ids: `export_tally`)
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.splits.values())

    @property
    def without_mask(self) -> list[str]:
        """Project ids left out because they have no mask yet (`NO_MASK`)."""
        return [image_id for image_id, reason in self.skipped if reason == NO_MASK]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(project id, reason) of the images not exported for a problem (an unreadable mask, a
        missing image, a bad id): every skipped image but those without a mask."""
        return [(image_id, reason) for image_id, reason in self.skipped if reason != NO_MASK]


#: the train / val / test ratios of a new split when none is chosen (the Export dialog's and
#: `fosp project export`'s default for a source without splits)
DEFAULT_RATIOS: tuple[float, float, float] = (0.8, 0.1, 0.1)


def takes(entry: ImageEntry, reviewed_only: bool = False) -> bool:
    """Whether an export takes `entry` (`export_smokeseg`'s choice, by status): a mask (any status but UNLABELED),
    reviewed with `reviewed_only`. Nothing read: a status whose mask turns out missing is left out then."""
    return entry.status != Status.UNLABELED and (not reviewed_only or entry.status == Status.REVIEWED)


def has_source_splits(entries: Sequence[ImageEntry]) -> bool:
    """Whether any entry came with a source split (a SmokeSeg dataset's lists; a folder of photos has
    none, and keeping its "splits" would put every image in train)."""
    return any(entry.split for entry in entries)


def kept_without_train(entries: Sequence[ImageEntry], reviewed_only: bool = False) -> str:
    """"all 4 in val" when keeping the source's splits would leave no image in train among those an export
    takes (every image with a mask, or the reviewed ones; by status, nothing read), else "". The bundled
    demo lists its 4 images in `val` only: kept, a fine-tune of the export has nothing to learn from, so
    ``fosp project export`` then draws new splits unless ``--keep-splits`` is asked for."""
    sizes: dict[str, int] = {}
    for entry in entries:
        if takes(entry, reviewed_only):
            sizes[entry.split or "train"] = sizes.get(entry.split or "train", 0) + 1
    if not sizes or sizes.get("train", 0):
        return ""
    if len(sizes) == 1:
        (name, count), = sizes.items()
        return f"all {count} in {name}" if count > 1 else f"1 in {name}"
    return " and ".join(f"{count} in {name}" for name, count in sizes.items())


def no_train_reason(where: str) -> str:
    """"the source's splits put all 4 in val: nothing to train on" (`where`: `kept_without_train`'s words): why
    ``fosp project export`` and the app's Export dialog draw new splits by default, in the same words."""
    return f"the source's splits put {where}: nothing to train on"


def no_val_words(*, would: bool) -> str:
    """"val holds no image: the fine-tune will have nothing to choose its best weights on" (`would`: "val would
    hold ...", said before an export): an export with images in train and none in val (one image at
    0.8/0.1/0.1, a val share of 0, kept splits listing none in val); the words of ``fosp project export``'s
    warning and of the Export dialog's note under its split choice."""
    hold = "would hold" if would else "holds"
    return f"val {hold} no image: the fine-tune will have nothing to choose its best weights on"


def check_ratios(ratios: Sequence[float]) -> tuple[float, ...]:
    """`ratios` as floats; ValueError unless 2 or 3 finite non-negative numbers (train, val[, test])
    with a positive sum. The rule of every export's split ratios (images here, a video's frames in
    `fosp_core.video.splits`)."""
    out = tuple(float(r) for r in ratios)
    if not 2 <= len(out) <= 3 or any(not 0 <= r < math.inf for r in out) or sum(out) <= 0:
        raise ValueError(f"split ratios must be 2 or 3 non-negative numbers (train, val[, test]), got {ratios}")
    return out


def split_counts(n: int, ratios: tuple[float, ...]) -> list[int]:
    """How many of `n` items each split gets for `check_ratios`-checked ratios: sizes rounded (any
    positive scale); while there are items, every split with a positive ratio gets at least one,
    train first, then val, then test (five photos at 0.8/0.1/0.1 would round val to 0: no validation;
    two at 1/3/3 would round train to 0: nothing to train on); a split with ratio 0 gets none; the first
    split asked for (train, unless its ratio is 0) takes the rest, and when rounding gave the others
    more than there is, the last of them gives back first. The images' and the video frames' export
    count alike."""
    total = sum(ratios)
    asked = [k for k, r in enumerate(ratios) if r > 0]
    least = [1 if k in asked[:n] else 0 for k in range(len(ratios))]
    counts = [max(least[k], int(round(n * r / total))) for k, r in enumerate(ratios)]
    head = asked[0]
    counts[head] = n - sum(c for k, c in enumerate(counts) if k != head)
    while counts[head] < least[head]:  # rounding gave the others more than there is
        k = max(i for i in asked if i != head and counts[i] > least[i])
        counts[k] -= 1
        counts[head] += 1
    return counts


def plan_splits(entries: Sequence[ImageEntry], splits: Splits, seed: int = 0) -> dict[str, list[str]]:
    """Split name -> ids for the chosen entries.

    splits: "keep" (the entries' source split; none -> train; train listed even when empty, so that
    a dataset of val images only has an empty train.txt: without one, training takes every image, the
    val ones too), (train, val[, test]) ratios (any
    positive scale; shuffled with `seed`, sized by `split_counts`: rounded, each split with a positive
    ratio gets an image while there are some, train first, then val), or None (all train).
    """
    ids = [e.id for e in entries]
    if splits is None:
        return {"train": ids}
    if splits == "keep":  # train always listed (empty when none is): no train.txt would train on every image
        out: dict[str, list[str]] = {"train": []}
        for entry in entries:
            out.setdefault(entry.split or "train", []).append(entry.id)
        return out
    ratios = check_ratios(splits)
    order = [ids[i] for i in np.random.default_rng(seed).permutation(len(ids))]
    names = ["train", "val", "test"][:len(ratios)]
    counts = split_counts(len(ids), ratios)
    out, start = {}, 0
    for name, n in zip(names, counts, strict=True):
        out[name] = sorted(order[start:start + n])
        start += n
    return {k: v for k, v in out.items() if v or k == "train"}


def not_reviewed(entries: Sequence[ImageEntry]) -> list[str]:
    """Ids of the entries with a mask that is not reviewed (any status but UNLABELED and REVIEWED, in order):
    those a reviewed-only export leaves out. By status, nothing read (the Export dialog asks on the GUI thread)."""
    return [e.id for e in entries if e.status not in (Status.UNLABELED, Status.REVIEWED)]


def not_reviewed_images(count: int) -> str:
    """"12 images with masks not yet reviewed" ("1 image with a mask ..."): how `not_reviewed`'s count is said."""
    return ("1 image with a mask" if count == 1 else f"{count} images with masks") + " not yet reviewed"


def not_reviewed_words(count: int, *, will: bool = False) -> str:
    """"12 images with masks not yet reviewed were left out" (`will`: "... will be left out", said before an
    export); the words of `ExportReport.not_reviewed`'s count in the app and ``fosp project export``."""
    verb = "will be" if will else ("was" if count == 1 else "were")
    return f"{not_reviewed_images(count)} {verb} left out"


def has_saved_mask(project: Project, image_id: str) -> bool:
    """Whether image `image_id` of `project` may have a mask for an export, without decoding one:
    its mask file is there, or else its recovery log holds a usable record (commits whose PNG is not
    written yet: `Project.pending_logs`, or the project's own queued saves; a log of garbage or a
    torn first append is no mask). `export_smokeseg` reads the mask itself (`Project.load_mask`)
    and leaves out the image when that finds none."""
    path = project.mask_path(image_id)
    if not fits(path.name):  # a name too long for a mask file: none was ever saved ('File name too long')
        return False
    return path.is_file() or bool(read_log(log_path(path)))


class _Pass:
    """The export's one pass over the chosen entries (see `export_smokeseg`): each mask is read once
    (`Project.load_mask`), checked, and the image's Sample handed to the writer, or the image left
    out with the reason; then the splits of what was written. Progress counts the entries."""

    def __init__(self, project: Project, dst: Path, candidates: list[tuple[int, ImageEntry]],
                 export_ids: dict[str, str], progress: Callable[[int, int | None], None] | None,
                 nothing: str) -> None:
        self.project, self.dst, self.candidates, self.export_ids = project, dst, candidates, export_ids
        self.progress, self.nothing = progress, nothing
        self.planned: dict[str, list[str]] = {}
        self.duplicates: list[list[str]] = []  # project ids, groups of exact duplicates written
        self.duplicate_splits: list[list[str]] = []  # per group, the splits its images went to
        self.skipped: list[tuple[int, str, str]] = []  # (entry's place, id, reason)
        self.written: dict[str, ImageEntry] = {}  # SmokeSeg id -> entry, in the order written
        self._taken = taken_ids(export_ids)

    def samples(self) -> Iterator[Sample]:
        """The Samples to write, one at a time (image RGB uint8 HxWx3, mask uint8 HxW); raises
        ProjectError at the end when none was ("nothing to export": the writer then leaves the
        destination as it was)."""
        total = len(self.candidates)
        for done, (place, entry) in enumerate(self.candidates, start=1):
            sample = self._sample(place, entry)
            if sample is not None:
                self.written[sample.id] = entry
                yield sample  # the writer writes it before it asks for the next
            if self.progress is not None:
                self.progress(done, total)
        if not self.written:
            raise ProjectError(self.dst, self.nothing)

    def _sample(self, place: int, entry: ImageEntry) -> Sample | None:
        project = self.project
        unreadable: MaskReadError | None = None
        try:  # the newest mask, as the project reads it: pending recovery logs applied, its queued PNG written
            mask = project.load_mask(entry.id)
        except MaskReadError as exc:
            mask, unreadable = None, exc
        reason = None
        if mask is None and unreadable is None:
            reason = NO_MASK
        elif problem := check_id(portable_id(entry.id)):
            reason = problem
        elif unreadable is not None:
            reason = f"unreadable mask: {unreadable.reason}"
        elif not project.image_path(entry.id).is_file():
            reason = f"image missing: {project.image_path(entry.id)}"
        elif mask is not None and entry.size is not None and tuple(mask.shape) != tuple(entry.size):
            reason = f"mask is {mask.shape[1]}x{mask.shape[0]}, the image is {entry.size[1]}x{entry.size[0]}"
        path = project.image_path(entry.id)
        rgb = None
        if reason is None:  # the file as it is now: it may have changed since it was labelled
            try:
                rgb = read_image(path).rgb
            except ImageReadError as exc:
                reason = f"cannot read the image: {exc.reason}"
        if reason is None and rgb is not None and mask is not None and rgb.shape[:2] != mask.shape:
            reason = (f"mask is {mask.shape[1]}x{mask.shape[0]}, the image is now {rgb.shape[1]}x{rgb.shape[0]} "
                      "(its file changed)")
        if reason is not None or rgb is None:
            self.skipped.append((place, entry.id, reason or NO_MASK))
            return None
        sample_id = self.export_ids.get(entry.id)
        if sample_id is None:  # a mask that turned up after the ids were planned
            sample_id = free_id(portable_id(entry.id), self._taken)
            self._taken.add(sample_id)
        return Sample(sample_id, rgb, mask, source=path, meta={"status": entry.status.value})

    def plan(self, order: list[str], splits: Splits, seed: int) -> dict[str, list[str]]:
        """The splits of the SmokeSeg ids written, in `order` (`plan_splits` over their entries,
        in the project's order), kept as `planned`: `write_smokeseg` asks once every image is
        written."""
        ids = {entry.id: sample_id for sample_id, entry in self.written.items()}
        planned = plan_splits([self.written[i] for i in order], splits, seed)
        self.duplicates = exact_duplicates({entry.id: self.project.image_path(entry.id)
                                            for entry in (self.written[i] for i in order)})
        if splits is not None and splits != "keep":  # drawn: a duplicate in train and val would score a known image
            planned = keep_together(planned, self.duplicates)
        self.duplicate_splits = group_splits(self.duplicates, planned)  # in the splits' order
        self.planned = {name: [ids[i] for i in members] for name, members in planned.items()}
        return self.planned


def export_smokeseg(project: Project, dst: str | os.PathLike, *, reviewed_only: bool = False,
                    splits: Splits = "keep", seed: int = 0, resize_to: int | None = None,
                    overwrite: bool = False, progress: Callable[[int, int | None], None] | None = None,
                    cleaned: Callable[[DeadExport], None] | None = None) -> ExportReport:
    """Write the project's masks as a SmokeSeg dataset at `dst`; returns an `ExportReport`.

    reviewed_only: only images with status REVIEWED (else every image with a saved mask, pending
    recovery logs included: `Project.load_mask`); those with a mask left out are `ExportReport.not_reviewed`.
    splits / seed: see `plan_splits`. resize_to: None (default) keeps each image's size; N -> N x N
    images, aspect ratio not kept (masks nearest neighbour).
    overwrite: replace a non-empty `dst`. Images whose files cannot be read, or no longer have their
    mask's size (the file changed after it was labelled), are skipped and reported. Raises ProjectError, before anything is written, for a destination that holds any of
    the project's images, imported labels or masks, or lies in the project's folder
    (`fosp_core.annotation.export_target`), `SmokeSegWriteError` when writing fails (the destination
    is then left as it was). progress(done, total): after each image not UNLABELED (written or
    left out), total their number.

    Each mask is read once, as its image is written: which images are left out (no mask, an
    unreadable one, one of another size) is known as they come, and the splits are planned over
    those written. SmokeSeg ids (a project id's white space becomes ``_``, with ``_2`` ... on a
    clash without case: `fosp_core.data.smokeseg_ids`, the rule of `fosp dataset convert` too) are
    planned before, over the images whose mask file or usable recovery log is there (`has_saved_mask`),
    so an image left out later may still have kept its id from another. Images whose files hold the
    same bytes are named in `ExportReport.duplicates`; drawn splits keep each such group in one split
    (`fosp_core.data.duplicates.keep_together`). The dead exports' folders the writer removed beside `dst`
    (or the old dataset one killed while replacing `dst` had moved aside, put back) are in
    `ExportReport.cleaned`, and each is handed to `cleaned` as it is settled (a caller whose export is then
    cancelled, raising from `progress`, has no report: it still knows); an export that fails after that says
    them in its error too.
    """
    dst = Path(dst)
    problem = project_destination_problem(project, dst)
    if problem is not None:
        raise ProjectError(dst, problem)
    report = ExportReport(dst)
    skipped: list[tuple[int, str, str]] = []
    candidates: list[tuple[int, ImageEntry]] = []
    for place, entry in enumerate(project.entries):
        if takes(entry, reviewed_only):
            candidates.append((place, entry))
        elif not reviewed_only:  # unlabeled (reviewed only leaves out the others unsaid: `not_reviewed` counts them)
            skipped.append((place, entry.id, NO_MASK))
    report.not_reviewed = not_reviewed(project.entries) if reviewed_only else []
    nothing = "nothing to export (no " + ("reviewed " if reviewed_only else "") + "masks" + (
        f"; {len(report.not_reviewed)} with a mask not yet reviewed" if report.not_reviewed else "") + ")"
    likely = [e.id for _, e in candidates if has_saved_mask(project, e.id)]  # no mask decoded
    if not likely:
        raise ProjectError(dst, nothing)
    one_pass = _Pass(project, dst, candidates, smokeseg_ids(likely), progress, nothing)

    def settled(dead: DeadExport) -> None:  # in the report, and told at once (a cancelled export has no report)
        report.cleaned.append(dead)
        if cleaned is not None:
            cleaned(dead)

    try:  # an image that cannot be read, or is no longer its mask's size, is left out (`_Pass._sample`)
        write_smokeseg(one_pass.samples(), dst, splits=lambda order: one_pass.plan(order, splits, seed),
                       resize_to=resize_to, overwrite=overwrite, cleaned=settled)
    except ProjectError as exc:  # nothing written, after dead exports' folders were settled: both said
        if not report.cleaned:
            raise
        raise ProjectError(exc.path, with_debris(exc.reason, report.cleaned)) from exc
    finally:
        report.skipped = [(i, reason) for _, i, reason in sorted(skipped + one_pass.skipped)]
    report.splits, report.duplicates, report.duplicate_splits = (one_pass.planned, one_pass.duplicates,
                                                                 one_pass.duplicate_splits)
    report.ids = {sample_id: entry.id for sample_id, entry in one_pass.written.items()}
    left_out = {image_id for image_id, _ in report.skipped}
    report.model_made = [i for i in model_made(e for _, e in candidates) if i not in left_out]
    return report
