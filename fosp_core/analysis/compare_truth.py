"""Where Compare Two Checkpoints takes each image's ground truth from: a dataset label beside the
image, else the image's mask in an annotation project that a person made or checked. No Qt.

An annotator who corrected masks in a project (`fosp_core.annotation.project`) and fine-tuned a
model on them can ask whether the fine-tune is better on the masks they checked, as a labelling
tool evaluates a model on its annotated set. The rules:

- A dataset label (:func:`~fosp_core.analysis.results.find_label`: ``JPEGImages`` →
  ``SegmentationClass``, ``img`` → ``gt``, ...) wins: it is the reference the dataset ships.
- Else the project's saved mask counts when the image's status is one of :data:`TRUTH_STATUSES`:
  "reviewed" (a person marked it checked) and, unless `reviewed_only`, "edited" (a person changed
  it). A "predicted" mask is a model's output nobody touched, and an "unlabeled" image has none:
  they are NEVER ground truth, whatever their mask holds.
- A ground truth whose size is not the image's leaves the image out, named with both sizes
  (:attr:`Truth.problem`), instead of scoring it against nothing.

:class:`ProjectTruth` is the project side, taken once before a comparison (statuses as they are
then; each mask read when its image is reached, through the project's `load_mask`, so an open
project's pending background save is waited for); :func:`ground_truth` decides one image.

Taking it is the one pass over the images' files: each path's dataset label is looked up in its label
folders listed once for all images (:class:`LabelFinder`), each path resolved once (its folder once
for all), and what was found is kept, by the path as given, for :meth:`ProjectTruth.status_of`,
:meth:`ProjectTruth.dataset_label`, :func:`truth_counts_text` and :func:`ground_truth` (1000 images
in a SmokeSeg layout and a project's ``images/``: 55 ``stat`` calls per image, before, for the
Compare dialog's status line; bench/bench_compare_refresh.py).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from fosp_core.analysis.results import LABEL_DIRS, LABEL_EXTS, find_label
from fosp_core.io.masks import MaskReadError, read_mask
from fosp_core.open_paths import resolve_texts

__all__ = ["DATASET", "TRUTH_STATUSES", "UNREADABLE", "LabelFinder", "LeftOut", "MaskSource", "ProjectTruth", "Truth", "TruthFn",
           "ground_truth", "project_lookup", "project_name", "truth_counts_text"]

#: The statuses whose saved mask is ground truth (by default): a person made or checked the mask.
TRUTH_STATUSES: tuple[str, ...] = ("reviewed", "edited")
#: The source word of a dataset label.
DATASET = "dataset label"
#: A ground truth's problem when its file cannot be read ("its label x.png cannot be read (...)").
UNREADABLE = "cannot be read"


class MaskSource(Protocol):
    """What is read of a project (`fosp_core.annotation.project.Project` is one): its folder and an
    image's saved mask (uint8 (H, W) 0/1/255, None when it has none)."""

    folder: Path

    def load_mask(self, image_id: str) -> np.ndarray | None: ...


class LeftOut(StrEnum):
    """Why an image's ground truth leaves it out: its file cannot be read, or is of another size."""

    UNREADABLE = "unreadable"
    SIZE = "size"


@dataclass(frozen=True)
class Truth:
    """An image's ground truth: `label` (uint8 (H, W) 0/1/255 or None), `source` (":data:`DATASET`",
    "project mask (reviewed)", ... or "" without one) and, when the image is left out, `problem` (in
    words) and `kind` (:class:`LeftOut`)."""

    label: np.ndarray | None = None
    source: str = ""
    problem: str = ""
    kind: LeftOut | None = None


#: image path, image shape (H, W) -> its Truth.
TruthFn = Callable[[Path, tuple[int, int]], Truth]


def _key(path: str | os.PathLike) -> str:
    return os.path.realpath(path)


class LabelFinder:
    """:func:`~fosp_core.analysis.results.find_label` over many images, each label folder listed
    once (its files' names, with ``os.scandir``) instead of a ``stat`` per folder and file type per
    image: the same file, the same order of folders and file types."""

    def __init__(self) -> None:
        self._files: dict[str, frozenset[str]] = {}

    def _listing(self, folder: str) -> frozenset[str]:
        names = self._files.get(folder)
        if names is None:
            try:
                with os.scandir(folder) as entries:
                    names = frozenset(e.name for e in entries if e.is_file())
            except OSError:  # no such folder (most images), or unreadable: no label there
                names = frozenset()
            self._files[folder] = names
        return names

    def __call__(self, image_path: str | os.PathLike) -> Path | None:
        """The label file of `image_path`, or None (as `find_label`)."""
        text = os.fspath(image_path)
        folder, name = os.path.split(text)
        dirs = LABEL_DIRS.get(os.path.basename(folder), ())
        stem = os.path.splitext(name)[0]
        for label_dir in dirs:
            where = os.path.join(os.path.dirname(folder), label_dir)
            names = self._listing(where)
            for ext in LABEL_EXTS:
                if stem + ext in names:
                    return Path(where) / f"{stem}{ext}"
        return None


