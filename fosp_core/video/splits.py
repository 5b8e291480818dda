"""Train / val (/ test) splits of a video's exported frames, by time.

Neighbouring frames of a video are near-identical, so a random per-frame split would validate on
frames the model trained on in all but name. The frames are instead cut into contiguous blocks in
time order: train first, then val (then test), with the ratios and counts of the image export
(`fosp_core.annotation.export.check_ratios` and `split_counts`: any positive scale, sizes rounded,
while there are frames each split with a positive ratio gets at least one, train first, then val,
and train takes the rest). The
frames shown less than ``gap_s`` seconds before the first frame of the next block are left out (the
gap, taken from the frames before it: train gets fewer, val and test keep their share), so no frame
in train has a near twin in val.

A split that cannot be made apart from the one before it (a single frame, or frames all within the
gap of each other) is not made: its frames stay in the block before (train, in the end) and
:attr:`VideoSplitPlan.notes` says why, so an export of one or two frames still writes a dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fosp_core.annotation.export import check_ratios, split_counts

__all__ = ["DEFAULT_GAP_S", "DEFAULT_VIDEO_RATIOS", "VideoSplitPlan", "VideoSplits", "check_ratios",
           "plan_video_splits"]

#: train / val ratios of a video export when none is chosen (the Export frames dialog's and
#: `fosp video export`'s default): the last fifth of the frames, in time, validates
DEFAULT_VIDEO_RATIOS: tuple[float, float] = (0.8, 0.2)
#: seconds of video left out between a train block and the val block after it: smoke a second
#: apart still looks the same, so frames closer than that would validate on what trained
DEFAULT_GAP_S = 1.0
SPLIT_NAMES = ("train", "val", "test")

#: (train, val[, test]) ratios, or None for every frame in train
VideoSplits = tuple[float, ...] | None


@dataclass
class VideoSplitPlan:
    """Frame numbers per split (time order; only non-empty splits, train always), the frames left
    out as gaps between blocks, and why a split that was asked for was not made."""

    splits: dict[str, list[int]] = field(default_factory=dict)
    gap: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _blocks(frames: list[int], counts: list[int], time_of: Callable[[int], float],
            gap_s: float) -> tuple[list[list[int]], list[int]]:
    """Blocks in time order, filled from the end: the last split takes its count of the last frames,
    the frames within `gap_s` before its first frame are left out (the gap, returned second), the
    split before takes its count of the frames before those, and so on; train takes the rest (train
    pays for every gap, the other splits keep their share)."""
    blocks: list[list[int]] = [[] for _ in counts]
    gap: list[int] = []
    end = len(frames)
    for k in range(len(counts) - 1, 0, -1):
        if not counts[k]:
            continue
        start = max(0, end - counts[k])
        blocks[k] = frames[start:end]
        end = start
        while end > 0 and time_of(blocks[k][0]) - time_of(frames[end - 1]) < gap_s:
            end -= 1
            gap.append(frames[end])
    blocks[0] = frames[:end]
    return blocks, sorted(gap)


def plan_video_splits(frames: Sequence[int], splits: VideoSplits = DEFAULT_VIDEO_RATIOS, *,
                      time_of: Callable[[int], float] | None = None, gap_s: float = DEFAULT_GAP_S) -> VideoSplitPlan:
    """Split the exported `frames` (frame numbers) by time (see module doc).

    splits: (train, val[, test]) ratios, or None for every frame in train.
    time_of: seconds at which a frame is shown (a reader's ``time_of``); default the frame number,
        which makes `gap_s` a number of frames.
    gap_s: seconds from the last frame of a block to the first of the next, at least (0: no gap).
    """
    ordered = sorted(set(frames))
    if splits is None:
        return VideoSplitPlan({"train": ordered})
    ratios = check_ratios(splits)
    if not gap_s >= 0:
        raise ValueError(f"the gap between splits must be 0 or more seconds, got {gap_s}")
    seconds = time_of or float
    active = [k for k in range(1, len(ratios)) if ratios[k] > 0]  # the splits beside train asked for
    notes: list[str] = []
    while True:
        shares = tuple(r if k == 0 or k in active else 0.0 for k, r in enumerate(ratios))
        if not active:
            shares = (1.0,)
        counts = split_counts(len(ordered), shares)
        blocks, gap = _blocks(ordered, counts, seconds, gap_s)
        needed = [k for k in [0, *active] if k or ratios[0] > 0]
        if not active or all(blocks[k] for k in needed):
            names = SPLIT_NAMES[:len(blocks)]
            return VideoSplitPlan({name: block for name, block in zip(names, blocks, strict=True)
                                   if block or name == "train"}, gap, notes)
        notes.append(_why_not(SPLIT_NAMES[active.pop()], ordered, seconds, gap_s))


def _why_not(name: str, frames: list[int], time_of: Callable[[int], float], gap_s: float) -> str:
    """Why split `name` could not be made of `frames`, in words for the user."""
    if len(frames) < 2:
        return f"no {name} split: only {len(frames)} frame(s) to export"
    if time_of(frames[-1]) - time_of(frames[0]) < gap_s:
        return (f"no {name} split: the {len(frames)} frames lie within {gap_s:g} s of each other, too close "
                f"together to keep {name} apart from the frames before it")
    return f"no {name} split: {len(frames)} frames are too few to keep {name} {gap_s:g} s apart from the frames before it"
