"""``fosp video``: a labelled video's frames from the command line (export to SmokeSeg).

    fosp video export VIDEO DST [--frames keyframes|edited|every] [--every N]
                      [--split 0.8,0.2 | --all-train] [--gap SECONDS] [--resize N] [--overwrite]
                      [--annotations FOLDER]

VIDEO is the video file (or image-sequence folder) labelled in the app; its masks are read from the
folder the app keeps them in (``.fosp/video-<stem>/`` beside it) unless --annotations names another.
They are only read (`fosp_core.video.folder_lock`: opened read-only, no lock taken), so the command runs
while FoSp Studio has the video open: a frame save still pending there is read from its recovery log,
which is left to the app.
The frames are split by time as the app's Export frames dialog splits them: train first, then val
at the end of the video (``--split TRAIN,VAL[,TEST]``, default 0.8,0.2), with ``--gap`` seconds of
video (default 1) left out between them, since neighbouring frames are near twins; --all-train puts
every frame in train. Too few frames for a val split (one, or all within the gap) go to train, and
the command says so. A long video is read once its frames are indexed (a scan of its packets, about
0.1 ms a packet); when that takes more than a second the command says ``indexing <name>…`` first.

Exit codes (:class:`fosp_core.cli.ExitCode`, the README's): 0 done, 1 the export failed (a non-empty
DST without --overwrite, a DST a running ``fosp train`` reads (`fosp_core.annotation.export_reading`), a
write error, masks there but none of their frames readable), 2 usage: bad
arguments, a missing or unreadable video, 3 nothing to do: no chosen frame has a mask (nothing
written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fosp_core.cli import ExitCode, in_cli_words
from fosp_core.cli.help_text import as_help

if TYPE_CHECKING:
    from fosp_core.video.reader import FrameReader
    from fosp_core.video.splits import VideoSplits
    from fosp_core.video.timeline import VideoAnnotations

__all__ = ["register"]

# fosp_core.video.splits' DEFAULT_VIDEO_RATIOS and DEFAULT_GAP_S (the app's Export frames dialog's):
# importing that module at registration imported OpenCV and numpy for every `fosp` command, --help
# included; tests/unit/test_cli_startup_no_cv2.py checks the two agree.
DEFAULT_VIDEO_RATIOS: tuple[float, float] = (0.8, 0.2)
DEFAULT_GAP_S = 1.0

SAY_INDEXING_AFTER_S = 1.0  # a wait for the frame index longer than this is said on stderr
_INDEX_POLL_S = 0.25


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("video", help="labelled videos: export frames to SmokeSeg",
                                   description=as_help(__doc__), formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="video_command", metavar="ACTION")
    parser.set_defaults(func=lambda args: (parser.print_help(), ExitCode.USAGE)[1])

    exp = sub.add_parser("export", help="write labelled frames as a SmokeSeg dataset, split by time")
    exp.add_argument("video", metavar="VIDEO", help="the video file or image-sequence folder labelled in the app")
    exp.add_argument("dst", metavar="DST", help="destination folder (created; must be empty unless --overwrite)")
    exp.add_argument("--frames", choices=("keyframes", "edited", "every"), default=None,
                     help="which frames: keyframes, edited (every frame with a saved mask) or every Nth "
                          "(default: keyframes when there are any, else edited, as the app's dialog)")
    exp.add_argument("--every", type=int, default=10, metavar="N", help="N for --frames every (default 10)")
    group = exp.add_mutually_exclusive_group()
    ratios = ",".join(f"{r:g}" for r in DEFAULT_VIDEO_RATIOS)
    group.add_argument("--split", metavar="TRAIN,VAL[,TEST]", default=None,
                       help=f"split by time with these ratios: train first, then val (then test) at the end of "
                            f"the video (default {ratios})")
    group.add_argument("--all-train", action="store_true", help="every frame in train (no validation)")
    exp.add_argument("--gap", type=float, default=DEFAULT_GAP_S, metavar="SECONDS",
                     help=f"seconds of video left out between train and val (default {DEFAULT_GAP_S:g})")
    exp.add_argument("--resize", type=int, metavar="N", help="resize images and masks to NxN (aspect ratio not kept)")
    exp.add_argument("--overwrite", action="store_true", help="replace an earlier export at DST (a folder holding "
                     "other files is refused, nothing deleted)")
    exp.add_argument("--annotations", type=Path, default=None, metavar="FOLDER",
                     help="the video's annotation folder (default: where the app keeps it)")
    exp.set_defaults(func=_export)


def _parse_splits(args: argparse.Namespace) -> VideoSplits:
    """The ratios asked for (None with --all-train); ValueError in the command line's words."""
    from fosp_core.video.splits import check_ratios

    if args.all_train:
        return None
    if args.split is None:
        return DEFAULT_VIDEO_RATIOS
    try:
        values = tuple(float(v) for v in args.split.split(","))
    except ValueError:
        raise ValueError(f"--split wants numbers like 0.8,0.2, got {args.split!r}") from None
    try:
        return check_ratios(values)
    except ValueError:
        raise ValueError(f"--split wants 2 or 3 non-negative ratios (train,val[,test]), got {args.split!r}") from None


