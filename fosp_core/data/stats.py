"""Dataset statistics: counts, image sizes, size buckets and the delta histogram (paper Fig. 5)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fosp_core.data.dataset_layouts import nested_files
from fosp_core.data.datasets import Dataset, SampleError, available_splits, header_size, read_split_file
from fosp_core.data.duplicates import duplicates_text, exact_duplicates
from fosp_core.io.images import ImageReadError, read_image
from fosp_core.metrics.buckets import BUCKETS, DELTA_BIN_EDGES, size_bucket

__all__ = ["LISTED", "DatasetStats", "dataset_stats", "format_stats"]

#: Problems named one per line in the report; a summary line tells how many more there are.
LISTED = 20


@dataclass
class DatasetStats:
    """What `fosp dataset stats` prints. deltas: smoke pixel ratio per labelled image (0..1)."""

    root: str
    layout: str
    split: str | None
    n: int
    labelled: bool
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: (mask path, reason) of every mask that could not be read (no delta)
    unreadable: list[tuple[str, str]] = field(default_factory=list)
    #: (image path, reason) of every image whose size could not be read (not counted in `sizes`)
    unreadable_images: list[tuple[str, str]] = field(default_factory=list)
    sizes: Counter = field(default_factory=Counter)
    deltas: list[float] = field(default_factory=list)
    splits: dict[str, int] = field(default_factory=dict)
    #: (sub-folder, files) of image or mask files in sub-folders, which no reader takes
    not_read: list[tuple[str, int]] = field(default_factory=list)
    #: groups of ids whose image files hold the same bytes (`fosp_core.data.duplicates`)
    duplicates: list[list[str]] = field(default_factory=list)

    @property
    def buckets(self) -> dict[str, int]:
        counts = Counter(size_bucket(d) for d in self.deltas)
        return {b: counts.get(b, 0) for b in BUCKETS}

    def histogram(self) -> list[tuple[float, float, int]]:
        """[(low, high, count)] over DELTA_BIN_EDGES (last bin closed)."""
        counts, _ = np.histogram(np.asarray(self.deltas, dtype=np.float64), bins=np.asarray(DELTA_BIN_EDGES))
        return [(DELTA_BIN_EDGES[i], DELTA_BIN_EDGES[i + 1], int(c)) for i, c in enumerate(counts)]

    def to_json(self) -> dict:
        return {
            "root": self.root, "layout": self.layout, "split": self.split, "n": self.n,
            "labelled": self.labelled, "skipped": [list(s) for s in self.skipped],
            "unreadable": [list(s) for s in self.unreadable],
            "unreadable_images": [list(s) for s in self.unreadable_images],
            "sizes": {f"{w}x{h}": c for (w, h), c in self.sizes.most_common()},
            "buckets": self.buckets, "splits": self.splits,
            "delta_histogram": [{"low": lo, "high": hi, "count": c} for lo, hi, c in self.histogram()],
            "delta_mean": float(np.mean(self.deltas)) if self.deltas else None,
            "not_read": dict(self.not_read),
            "duplicates": [list(group) for group in self.duplicates],
        }


def dataset_stats(dataset: Dataset) -> DatasetStats:
    """Count a dataset: image sizes from file headers, delta from every mask (images not decoded),
    exact duplicate images (files of one size hashed)."""
    stats = DatasetStats(root=str(dataset.root), layout=dataset.layout, split=dataset.split, n=len(dataset),
                         labelled=dataset.has_labels, skipped=list(dataset.skipped),
                         not_read=nested_files(dataset.root, dataset.layout),
                         duplicates=exact_duplicates({e.id: e.image for e in dataset.entries}))
    for name, path in available_splits(dataset.root).items():
        if path.is_file():
            stats.splits[name] = len(read_split_file(path))
    for i, entry in enumerate(dataset.entries):
        size = header_size(entry.image)
        if size is None:
            size, reason = _decoded_size(entry.image)
            if size is None:
                stats.unreadable_images.append((str(entry.image), reason))
        if size is not None:
            stats.sizes[size] += 1
        if dataset.has_labels:
            try:
                mask = dataset.load_mask(i)
            except SampleError as exc:
                stats.unreadable.append((str(exc.path), exc.reason))  # its path, as the images'
                continue
            if mask is not None:
                stats.deltas.append(float(np.count_nonzero(mask == 1)) / mask.size)
    return stats


def _decoded_size(path: Path) -> tuple[tuple[int, int] | None, str]:
    """((width, height), "") of an image whose header Pillow cannot read but the full reader can
    (the OpenCV fallback), else (None, why not) in `read_image`'s words."""
    try:
        height, width = read_image(path).rgb.shape[:2]
    except ImageReadError as exc:
        return None, exc.reason
    return (int(width), int(height)), ""


def _listed(title: str, items: list[tuple[str, str]]) -> list[str]:
    """`title: N`, then `  item: reason` for the first LISTED, then a summary line for the rest."""
    lines = [f"{title}: {len(items)}"] + [f"  {i}: {reason}" for i, reason in items[:LISTED]]
    if len(items) > LISTED:
        lines.append(f"  ... and {len(items) - LISTED} more")
    return lines


def format_stats(stats: DatasetStats, width: int = 40) -> str:
    """Plain-text report: counts, splits, sizes, buckets and a delta histogram drawn with #."""
    lines = [f"dataset: {stats.root}", f"layout: {stats.layout}" + (f", split {stats.split}" if stats.split else ""),
             f"images: {stats.n}" + ("" if stats.labelled else " (no labels)")]
    if stats.skipped:
        lines += _listed("skipped", stats.skipped)
    if stats.unreadable_images:
        lines += _listed("unreadable images", stats.unreadable_images)
    if stats.unreadable:
        lines += _listed("unreadable masks", stats.unreadable)
    if stats.not_read:
        lines.append("not read (images lie directly in their folder): "
                     + ", ".join(f"{folder}/ {n} file{'s' if n != 1 else ''}" for folder, n in stats.not_read[:8])
                     + (f", ... ({len(stats.not_read)} folders)" if len(stats.not_read) > 8 else ""))
    if stats.duplicates:
        lines.append("exact duplicates (the same image file under two names; a random split may put them in "
                     f"train and val): {duplicates_text(stats.duplicates)}")
    if stats.splits:
        lines.append("split files: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.splits.items())))
    sizes = stats.sizes.most_common()
    lines.append("image sizes: " + (", ".join(f"{w}x{h} {c}" for (w, h), c in sizes[:8]) or "none")
                 + (f", ... ({len(sizes)} sizes)" if len(sizes) > 8 else ""))
    if stats.deltas:
        b = stats.buckets
        n = len(stats.deltas)
        lines.append("size buckets (delta = smoke pixel ratio): "
                     + ", ".join(f"{k} {v} ({100 * v / n:.1f} %)" for k, v in b.items())
                     + "   [small < 0.5 % <= medium < 2.5 % <= large]")
        empty = sum(1 for d in stats.deltas if d == 0)
        lines.append(f"delta: mean {100 * float(np.mean(stats.deltas)):.2f} %, median "
                     f"{100 * float(np.median(stats.deltas)):.2f} %, images without smoke {empty}")
        lines.append("delta histogram (share of images):")
        hist = stats.histogram()
        top = max(c for _, _, c in hist) or 1
        for lo, hi, c in hist:
            bar = "#" * round(width * c / top)
            lines.append(f"  {100 * lo:6.2f} - {100 * hi:6.2f} %  {c:6d}  {100 * c / n:5.1f} %  {bar}")
    return "\n".join(lines)