@dataclass(frozen=True)
class ProjectTruth:
    """The project masks that count as ground truth for some images.

    images: resolved image path -> (project, image id, status) of every image without a dataset
    label whose status counts; others: status -> how many of the images without a dataset label have
    a project entry with that status but do not count (predicted, unlabeled; edited with
    `reviewed_only`); names: the projects' names (:func:`project_name`); labels: path as given ->
    its dataset label file, and seen: path as given -> its key in `images` (None: its mask does not
    count), of the paths taken (a path not taken is looked up again).
    """

    images: Mapping[str, tuple[MaskSource, str, str]] = field(default_factory=dict)
    others: Mapping[str, int] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    statuses: tuple[str, ...] = TRUTH_STATUSES
    labels: Mapping[str, Path] = field(default_factory=dict)
    seen: Mapping[str, str | None] = field(default_factory=dict)

    @classmethod
    def take(cls, paths: Iterable[str | os.PathLike],
             lookup: Callable[[Path], tuple[Any, str] | None] | None, *,
             reviewed_only: bool = False) -> ProjectTruth:
        """The project side for `paths`: `lookup(path)` is (project, image id) of an image, or None
        when no project holds it (the app's `ProjectRegistry.lookup`, or :func:`project_lookup`;
        None: no project, dataset labels only). Statuses are read now; an image with a dataset label
        is left to it. One pass: each path's label looked up once (:class:`LabelFinder`), resolved
        once."""
        statuses = ("reviewed",) if reviewed_only else TRUTH_STATUSES
        images: dict[str, tuple[MaskSource, str, str]] = {}
        others: Counter[str] = Counter()
        names: list[str] = []
        labels: dict[str, Path] = {}
        seen: dict[str, str | None] = {}
        finder = LabelFinder()
        held: list[tuple[str, Any, str, str]] = []  # path, project, image id, status: of the counting ones
        for raw in paths:
            text = os.fspath(raw)
            seen[text] = None
            label = finder(text)
            if label is not None:
                labels[text] = label
                continue
            found = lookup(Path(raw)) if lookup is not None else None
            if found is None:
                continue
            project, image_id = found
            entry_status = project.entry(image_id).status
            status = str(getattr(entry_status, "value", entry_status))  # a Status, or its text
            if status in statuses:
                held.append((text, project, image_id, status))
                name = project_name(project)
                if name not in names:
                    names.append(name)
            else:
                others[status] += 1
        for (text, project, image_id, status), key in zip(held, resolve_texts(h[0] for h in held), strict=True):
            images[key] = (project, image_id, status)
            seen[text] = key
        return cls(images, dict(others), tuple(names), statuses, labels, seen)

    def _found(self, path: str | os.PathLike) -> tuple[MaskSource, str, str] | None:
        text = os.fspath(path)
        if text in self.seen:
            key = self.seen[text]
            return None if key is None else self.images.get(key)
        return self.images.get(_key(path))

    def status_of(self, path: str | os.PathLike) -> str | None:
        """The counting status of an image ("reviewed", "edited"), None when its mask does not count."""
        found = self._found(path)
        return None if found is None else found[2]

    def dataset_label(self, path: str | os.PathLike) -> Path | None:
        """The dataset label file of an image as it was when taken (`find_label` for a path not taken)."""
        text = os.fspath(path)
        return self.labels.get(text) if text in self.seen else find_label(path)

    def has_truth(self, path: str | os.PathLike) -> bool:
        """Whether an image has a ground truth: a dataset label, or a project mask that counts."""
        return self.dataset_label(path) is not None or self.status_of(path) is not None

    @property
    def counted(self) -> int:
        """How many of the paths taken have a ground truth."""
        return sum(1 for text, key in self.seen.items() if key is not None or text in self.labels)

    def label(self, path: str | os.PathLike) -> tuple[np.ndarray | None, str]:
        """(the image's saved project mask, its source words); (None, "") when it does not count or
        has no mask saved. A mask file that cannot be read raises (`MaskReadError`, `OSError`): the
        status line counted the image, so it is left out named, not scored as unlabelled."""
        found = self._found(path)
        if found is None:
            return None, ""
        project, image_id, status = found
        return project.load_mask(image_id), f"project mask ({status})"