def wait_for_index(reader: object, name: str) -> None:
    """Wait until `reader`'s frame index is in (a reader without one: at once), saying ``indexing
    <name>…`` on stderr when that takes more than SAY_INDEXING_AFTER_S; Ctrl+C interrupts it."""
    from fosp_core.video.reader import wait_for_index as read_wait_for_index

    done = getattr(reader, "wait_indexed", None)
    if done is None or done(SAY_INDEXING_AFTER_S):
        return
    print(f"indexing {name}\u2026", file=sys.stderr, flush=True)
    read_wait_for_index(reader, poll_s=_INDEX_POLL_S)  # short waits: Ctrl+C is seen between them


def _warn_numbering(reader: FrameReader, notes: VideoAnnotations, name: str) -> None:
    """Say on stderr which saved masks may lie on another picture or past the file's readable end
    (:mod:`fosp_core.video.numbering_check`); the export goes on as before."""
    from fosp_core.video.numbering_check import check_reader

    for line in check_reader(notes, reader).lines():
        print(f"warning: {name}: {line}", file=sys.stderr)


def _none_chosen(name: str, kind: str, chosen: int) -> str:
    """Why no chosen frame has a mask: none chosen at all (nothing labelled yet, or no keyframe marked: "none
    of the 0 chosen frame(s)" was said), or the count of those chosen."""
    if chosen:
        return f"none of the {chosen} chosen frame(s) (--frames {kind}) has a mask"
    if kind == "keyframes":
        return (f"no keyframe of {name} is marked, so no chosen frame has a mask: mark them in FoSp Studio (K), "
                "or choose --frames edited")
    return f"no frame of {name} has a mask yet: label frames in FoSp Studio first"


def _left_behind(video: Path, notes: VideoAnnotations) -> list[str]:
    """Where the labels of `video` are when it was renamed since it was labelled (no labels of its own), as the
    app's opening says it (`fosp_core.video.left_behind`)."""
    from fosp_core.video.left_behind import find_left_behind, left_behind_words

    if notes.mask_files or notes.keyframes:
        return []
    return left_behind_words(video, find_left_behind(notes.folder, notes.frame_count, notes.shape))


def _usage(message: str) -> ExitCode:
    print(f"error: {message}", file=sys.stderr)
    return ExitCode.USAGE


