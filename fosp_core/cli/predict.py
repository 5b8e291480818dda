"""`fosp predict`: run a model on images, folders, globs and videos; write masks and maps.

    fosp predict INPUT... --out DIR [--checkpoint CKPT] [--device auto] [--precision fp32]
                 [--threshold 0.5] [--keep plain] [--tau 0.15] [--tiled] [--save mask,prob,focus,background,overlay]
                 [--video-out FILE.mp4] [--overwrite]

Outputs (see fosp_core.infer.outputs): DIR/masks/<id>.png are SmokeSeg palette PNGs, so
`fosp eval --dataset D --predictions DIR/masks` (or DIR/prob for soft maps) scores them. Images are
saved as `mask` unless --save says otherwise; a video gives an overlay MP4 (DIR/overlay/<stem>.mp4
or --video-out) unless --save says otherwise, and per-frame files named <stem>_f000123.

Existing outputs are never overwritten without --overwrite: such inputs are skipped and reported.

Exit codes (stable, for scripts; :class:`fosp_core.cli.ExitCode`):
    0   every input was predicted (inputs skipped because their outputs exist do not count as errors)
    1   some inputs or video frames failed (unreadable, undecodable, unwritable); the rest were written
    2   usage error: bad arguments, missing input path, no/unloadable checkpoint, unavailable device or
        precision, output folder that cannot be created or written
    3   nothing to do: no image or video found, or every output already exists
    130 interrupted (Ctrl-C); files already finished are complete, none is partial
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fosp_core.cli import ExitCode, add_keep_argument
from fosp_core.cli.predict_paths import (  # noqa: F401 - expand_glob: named here too
    collect_inputs,
    expand_glob,
    gifs_skipped,
    make_out_dir,
    out_dir_problem,
    unique_ids,
    video_out_problem,
)


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(32), 127]} | {ord("\n"): "\\n", ord("\t"): "\\t", ord("\r"): "\\r"}


def _err_line(msg: str) -> None:
    """One input's line ("ok ...", "failed ...: reason"), one line whatever its file's name holds: a
    newline, a tab or another control character in it is shown escaped (``\\n``)."""
    _err(msg.translate(_CONTROL))


def checkpoint_to_load(checkpoint: Path | None) -> Path:
    """The checkpoint file a command's ``--checkpoint`` means: the default model when None, a run
    folder's weights, also given by the run's name (its folder under `runs_dir`, as `fosp eval` takes
    it; which file, said on stderr); SystemExit with the usage exit code, the reason on stderr, when
    there is none (``fosp predict``, ``fosp project prelabel``)."""
    from fosp_core.checkpoint import CheckpointError
    from fosp_core.cli.default_model import NoDefaultModelError, checkpoint_file, default_checkpoint

    if checkpoint is None:
        try:
            checkpoint = default_checkpoint()
        except NoDefaultModelError as exc:
            raise SystemExit(_usage(str(exc))) from exc
    try:  # a file, a run folder, or a run's name (as `fosp eval --checkpoint` and `fosp compare` take it)
        found, note = checkpoint_file(checkpoint)
    except CheckpointError as exc:
        raise SystemExit(_usage(str(exc))) from exc
    if note:
        _err(note)
    return Path(found)


def _load_predictor(args: argparse.Namespace):  # noqa: ANN202 - Predictor, imported lazily
    from fosp_core.infer import DeviceError, Predictor

    checkpoint = checkpoint_to_load(args.checkpoint)
    try:
        predictor = Predictor(
            checkpoint, device=args.device, precision=args.precision, input_size=args.input_size,
            tiled=args.tiled, tile=args.tile, overlap=args.overlap, batch_size=args.batch_size, tau=args.tau,
        )
    except DeviceError as exc:
        raise SystemExit(_usage(str(exc))) from exc
    except ValueError as exc:
        raise SystemExit(_usage(f"{exc}")) from exc
    except Exception as exc:  # noqa: BLE001 - any loader failure is reported, not a traceback
        raise SystemExit(_usage(f"cannot load checkpoint {checkpoint}: {type(exc).__name__}: {exc}")) from exc
    if predictor.device.type != "cpu":
        predictor.warmup()
    return predictor


def _usage(msg: str) -> ExitCode:
    _err(f"error: {msg}")
    return ExitCode.USAGE


def _check_numbers(args: argparse.Namespace) -> str | None:
    """None when the numeric flags are in range, else the error naming the first flag that is not
    (as typed: `--input-size`, not the Predictor's `input_size`). Nothing is clamped."""
    if not 0.0 <= args.threshold <= 1.0:
        return "--threshold must be in [0, 1]"
    if args.tau is not None and not 0.0 <= args.tau <= 1.0:
        return "--tau must be in [0, 1]"
    for flag, size in (("--input-size", args.input_size), ("--tile", args.tile)):
        if size < 32 or size % 32:
            return f"{flag} must be a positive multiple of 32, got {size}"
    if not 0 <= args.overlap < args.tile:
        return f"--overlap must be in [0, --tile) = [0, {args.tile}), got {args.overlap}"
    if args.batch_size is not None and args.batch_size < 1:
        return f"--batch-size must be at least 1, got {args.batch_size}"
    if args.every < 1:
        return f"--every must be at least 1 (1 = every frame), got {args.every}"
    return None


def run(args: argparse.Namespace) -> int:
    from fosp_core.infer.outputs import parse_save

    problem = _check_numbers(args)
    if problem is not None:
        return _usage(problem)
    from fosp_core.metrics.decision import parse_rule

    try:
        keep = str(parse_rule(args.keep))
    except ValueError as exc:
        return _usage(f"--keep: {exc}")
    try:
        save = parse_save(args.save) if args.save else None
        inputs = collect_inputs(args.inputs)
    except (ValueError, FileNotFoundError, NotADirectoryError) as exc:
        return _usage(str(exc))
    if args.video_out is not None and len(inputs.videos) != 1:
        return _usage(f"--video-out needs exactly one video input, got {len(inputs.videos)}")
    reason = video_out_problem(args.video_out)
    if reason is not None:
        return _usage(f"--video-out {args.video_out}: {reason}")
    for folder, gifs in inputs.gifs.items():
        _err_line(gifs_skipped(folder, gifs))
    if not inputs.images and not inputs.videos:
        _err(f"nothing to do: no image or video found in {' '.join(args.inputs)}")
        return ExitCode.NOTHING_TO_DO
    reason = out_dir_problem(args.out)
    if reason is not None:
        return _usage(f"cannot write to output folder {args.out}: {reason}")
    try:
        predictor = _load_predictor(args)
    except SystemExit as exc:
        return int(exc.code or ExitCode.USAGE)
    if predictor.tiled and not args.quiet:
        predictor.tile_progress = _TilePrinter()
    reason = make_out_dir(args.out)  # only now: a failed start leaves nothing behind
    if reason is not None:
        return _usage(f"cannot write to output folder {args.out}: {reason}")
    if not args.quiet:
        _err(f"model on {predictor.device} ({predictor.precision}), "
             f"{'tiled ' + str(predictor.tile) if predictor.tiled else 'input ' + str(predictor.input_size)}; "
             f"{len(inputs.images)} image(s), {len(inputs.videos)} video(s) -> {args.out}")
    from fosp_core.infer.jobs import JobOptions, JobReport, predict_images, predict_video

    log = _err_line
    opts = JobOptions(out_dir=args.out, kinds=save or ("mask",), threshold=args.threshold, keep=keep,
                      overwrite=args.overwrite, every=args.every, video_out=args.video_out)
    report = JobReport()
    t0 = time.perf_counter()
    from fosp_core.infer.device_errors import DeviceFailedError

    try:
        predict_images(predictor, inputs.images, unique_ids(inputs.images), opts, report,
                       log if not args.quiet else _quiet_log)
        for n, video in enumerate(inputs.videos):
            if report.stopped:  # the images' writes were refused as each video's would be
                _err(f"stopped: {len(inputs.videos) - n} video(s) not predicted either")
                break
            opts.progress = None if args.quiet else _ProgressPrinter(video.name)
            predict_video(predictor, video, save, opts, report, log if not args.quiet else _quiet_log)
    except DeviceFailedError as exc:  # the GPU failed: the rest would fail the same way
        report.failed += 1
        _err(f"error: {exc}")
    for message in predictor.fallbacks:
        _err(f"warning: {message}")
    if not args.quiet or report.failed:
        _err(f"done in {time.perf_counter() - t0:.1f}s: {report.predicted} input(s) predicted "
             f"({report.frames} video frames), {report.failed} failure(s), {report.skipped} skipped (outputs exist)")
    if report.failed:
        return ExitCode.FAILED
    if report.predicted == 0 and report.skipped:
        _err("nothing to do: every output exists already (pass --overwrite to replace them)")
        return ExitCode.NOTHING_TO_DO
    return ExitCode.OK


class _ProgressPrinter:
    """Prints `name: done/total frames` at every tenth of a video (stderr)."""

    def __init__(self, name: str) -> None:
        self.name, self.step, self.t0 = name, -1, time.perf_counter()

    def __call__(self, p) -> None:  # noqa: ANN001 - fosp_core.infer.stream.Progress
        if not p.total:
            return
        step = 10 * p.done // p.total
        if step > self.step:
            self.step = step
            rate = p.done / max(1e-6, time.perf_counter() - self.t0)
            _err(f"  {self.name}: {p.done}/{p.total} frames ({rate:.1f}/s)")


class _TilePrinter:
    """Prints `tiles done/total` at every tenth of an image's tiles (stderr); an image of many tiles
    (a 300 x 20000 strip) otherwise said nothing for minutes."""

    def __init__(self) -> None:
        self.step, self.done = -1, 0

    def __call__(self, done: int, total: int) -> None:
        if done <= self.done:  # the next image
            self.step = -1
        self.done = done
        step = 10 * done // total
        if step > self.step:
            self.step = step
            _err(f"  tiles {done}/{total}")


def _quiet_log(msg: str) -> None:
    if msg.startswith(("failed", "stopped")):
        _err(msg)


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "predict", help="segment smoke in images, folders, globs and videos",
        description="Run a FoSp checkpoint on images, folders, globs and videos and write SmokeSeg masks, "
                    "probability/Focus maps, separated backgrounds and overlays. Exit codes: 0 ok, "
                    "1 some inputs failed, 2 usage error, 3 nothing to do, 130 interrupted.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="image/video files, folders or quoted globs (a folder's GIFs are "
                                                                  "skipped, said: name one to predict its first frame)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    p.add_argument("--checkpoint", type=Path, default=None, metavar="CKPT",
                   help="model weights (.safetensors; a run folder: its exported <run>.safetensors or "
                        "model.safetensors, else best.safetensors; a run's name: its folder); default: the bundled "
                        "default model")
    p.add_argument("--device", default="auto", help="auto (CUDA, then MPS, then CPU; default), cpu, cuda, cuda:N, mps")
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16", "fp16"], help="inference precision (default fp32)")
    p.add_argument("--threshold", type=float, default=0.5, help="probability threshold of the mask (default 0.5)")
    add_keep_argument(p)
    p.add_argument("--tau", type=float, default=None, help="Focus threshold of the hole (default: model's, 0.15)")
    p.add_argument("--input-size", type=int, default=512, metavar="N", help="long side of the network input (the image keeps its aspect, unpadded; default 512)")
    p.add_argument("--tiled", action="store_true", help="overlapping native-resolution tiles (large frames)")
    p.add_argument("--tile", type=int, default=512, help="tile size for --tiled (default 512)")
    p.add_argument("--overlap", type=int, default=128, help="minimum tile overlap for --tiled (default 128)")
    p.add_argument("--batch-size", type=int, default=None, metavar="N",
                   help="images or tiles per forward pass (default 4 on a GPU, 1 on the CPU)")
    p.add_argument("--save", default=None, metavar="KINDS",
                   help="comma list of mask,prob,focus,background,overlay (default: mask for images, "
                        "overlay MP4 for videos)")
    p.add_argument("--video-out", type=Path, default=None, metavar="FILE.mp4",
                   help="overlay video path (one video input only)")
    p.add_argument("--every", type=int, default=1, metavar="N", help="videos: predict every N-th frame (N >= 1; default 1, every frame)")
    p.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    p.add_argument("--quiet", action="store_true", help="only errors and the summary of failures")
    p.set_defaults(func=run)
    return p
