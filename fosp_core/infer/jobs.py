"""Batch jobs that write files: a list of images, or one video (used by `fosp predict`).

Every input is decoded in a background thread, predicted in batches and written atomically; an
input that fails (unreadable image, undecodable frame, unwritable file) is reported through `log`
and counted, and the job goes on. Inputs whose outputs already exist are skipped unless
`overwrite`; an image with only some of them (a run stopped between its files) gets the rest.
A `CancelToken` stops a job within one batch.
"""

from __future__ import annotations

import contextlib
import errno
import glob
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from fosp_core.infer.outputs import (
    OutputWriteError,
    kind_folder,
    needs_for,
    output_path,
    video_overlay_path,
    write_prediction,
)
from fosp_core.infer.predictor import Predictor
from fosp_core.infer.stream import CancelToken, Frame, Progress, iter_image_files, predict_stream
from fosp_core.infer.video import (
    OverlayVideoWriter,
    VideoReadError,
    VideoWriteError,
    iter_video_frames,
    overlay,
    probe_video,
)

Log = Callable[[str], None]


@dataclass
class JobReport:
    """Counts over a job. `errors` lists (input name, reason) for every failure."""

    predicted: int = 0
    failed: int = 0
    skipped: int = 0
    frames: int = 0
    cancelled: bool = False
    #: A write refused as every later one would be (a full disk, a read-only file system): the job
    #: stopped, and a caller with more inputs stops too
    stopped: bool = False
    written: list[Path] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, name: str, reason: str, log: Log | None) -> None:
        self.failed += 1
        self.errors.append((name, reason))
        if log is not None:
            log(f"failed {name}: {reason}")


@dataclass
class JobOptions:
    out_dir: Path
    kinds: tuple[str, ...] = ("mask",)
    threshold: float = 0.5
    keep: str = "plain"  # region rule of the masks (fosp_core.metrics.decision)
    overwrite: bool = False
    every: int = 1
    video_out: Path | None = None
    progress: Callable[[Progress], None] | None = None
    cancel: CancelToken | None = None


