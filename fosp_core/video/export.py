"""Export chosen frames of a video with their masks as a SmokeSeg dataset.

Frames are chosen as keyframes, every Nth frame, or the edited ones; only frames with a saved mask
are written (the others, and those whose image or mask cannot be read, are reported as skipped). Ids are ``<video-stem>_<frame:06d>``
(:func:`export_stem`: white space in the name becomes ``_``, as the image export does, and leading dots go);
writing goes through :func:`fosp_core.data.smokeseg.write_smokeseg` (atomic, palette PNG masks, JPEG images;
the temporary folders of earlier exports there killed mid-way that it removes are in the report's ``cleaned``,
as for the image export).

Splits: by default the written frames are cut by time into train and then val (the last fifth), a
second of video left out between them (:mod:`fosp_core.video.splits`: neighbouring frames are
near-identical, so a random split would validate on train's twins); ``splits=None`` puts every frame
in train. Too few frames for a val split (one, or all within the gap) go to train, and the report's
``notes`` say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fosp_core.annotation.export_target import held_file, holds_message, inside_message
from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.smokeseg_debris import DeadExport
from fosp_core.data.smokeseg_ids import portable_id
from fosp_core.data.types import LazySamples, Sample
from fosp_core.video.reader import FrameDecodeError, FrameReader
from fosp_core.video.splits import DEFAULT_GAP_S, DEFAULT_VIDEO_RATIOS, VideoSplits, plan_video_splits
from fosp_core.video.timeline import VideoAnnotationError, VideoAnnotations, frame_id

__all__ = ["FrameChoice", "VideoExportReport", "choose_frames", "destination_problem", "export_frames", "export_stem"]

FrameChoice = Literal["keyframes", "every", "edited"]
_WHITE_SPACE = re.compile(r"\s+")


def export_stem(stem: str) -> str:
    """The start of the SmokeSeg ids of a video's frames: its stem with white space as ``_`` (split files
    hold one id per line; 'VID 0001.mp4' is a common name) and without leading dots (ids are no hidden
    files), a file name on every system (`portable_id`: ``cam:01`` -> ``cam_01``, ``con.x`` -> ``con_.x``);
    ``video`` when nothing is left."""
    return portable_id(_WHITE_SPACE.sub("_", stem).lstrip(".")) or "video"


@dataclass
class VideoExportReport:
    """Where the dataset went, the frames written (all, and per split), the frames that could not
    be written (frame, reason), those left out as the gap between splits, why a split asked for
    was not made, and the temporary folders of earlier exports there killed mid-way that the writer removed
    first (`cleaned`: `fosp_core.data.smokeseg_debris`), each with the bytes it held."""

    dst: Path
    frames: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    splits: dict[str, list[int]] = field(default_factory=dict)
    gap: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cleaned: list[DeadExport] = field(default_factory=list)


def choose_frames(annotations: VideoAnnotations, choice: FrameChoice, every: int = 10) -> list[int]:
    """Frame numbers for `choice`: keyframes, every `every`-th frame from 0, or the edited ones."""
    if choice == "keyframes":
        return sorted(annotations.keyframes)
    if choice == "edited":
        return sorted(annotations.edited)
    if choice == "every":
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        return list(range(0, annotations.frame_count, every))
    raise ValueError(f"unknown frame choice {choice!r}")


def destination_problem(annotations: VideoAnnotations, dst: str | Path) -> str | None:
    """Why the frames of `annotations` cannot be exported to `dst`: a folder an export with overwrite
    replaces whole, that holds the video (its file, or its folder of frames) or its annotation folder
    (masks, keyframes; `fosp_core.annotation.export_target.held_file`), or lies inside that folder (its
    masks folder: Replace would delete them). None when it can. The Export frames dialog asks it before
    closing."""
    video = annotations.video
    if video.is_dir():  # an image sequence
        held = held_file(dst, [], [video, annotations.folder])
    else:
        held = held_file(dst, [video]) or held_file(dst, [], [annotations.folder])
    if held is not None:
        return holds_message(held, "the video's")
    # its masks folder, rescued/, one of them through a link: Replace would delete the masks
    return inside_message(dst, annotations.folder, "the video's annotation folder")


def _frame_samples(reader: FrameReader, annotations: VideoAnnotations, frames: list[int]) -> LazySamples[int]:
    """Samples decoded lazily, one frame at a time (memory stays one frame)."""

    stem = export_stem(annotations.stem)

    def load(frame: int) -> Sample:
        mask = annotations.load_mask(frame)
        return Sample(frame_id(stem, frame), reader.read(frame).copy(), mask)

    return LazySamples(frames, load)


def export_frames(reader: FrameReader, annotations: VideoAnnotations, frames: Sequence[int], dst: str | Path, *,
                  splits: VideoSplits = DEFAULT_VIDEO_RATIOS, gap_s: float = DEFAULT_GAP_S,
                  resize_to: int | None = None, overwrite: bool = False,
                  progress: Callable[[int, int | None], None] | None = None) -> VideoExportReport:
    """Write `frames` (those with a saved mask and a decodable image) to `dst` as SmokeSeg.

    splits: (train, val[, test]) ratios of the frames, cut by time (see module doc), or None for
        every frame in train. gap_s: seconds of video left out between one split and the next.
    Raises ValueError for bad ratios or when none of the frames can be written; SmokeSegWriteError
    from the writer, and before anything is read or written for a `dst` that holds the video or its
    masks (`destination_problem`)."""
    plan_video_splits([], splits, gap_s=gap_s)  # bad ratios are refused before any frame is read
    problem = destination_problem(annotations, dst)
    if problem is not None:
        raise SmokeSegWriteError(dst, problem)
    report = VideoExportReport(Path(dst))
    usable: list[int] = []
    for frame in sorted(set(frames)):
        if not 0 <= frame < annotations.frame_count:
            report.skipped.append((frame, "outside the video"))
        elif not annotations.has_mask(frame):  # no file-system call (a long video's every frame)
            report.skipped.append((frame, "no mask"))
        else:
            try:
                if annotations.load_mask(frame) is None:  # removed behind its back, or of another size
                    report.skipped.append((frame, "mask of another size" if annotations.has_mask(frame)
                                           else "no mask"))
                    continue
                reader.read(frame)
            except (FrameDecodeError, VideoAnnotationError) as exc:
                report.skipped.append((frame, exc.reason))
                continue
            usable.append(frame)
    if not usable:
        if frames and all(reason == "no mask" for _, reason in report.skipped):
            raise ValueError("none of the chosen frames has a mask to export")
        why = "; ".join(f"frame {frame}: {reason}" for frame, reason in report.skipped[:8])
        more = f"; and {len(report.skipped) - 8} more" if len(report.skipped) > 8 else ""
        raise ValueError(f"none of the chosen frames can be exported ({why}{more})" if why
                         else "no frames were chosen to export")
    plan = plan_video_splits(usable, splits, time_of=reader.time_of, gap_s=gap_s)
    report.splits, report.gap, report.notes = plan.splits, plan.gap, plan.notes
    report.frames = sorted(f for block in plan.splits.values() for f in block)
    stem = export_stem(annotations.stem)
    write_smokeseg(_frame_samples(reader, annotations, report.frames), Path(dst), resize_to=resize_to,
                   splits={name: [frame_id(stem, f) for f in block] for name, block in plan.splits.items()},
                   overwrite=overwrite, progress=progress, cleaned=report.cleaned.append)
    return report
