"""Per-image scores of the analysis view, kept apart from the result cache. No Qt.

The :class:`~fosp_core.analysis.results.ResultCache` keeps a few dozen predictions (every map of a
1920×1080 image is ~60 MB), but the metrics table's total and size-bucket rows must cover every image
scored, as ``fosp eval`` does. A :class:`ScoreBook` keeps what each image scored - a few floats and
the smoke ratio δ of its label, which gives its size bucket - by the run that produced them (a
:class:`~fosp_core.analysis.results.ResultKey`: image, model, τ) and by the decision settings (mask
threshold, region rule). Each image's scores are checked against its label file as it is now (a
:class:`LabelStamp`): a label that changed, appeared or went away makes them unknown again.

Scores at a threshold or rule the book has not seen need the probability map, so an image whose
prediction left the cache has none until it runs again ("Run on all" runs exactly those,
:meth:`ScoreBook.covers`).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fosp_core.analysis.results import (
    LABEL_DIRS,
    LABEL_EXTS,
    ResultKey,
    Scores,
    bucket_means,
    find_label,
    keep_recent,
    tau_key,
)

__all__ = ["ImageScore", "LabelStamp", "ScoreBook", "ScoreTable", "label_stamp", "label_stamps"]


@dataclass(frozen=True)
class LabelStamp:
    """A label file as it was when read: its path (a string: thousands are made per look), its
    modification time (ns) and size in bytes."""

    file: str
    mtime_ns: int
    size: int

    @property
    def path(self) -> Path:
        return Path(self.file)


def label_stamp(image_path: str | Path) -> LabelStamp | None:
    """The label file of image `image_path` (:func:`~fosp_core.analysis.results.find_label`'s
    layouts) as it is now, or None when it has none."""
    found = find_label(image_path)
    if found is None:
        return None
    try:
        stat = found.stat()
    except OSError:
        return None
    return LabelStamp(os.fspath(found), stat.st_mtime_ns, stat.st_size)


def label_stamps(image_paths: Iterable[Path]) -> dict[Path, LabelStamp | None]:
    """:func:`label_stamp` of each image, listing each label folder once instead of looking for
    every candidate file (5 000 images: tens of ms, not hundreds). Names match as the file system
    lists them (a label must be named like its image, in the same case)."""
    folders: dict[str, list[dict[str, os.DirEntry[str]]]] = {}  # image folder -> its label folders' listings
    out: dict[Path, LabelStamp | None] = {}
    for path in image_paths:
        parent, name = os.path.split(os.fspath(path))
        listings = folders.get(parent)
        if listings is None:
            above, folder_name = os.path.split(parent)
            listings = folders[parent] = [_listing(os.path.join(above, d)) for d in LABEL_DIRS.get(folder_name, ())]
        stem = os.path.splitext(name)[0]
        out[path] = next((s for s in (_first_file(listing, stem) for listing in listings) if s is not None), None)
    return out


def _first_file(listing: dict[str, os.DirEntry[str]], stem: str) -> LabelStamp | None:
    """The stamp of the first file named `stem` + one of LABEL_EXTS (in their order) in `listing`."""
    for ext in LABEL_EXTS:
        entry = listing.get(stem + ext)
        if entry is None:
            continue
        try:
            if entry.is_file():
                stat = entry.stat()
                return LabelStamp(entry.path, stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue
    return None


def _listing(folder: str) -> dict[str, os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return {entry.name: entry for entry in entries}
    except OSError:
        return {}


@dataclass(frozen=True)
class ImageScore:
    """One image's scores at one threshold and region rule (n = 0: its label is all ignore) and the
    smoke ratio δ of its label (its size bucket)."""

    scores: Scores
    delta: float


@dataclass
class _Run:
    """What one run (image, model, τ) scored against one label file (None: the image had none).
    delta None: nothing to score (no label, or one unreadable or of another size than the image)."""

    label: LabelStamp | None
    delta: float | None
    scores: OrderedDict[tuple[float, str], ImageScore] = field(default_factory=OrderedDict)


def _rule(threshold: float, keep: str) -> tuple[float, str]:
    """The key of one threshold and region rule in :attr:`_Run.scores`."""
    return float(threshold), str(keep)


@dataclass(frozen=True)
class ScoreTable:
    """The scores known at one set of settings over some images, in their order.

    images: the images with scores (all-ignore labels included, n = 0); pending: images that ran with
    this model and τ and have a label, but no scores at this threshold and rule (or against their
    label as it is now): they need to run again; unusable: images that ran against a label file that
    gave nothing to score (unreadable, or of another size than the image: ``fosp eval`` refuses it).
    """

    images: tuple[ImageScore, ...] = ()
    pending: int = 0
    unusable: int = 0
    scored: int = field(init=False)  # images with a pixel to score (those the rows mean over)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scored", sum(1 for s in self.images if s.scores.n))

    @property
    def all_ignore(self) -> int:
        """Images whose label is all ignore (255), left out of the rows."""
        return len(self.images) - self.scored

    def buckets(self) -> dict[str, Scores]:
        """Per-image means by size bucket: "total", "small", "medium", "large" (as ``fosp eval``)."""
        return bucket_means([(s.scores, s.delta) for s in self.images])


class ScoreBook:
    """What each run scored, by :class:`ResultKey` (grouped by model and τ, then by image) and then
    by (threshold, region rule); see the module doc. Bounded: at most `max_groups` (model, τ) pairs,
    `max_images` images in each (least recently recorded go first) and `max_rules` settings per image
    (a threshold slider swept over a cached result would otherwise add one per step).
    """

    def __init__(self, max_images: int = 200_000, max_rules: int = 16, max_groups: int = 16) -> None:
        if min(max_images, max_rules, max_groups) < 1:
            raise ValueError("max_images, max_rules and max_groups must be >= 1")
        self.max_images = int(max_images)
        self.max_rules = int(max_rules)
        self.max_groups = int(max_groups)
        self._groups: OrderedDict[tuple[str, float | None], OrderedDict[Path, _Run]] = OrderedDict()

    def __len__(self) -> int:
        """How many runs (image, model, τ) the book holds."""
        return sum(len(group) for group in self._groups.values())

    def clear(self) -> None:
        self._groups.clear()

    def _group(self, model: str, tau: float | None) -> OrderedDict[Path, _Run] | None:
        """The runs of `model` at `tau` (rounded as in :class:`ResultKey`), by image, or None."""
        return self._groups.get((model, tau_key(tau)))

    def _run(self, key: ResultKey) -> _Run | None:
        group = self._groups.get((key.model, key.tau))
        return None if group is None else group.get(key.path)

    def record(self, key: ResultKey, label: LabelStamp | None, threshold: float, keep: str,
               scores: Scores | None, delta: float | None = None) -> None:
        """Run `key` scored `scores` (its label's smoke ratio `delta`) at `threshold` and rule `keep`
        against `label` (None: the image has no label file); `scores` None: there was nothing to
        score (no label, or one unreadable or of another size than the image)."""
        group_key = (key.model, key.tau)
        group = self._groups.get(group_key)
        if group is None:
            group = self._groups[group_key] = OrderedDict()
        keep_recent(self._groups, group_key, self.max_groups)
        new_delta = None if scores is None or delta is None else float(delta)
        run = group.get(key.path)
        if run is None or run.label != label or run.delta != new_delta:  # another label: forget its scores
            run = group[key.path] = _Run(label, new_delta)
        keep_recent(group, key.path, self.max_images)
        if scores is not None and new_delta is not None:
            rule = _rule(threshold, keep)
            run.scores[rule] = ImageScore(scores, new_delta)
            keep_recent(run.scores, rule, self.max_rules)

    def get(self, key: ResultKey, label: LabelStamp | None, threshold: float, keep: str) -> ImageScore | None:
        """Run `key`'s scores at `threshold` and rule `keep` when they were scored against `label`
        (the image's label file as it is now), else None."""
        run = self._run(key)
        if run is None or run.label != label or run.delta is None:
            return None
        return run.scores.get(_rule(threshold, keep))

    def covers(self, key: ResultKey, label: LabelStamp | None, threshold: float, keep: str) -> bool:
        """Whether run `key` needs no run at these settings: its scores against `label` are known,
        or it ran and had nothing to score (no usable label, and `label` is still that one)."""
        run = self._run(key)
        if run is None or run.label != label:
            return False
        return run.delta is None or _rule(threshold, keep) in run.scores

    def forget(self, keys: Iterable[ResultKey]) -> None:
        """Forget runs `keys` (their scores at every setting): they count as never run here (a Run on
        All Again runs the images whose scores came from their saved summaries)."""
        for key in keys:
            group = self._groups.get((key.model, key.tau))
            if group is not None:
                group.pop(key.path, None)

    def was_run(self, key: ResultKey) -> bool:
        """Whether run `key` was recorded at all (whatever the settings or its label since)."""
        return self._run(key) is not None

    def ran(self, model: str, tau: float | None) -> Collection[Path]:
        """The images that ran with `model` at `tau` (rounded as in :class:`ResultKey`)."""
        group = self._group(model, tau)
        return {}.keys() if group is None else group.keys()

    def ran_elsewhere(self, model: str, tau: float | None) -> set[Path]:
        """The images that ran with `model` at another τ than `tau` against a label file, and not at `tau`:
        what Run on All Images would score at `tau` (the metrics note counts them, as those scored at
        another threshold)."""
        rounded, here = tau_key(tau), self.ran(model, tau)
        return {path for (m, t), group in self._groups.items() if m == model and t != rounded
                for path, run in group.items() if run.label is not None and path not in here}

    def table(self, paths: Iterable[Path], model: str, tau: float | None, labels: Mapping[Path, LabelStamp | None],
              threshold: float, keep: str) -> ScoreTable:
        """The scores of images `paths` (in this order) run with `model` at `tau`, at `threshold` and
        rule `keep`, each against its label as it is now (`labels`, by image path: :func:`label_stamps`)."""
        group = self._group(model, tau)
        if group is None:
            return ScoreTable()
        rule = _rule(threshold, keep)
        images: list[ImageScore] = []
        pending = unusable = 0
        for path in paths:
            run = group.get(path)
            if run is None:
                continue
            label = labels.get(path)
            if run.label == label:
                if run.delta is None:
                    unusable += label is not None  # a label file there, nothing to score in it
                    continue
                scored = run.scores.get(rule)
                if scored is not None:
                    images.append(scored)
                    continue
            if label is not None:
                pending += 1  # it has a label: running it again at these settings scores it
        return ScoreTable(tuple(images), pending, unusable)