def disk_full(exc: BaseException) -> bool:
    """True when `exc`, or an error it was raised from, is a full disk (ENOSPC, or a quota: EDQUOT)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _refused_everywhere(exc: BaseException) -> int | None:
    """The errno of a refusal every later write to the same disk would meet too: a full disk
    (`disk_full`), a read-only file system (EROFS); None for one file's own (EACCES: a file open in
    another program on Windows, ...), after which the run goes on."""
    if disk_full(exc):
        return errno.ENOSPC
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno == errno.EROFS:
            return errno.EROFS
        seen = seen.__cause__ or seen.__context__
    return None


def _say(log: Log | None, message: str) -> None:
    if log is not None:
        log(message)


def predict_images(predictor: Predictor, paths: list[Path], ids: list[str], opts: JobOptions,
                   report: JobReport, log: Log | None = None) -> JobReport:
    """Predict image files and write opts.kinds for each (named by `ids`). Without `overwrite`, an
    image whose outputs all exist is skipped, and one with some of them (a run stopped between its
    files) gets only the missing ones."""
    todo: list[tuple[Path, str]] = []
    kinds_of: dict[str, tuple[str, ...]] = {}
    producible = opts.kinds if predictor.runner.has_separation else tuple(
        k for k in opts.kinds if k not in ("focus", "background"))  # never written for such models
    for path, image_id in zip(paths, ids, strict=True):
        existing = {k for k in producible if output_path(opts.out_dir, k, image_id).exists()}
        if existing and not opts.overwrite:
            if len(existing) == len(producible):
                report.skipped += 1
                if log is not None:
                    log(f"skipped {path}: {output_path(opts.out_dir, next(iter(existing)), image_id)} exists "
                        "(use --overwrite)")
                continue
            kinds_of[image_id] = tuple(k for k in opts.kinds if k not in existing)
            if log is not None:
                log(f"{path}: only {', '.join(kinds_of[image_id])} missing (an earlier run stopped); writing those")
        todo.append((path, image_id))
    if not todo:
        return report
    frames = iter_image_files([p for p, _ in todo], [i for _, i in todo])
    stream = predict_stream(predictor, frames, need=needs_for(opts.kinds), total=len(todo),
                            progress=opts.progress, cancel=opts.cancel)
    with contextlib.closing(stream):
        for seen, (frame, pred) in enumerate(stream, 1):
            if pred is None or frame.rgb is None:
                report.fail(str(frame.source), frame.error or "unknown error", log)
                continue
            if frame.note is not None and log is not None:
                log(f"note: {frame.source.name}: {frame.note}")
            try:
                report.written += write_prediction(opts.out_dir, frame.name, frame.rgb, pred,
                                                  kinds_of.get(frame.name, opts.kinds), opts.threshold, opts.keep)
            except (OutputWriteError, OSError) as exc:
                report.fail(str(frame.source), str(exc), log)
                refused = _refused_everywhere(exc)  # every image left would be predicted to fail the same way
                if refused is not None:
                    why, fix = ((f"the disk of {opts.out_dir} is full", "Free space") if refused == errno.ENOSPC else
                                (f"{opts.out_dir} is on a read-only file system", "Make it writable (or pick another "
                                 "--out)"))
                    _say(log, f"stopped: {why}; {len(todo) - seen} image(s) not predicted. {fix} and run it again: "
                              "the images done are skipped")
                    report.stopped = True
                    break
                continue
            report.predicted += 1
            if log is not None:
                log(f"ok {frame.source.name} -> {frame.name}  smoke "
                    f"{100 * pred.smoke_ratio(opts.threshold, opts.keep):.2f}%")
    report.cancelled = bool(opts.cancel and opts.cancel.cancelled)
    return report


def predict_video(predictor: Predictor, video: Path, kinds: tuple[str, ...] | None, opts: JobOptions,
                  report: JobReport, log: Log | None = None) -> JobReport:
    """Predict the frames of one video. kinds None -> overlay MP4 only. "overlay" -> MP4 at
    opts.video_out or OUT/overlay/<stem>.mp4; other kinds -> per-frame files <stem>_f000123."""
    kinds = kinds if kinds is not None else ("overlay",)
    want_video = "overlay" in kinds or opts.video_out is not None
    frame_kinds = tuple(k for k in kinds if k != "overlay")
    if not predictor.runner.has_separation:  # never written for such models (as predict_images)
        frame_kinds = tuple(k for k in frame_kinds if k not in ("focus", "background"))
    target = opts.video_out or video_overlay_path(opts.out_dir, video)
    clash = _existing_video_outputs(opts.out_dir, video, frame_kinds, target if want_video else None)
    resuming = clash is not None and not opts.overwrite  # a run stopped part-way: write what is missing
    if resuming and (want_video and target.exists()):  # the overlay is renamed in last: the video is done
        return _skipped(video, clash, report, log)
    try:
        info = probe_video(video)
    except VideoReadError as exc:
        report.fail(str(video), exc.reason, log)
        return report
    total = -(-info.frame_count // max(1, opts.every)) if info.frame_count else None  # frames 0, N, 2N, ...: ceil
    if resuming and not want_video and total and all(
            sum(1 for _ in kind_folder(opts.out_dir, k).glob(f"{glob.escape(video.stem)}_f[0-9]*")) >= total for k in frame_kinds):
        return _skipped(video, clash, report, log)

    def missing(name: str) -> tuple[str, ...]:
        return tuple(k for k in frame_kinds if not (resuming and output_path(opts.out_dir, k, name).exists()))

    present = 0

    def to_predict(frames: Iterator[Frame]) -> Iterator[Frame]:
        nonlocal present
        for frame in frames:
            if writer is None and not missing(frame.name):
                present += 1  # every output of this frame exists and no overlay is being made
                continue
            yield frame
    writer: OverlayVideoWriter | None = None
    frames_ok = frames_bad = 0
    try:
        if want_video:
            target.parent.mkdir(parents=True, exist_ok=True)
            writer = OverlayVideoWriter(target, info.fps / max(1, opts.every), (info.width, info.height))
        frames = to_predict(iter_video_frames(video, step=max(1, opts.every)))
        for frame, pred in predict_stream(predictor, frames, need=needs_for(frame_kinds), total=total,
                                          progress=opts.progress, cancel=opts.cancel):
            if pred is None or frame.rgb is None:
                frames_bad += 1
                report.fail(f"{video.name} frame {frame.index}", frame.error or "unknown error", log)
                continue
            if write_kinds := missing(frame.name):
                report.written += write_prediction(opts.out_dir, frame.name, frame.rgb, pred, write_kinds,
                                                   opts.threshold, opts.keep)
            if writer is not None:
                writer.write(overlay(frame.rgb, pred.mask(opts.threshold, opts.keep)))
            frames_ok += 1
        if opts.cancel is not None and opts.cancel.cancelled:
            report.cancelled = True
            raise _Cancelled
        if writer is not None:
            report.written.append(writer.close())
            writer = None
    except _Cancelled:
        pass
    except (VideoReadError, VideoWriteError, OutputWriteError, OSError) as exc:
        report.fail(str(video), str(exc), log)
        return report
    finally:
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.abort()
    if resuming and not frames_ok and not frames_bad and not report.cancelled:
        return _skipped(video, clash, report, log)  # every frame's outputs were there
    report.frames += frames_ok
    if frames_ok:
        report.predicted += 1
    if log is not None:
        bad = f", {frames_bad} bad frame(s) skipped" if frames_bad else ""
        bad += f", {present} already written by an earlier run" if present else ""
        where = f" -> {target}" if want_video and not report.cancelled else ""
        log(f"ok {video.name}: {frames_ok} frame(s){bad}{where}")
    return report


class _Cancelled(Exception):
    pass


def _skipped(video: Path, clash: Path | None, report: JobReport, log: Log | None) -> JobReport:
    report.skipped += 1
    if log is not None:
        log(f"skipped {video}: {clash} exists (use --overwrite)")
    return report


def _existing_video_outputs(out_dir: Path, video: Path, frame_kinds: tuple[str, ...],
                            target: Path | None) -> Path | None:
    if target is not None and target.exists():
        return target
    for kind in frame_kinds:
        folder = kind_folder(out_dir, kind)
        if folder.is_dir():
            for p in folder.glob(f"{glob.escape(video.stem)}_f*"):  # a[1].mp4: its name, not a pattern
                return p
    return None