def project_name(project: Any) -> str:
    """A project's name as the user knows it: the folder of its images (`images_root`), else its
    own folder (the images' folder of a ``.fosp`` one)."""
    root = getattr(project, "images_root", None)
    if root is not None and Path(root).name:
        return Path(root).name
    folder = Path(project.folder)
    return folder.parent.name if folder.name == ".fosp" else folder.name


def project_lookup(projects: Sequence[Any]) -> Callable[[Path], tuple[Any, str] | None]:
    """`lookup(path)` -> (project, image id) over `projects` (each a `Project`: `ids`, `image_path`),
    matching resolved paths."""
    index: dict[str, tuple[Any, str]] = {}
    for project in projects:
        for image_id in project.ids:
            index.setdefault(_key(project.image_path(image_id)), (project, image_id))
    return lambda path: index.get(_key(path))


def _size(shape: Sequence[int]) -> str:
    return f"{shape[1]} x {shape[0]}"


def ground_truth(path: Path, shape: tuple[int, int], project: ProjectTruth | None = None) -> Truth:
    """The :class:`Truth` of the image at `path` of size `shape` (H, W): its dataset label when
    there is one, else its counting project mask (`project`), else none. A label or mask that cannot
    be read or is of another size leaves the image out (`problem` names the file and the sizes)."""
    found = find_label(path) if project is None else project.dataset_label(path)
    if found is not None:
        try:
            label = read_mask(found)
        except MaskReadError as exc:
            return Truth(source=DATASET, problem=f"its label {found.name} {UNREADABLE} ({exc.reason})",
                         kind=LeftOut.UNREADABLE)
        if label.shape != tuple(shape):
            return Truth(source=DATASET, problem=f"its label {found.name} is {_size(label.shape)}, "
                                                 f"the image {_size(shape)}: left out", kind=LeftOut.SIZE)
        return Truth(label, DATASET)
    if project is None:
        return Truth()
    try:
        label, source = project.label(path)
    except (MaskReadError, OSError) as exc:
        reason = exc.reason if isinstance(exc, MaskReadError) else (exc.strerror or str(exc))
        return Truth(source=f"project mask ({project.status_of(path)})",
                     problem=f"its project mask ({project.status_of(path)}) {UNREADABLE} ({reason})",
                     kind=LeftOut.UNREADABLE)
    if label is None:
        return Truth()
    if label.shape != tuple(shape):
        return Truth(source=source, problem=f"its {source} is {_size(label.shape)}, the image {_size(shape)}: "
                                            "left out", kind=LeftOut.SIZE)
    return Truth(label, source)


def truth_counts_text(paths: Sequence[str | os.PathLike], project: ProjectTruth | None) -> str:
    """Where the ground truth of `paths` comes from, in words, before anything runs:
    "ground truth: 2 dataset labels, 37 reviewed and 5 edited masks of project demo; 12 predicted
    masks not counted: only reviewed and edited masks are"; "no ground truth" when none has one."""
    dataset = 0
    by_status: Counter[str] = Counter()
    for p in paths:
        if (find_label(p) if project is None else project.dataset_label(p)) is not None:
            dataset += 1
        elif project is not None and (status := project.status_of(p)) is not None:
            by_status[status] += 1
    parts = []
    if dataset:
        parts.append(f"{dataset} dataset label{'s' * (dataset != 1)}")
    if by_status:
        statuses = project.statuses if project is not None else TRUTH_STATUSES
        counted = " and ".join(f"{by_status[s]} {s}" for s in statuses if by_status[s])
        total = sum(by_status.values())
        names = ", ".join(project.names) if project is not None else ""
        parts.append(f"{counted} mask{'s' * (total != 1)} of project {names}")
    text = "ground truth: " + ", ".join(parts) if parts else "no ground truth"
    if project is not None and project.others:
        others = {s: n for s, n in sorted(project.others.items()) if s != "unlabeled"}
        if others:
            left = ", ".join(f"{n} {s}" for s, n in others.items())
            text += f"; {left} mask{'s' * (sum(others.values()) != 1)} not counted: only "
            text += " and ".join(project.statuses) + " masks are"
    return text