def _export(args: argparse.Namespace) -> int:
    from fosp_core.data.smokeseg import SmokeSegWriteError
    from fosp_core.data.smokeseg_debris import debris_words
    from fosp_core.video.export import choose_frames, export_frames
    from fosp_core.video.reader import VideoOpenError, open_video
    from fosp_core.video.timeline import VideoAnnotationError, VideoAnnotations

    try:
        splits = _parse_splits(args)
    except ValueError as exc:
        return _usage(str(exc))
    if not args.gap >= 0:
        return _usage(f"--gap must be 0 or more seconds, got {args.gap:g}")
    if args.every < 1:
        return _usage(f"--every must be at least 1, got {args.every}")
    if args.resize is not None and args.resize <= 0:
        return _usage(f"--resize must be a positive size in pixels, got {args.resize}")
    if args.annotations is not None and args.annotations.is_file():  # read as a folder: "nothing to export"
        return _usage(f"--annotations {args.annotations}: is a file, not a folder: name the video's annotation "
                      "folder (the app keeps it beside the video, in .fosp/video-<name>)")
    from fosp_core.windows_names import destination_problem

    if (bad_name := destination_problem(args.dst)) is not None:  # Windows: a folder called CON, a ':' ...
        return _usage(f"{args.dst}: {bad_name}")
    video = Path(args.video).expanduser()
    if not video.exists():
        return _usage(f"{video}: no such video")
    from fosp_core.annotation.export_reading import reading_problem

    if (busy := reading_problem(Path(args.dst))) is not None:  # a running `fosp train` reads it: not replaced
        print(f"error: {args.dst}: {busy}", file=sys.stderr)  # as `fosp project export` says it
        return ExitCode.FAILED
    try:
        reader = open_video(video, cache_bytes=0, decoders=1)  # frames in order
    except VideoOpenError as exc:
        return _usage(str(exc))
    try:
        wait_for_index(reader, video.name)  # a read before it fails as 'still being indexed'
        from fosp_core.video.numbering_check import readable_count

        meta = reader.meta  # annotated over the frames it reads (fewer than its header counts when cut short)
        notes = VideoAnnotations(video, readable_count(reader), (meta.height, meta.width), stem=meta.stem,
                                 folder=args.annotations, lock=False)  # read only: module doc
        _warn_numbering(reader, notes, video.name)
        kind = args.frames or ("keyframes" if notes.keyframes else "edited")
        frames = choose_frames(notes, kind, args.every)
        if not any(notes.has_mask(frame) for frame in frames):  # known masks: no file system call
            print(f"nothing to export: {_none_chosen(video.name, kind, len(frames))} "
                  f"(the masks of {video.name} are read from {notes.mask_folder}); {args.dst} not written"
                  + "".join(f"; {words}" for words in _left_behind(video, notes)), file=sys.stderr)
            return ExitCode.NOTHING_TO_DO
        report = export_frames(reader, notes, frames, args.dst, splits=splits,
                               gap_s=args.gap, resize_to=args.resize, overwrite=args.overwrite)
    except VideoAnnotationError as exc:
        return _usage(str(exc))
    except SmokeSegWriteError as exc:
        print(f"error: {in_cli_words(exc)}", file=sys.stderr)
        return ExitCode.FAILED
    except ValueError as exc:  # masks there, but no frame could be taken: say where they were read
        print(f"error: {exc} (the masks of {video.name} are read from {notes.mask_folder})", file=sys.stderr)
        return ExitCode.FAILED
    finally:
        reader.close()
    if report.cleaned:  # said plainly: the writer logs what it settled only when nobody takes it
        print(f"{report.dst}: {debris_words(report.cleaned)}", file=sys.stderr)
    parts = ", ".join(f"{name} {len(frames)}" for name, frames in report.splits.items())
    gap = f"; {len(report.gap)} left out as the gap between the splits" if report.gap else ""
    what = {"keyframes": "keyframe(s)", "edited": "edited frame(s)"}.get(kind, f"frame(s), one in every {args.every},")
    print(f"exported {len(report.frames)} {what} to {report.dst} ({parts}{gap})")
    for note in report.notes:
        print(f"  {note}")
    if report.notes and list(report.splits) == ["train"]:
        print("  every frame is in train")
    for frame, reason in report.skipped:
        print(f"  left out frame {frame}: {reason}")
    return ExitCode.OK
