"""The worklist: filter and sort project entries, step to the next image to review.

Pure functions over `ImageEntry` lists (``project.entries``); the app shows their result.

Sort keys (all put the images that most need a person first when ``descending=True``):

- ``"uncertainty"``: mean of p(1-p) over the image, from the stored prediction summary
  (0 = confident everywhere, 0.25 = p = 0.5 everywhere); images without prediction sort last.
- ``"uncertain_share"``: share of pixels with 0.3 < p < 0.7.
- ``"smoke_size"``: smoke pixel ratio of the saved mask (else of the prediction).
- ``"error"``: 1 - IoU of the prediction against the reference label (``error_vs_label``).
- ``"name"``: id (ascending with ``descending=False``).
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.data.types import IGNORE, SMOKE

__all__ = ["SORT_KEYS", "filter_entries", "live_counts", "next_unreviewed", "prediction_summary", "sort_entries",
           "sort_value", "status_counts"]

SORT_KEYS = ("uncertainty", "uncertain_share", "smoke_size", "error", "name")
_STATUS, _ID = operator.attrgetter("status"), operator.attrgetter("id")


def prediction_summary(probability: np.ndarray, threshold: float = 0.5, label: np.ndarray | None = None) -> dict:
    """Numbers the worklist sorts by, from a float (H, W) probability in [0, 1].

    label: uint8 (H, W) 0/1/255 reference (255 pixels left out of the error), or None.
    Returns {"threshold", "uncertainty", "uncertain_share", "smoke_ratio", "error_vs_label"}.
    """
    p = np.asarray(probability, dtype=np.float32)
    predicted = p > threshold
    summary: dict = {
        "threshold": float(threshold),
        "uncertainty": float(np.mean(p * (1.0 - p))) if p.size else 0.0,
        "uncertain_share": float(np.count_nonzero((p > 0.3) & (p < 0.7))) / max(p.size, 1),
        "smoke_ratio": float(np.count_nonzero(predicted)) / max(p.size, 1),
        "error_vs_label": None,
    }
    if label is not None:
        valid = label != IGNORE
        truth = label == SMOKE
        union = np.count_nonzero((predicted | truth) & valid)
        inter = np.count_nonzero(predicted & truth & valid)
        summary["error_vs_label"] = 0.0 if union == 0 else 1.0 - inter / union
    return summary


def status_counts(entries: Iterable[ImageEntry], overrides: dict[str, Status] | None = None) -> dict[Status, int]:
    """{status: how many entries have it}, every status present (0 when none); `overrides` gives
    the status of ids whose live state differs from the stored one (the image being edited)."""
    counts = dict.fromkeys(Status, 0)
    entries = entries if isinstance(entries, (list, tuple)) else list(entries)
    counts.update(Counter(map(_STATUS, entries)))  # counted in C: this runs after every stroke and review
    if overrides:
        ids = list(map(_ID, entries))
        for image_id, status in overrides.items():
            at = -1
            while (at := _index_after(ids, image_id, at + 1)) >= 0:
                counts[entries[at].status] -= 1
                counts[status] += 1
    return counts


def _index_after(ids: list[str], image_id: str, start: int) -> int:
    """The place of `image_id` in `ids` from `start` on, -1 when none."""
    try:
        return ids.index(image_id, start)
    except ValueError:
        return -1


def live_counts(stored: dict[Status, int], overrides: dict[str, Status],
                entry: Callable[[str], ImageEntry] | None) -> dict[Status, int]:
    """`status_counts(entries, overrides)` from `stored`, the counts of the entries' stored statuses
    (``status_counts(entries)``), without a pass over the entries: each id of `overrides` is looked up
    with `entry` (a project's ``entry``; an id it does not know, KeyError, counts nothing, as in
    `status_counts`; None: no entries)."""
    counts = dict.fromkeys(Status, 0)
    counts.update(stored)
    for image_id, status in overrides.items() if entry is not None else ():
        try:
            was = entry(image_id).status
        except KeyError:
            continue
        counts[was] -= 1
        counts[status] += 1
    return counts


def filter_entries(entries: Iterable[ImageEntry], statuses: Iterable[Status | str] | None = None, *,
                   split: str | None = None, text: str | None = None) -> list[ImageEntry]:
    """Entries whose status is in `statuses` (None: any), of `split`, whose id contains `text`."""
    if statuses is None and split is None and not text:
        return list(entries)  # the worklist's "All images": no pass in Python after every stroke
    wanted = None if statuses is None else {Status(s) for s in statuses}
    out = []
    for entry in entries:
        if wanted is not None and entry.status not in wanted:
            continue
        if split is not None and entry.split != split:
            continue
        if text and text.lower() not in entry.id.lower():
            continue
        out.append(entry)
    return out


def sort_value(entry: ImageEntry, key: str) -> float | None:
    """The number `sort_entries` sorts `entry` by for `key` (any of `SORT_KEYS` but ``"name"``): the
    mask's smoke ratio else the prediction's, or the prediction summary's number; None when the entry
    has none (it sorts last; the app says what would give one)."""
    pred = entry.prediction or {}
    if key == "smoke_size":
        value = entry.smoke_ratio if entry.smoke_ratio is not None else pred.get("smoke_ratio")
    elif key == "error":
        value = pred.get("error_vs_label")
    else:
        value = pred.get(key)
    return None if value is None else float(value)


def sort_entries(entries: Iterable[ImageEntry], key: str = "uncertainty", *,
                 descending: bool = True) -> list[ImageEntry]:
    """Entries sorted by `key` (see module doc); entries without the value come last, in order."""
    entries = list(entries)
    if key == "name":
        return sorted(entries, key=lambda e: e.id, reverse=descending)
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}; choose from {SORT_KEYS}")
    known: list[tuple[float, int, ImageEntry]] = []
    missing: list[ImageEntry] = []
    for i, e in enumerate(entries):  # each entry's number read once: this runs on every worklist refresh
        v = sort_value(e, key)
        if v is None:
            missing.append(e)
        else:
            known.append((v, i, e))
    known.sort(key=lambda t: (-t[0] if descending else t[0], t[1]))
    return [e for _, _, e in known] + missing


def next_unreviewed(entries: Sequence[ImageEntry], current: str | None, *, step: int = 1,
                    statuses: Iterable[Status | str] | None = None,
                    positions: Mapping[str, int] | None = None) -> str | None:
    """Id of the next (step=+1) or previous (step=-1) entry after `current` that is not reviewed,
    wrapping around; None when every other entry is reviewed. `entries` is the worklist order
    (sorted, not filtered: `current` keeps its place after leaving a filter). `statuses`: only
    entries with one of these (the worklist's filter; a reviewed one never), None any. `positions`:
    {id: its place in `entries}`, when the caller keeps one (no pass over the entries to find `current`)."""
    if step not in (1, -1):
        raise ValueError("step must be +1 or -1")
    wanted = set(Status) if statuses is None else {Status(s) for s in statuses}
    wanted.discard(Status.REVIEWED)
    n = len(entries)
    if n == 0:
        return None
    if positions is None:
        ids = [e.id for e in entries]
        at = ids.index(current) if current in ids else None
    else:
        at = positions.get(current) if current is not None else None
    start = at if at is not None else (-1 if step == 1 else n)
    for k in range(1, n + 1):
        i = (start + step * k) % n
        if entries[i].status in wanted and entries[i].id != current:
            return entries[i].id
    return None
