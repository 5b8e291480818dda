"""An hour of video in the video mode: open, scrub, jump, keyframes, timeline, whole-video runs, the CLI.

    python bench/bench_video_hour.py [--scrub-s 600] [--keyframes 500] [--whole-frames 200] [--cli-every 3000]

Skips (exit 0, saying why) without /work/shared/data's videos or an H.264 encoder (PyAV's libx264). Under
$FOSP_BENCH_ROOT (default /tmp/b3; never the repository), with HOME, XDG_CACHE_HOME and FOSP_CONFIG pointed
there, it makes once: ``hour.mp4``, 1920x1080 at 25 fps, 90,000 frames (3,600 s): a 10-s seed of the two real
clips (resized, each frame's number in the seed stamped as 8 black/white blocks at the top left) encoded
(ultrafast, CRF 38, a keyframe every 2 s) and its packets repeated 360 times (remuxed, not re-encoded); and
``seq20k/``: 20,000 320x240 JPEGs of the same frames (an image sequence).

In the real window (offscreen, 1600x1000), with a 3-ms timer measuring the GUI thread's longest gap between two
turns of its event loop ("stall"): the open (first frame shown; the packet index built), the video left and
opened again (the index is shared within a process: `fosp_core.video.index_cache`), scrubbing to the end
(the timeline's path, 200 steps), jump keys (End, Home, PgDown, Right, Ctrl+Right), seek accuracy (the stamp of
the frame shown is the frame named, mod 250), --scrub-s seconds of random scrubbing with the RSS sampled,
--keyframes keyframes toggled (K) over the hour (each toggle refills the keyframe list and writes video.json
on the save thread), the timeline's curves with 90,000 frames (drawn with a summary every frame), a
whole-video run with a cheap model function (zeros) stopped after --whole-frames frames and resumed; then
in processes of their own: the index of hour.mp4 in a new process (the app started again: read from the
user cache once a run has scanned it, `fosp_core.video.index_files`) and ``fosp predict hour.mp4 --every
--cli-every`` (a random tiny fosp-s). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

DATA = REPO.parent / "shared" / "data" / "videos"
ROOT_TMP = Path(os.environ.get("FOSP_BENCH_ROOT", "/tmp/b3"))
CLIPS = ("hpwren-los-pinos-2019-10-06.mp4", "ijmond-blast-furnace-dusk.mp4")
FPS, SEED_S, BITS, BLOCK = 25, 10, 8, 64


def _seed_frames(size: tuple[int, int], count: int) -> list:
    import av
    import cv2

    frames: list = []
    while len(frames) < count:
        for name in CLIPS:
            with av.open(str(DATA / name)) as clip:
                for frame in clip.decode(video=0):
                    frames.append(cv2.resize(frame.to_ndarray(format="rgb24"), size, interpolation=cv2.INTER_LINEAR))
                    if len(frames) >= count:
                        return frames
    return frames


def stamp(rgb, k: int):  # noqa: ANN001, ANN201 - numpy in, numpy out
    out = rgb.copy()
    for b in range(BITS):
        out[:BLOCK, b * BLOCK:(b + 1) * BLOCK] = 255 if (k >> b) & 1 else 0
    return out


def read_stamp(rgb) -> int:  # noqa: ANN001
    """The seed frame number stamped into `rgb` (RGB uint8, at least 1080 rows)."""
    return sum(1 << b for b in range(BITS) if rgb[8:BLOCK - 8, b * BLOCK + 8:(b + 1) * BLOCK - 8].mean() > 127)


def make_hour(out: Path, minutes: float = 60.0, size: tuple[int, int] = (1920, 1080)) -> Path:
    """The hour-long video (see module doc); made once."""
    import av
    import numpy as np

    if out.exists():
        return out
    seed, part = out.with_suffix(".seed.mp4"), out.with_suffix(".part.mp4")
    frames = _seed_frames(size, SEED_S * FPS)
    with av.open(str(seed), "w") as c:
        s = c.add_stream("libx264", rate=FPS)
        s.width, s.height, s.pix_fmt = size[0], size[1], "yuv420p"
        s.options = {"preset": "ultrafast", "crf": "38", "g": str(2 * FPS), "keyint_min": str(2 * FPS), "bf": "0"}
        for i, rgb in enumerate(frames):
            for p in s.encode(av.VideoFrame.from_ndarray(stamp(rgb, i), format="rgb24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)
    loops = int(np.ceil(minutes * 60 * FPS / len(frames)))
    with av.open(str(seed)) as src:
        ins = src.streams.video[0]
        packets = [p for p in src.demux(ins) if p.size]
        step = int(round(len(frames) / FPS / ins.time_base))
        with av.open(str(part), "w") as dst:
            outs = dst.add_stream_from_template(ins)
            for k in range(loops):
                for p in packets:
                    q = av.Packet(bytes(p))
                    q.pts, q.dts, q.duration = p.pts + k * step, p.dts + k * step, p.duration
                    q.is_keyframe, q.time_base, q.stream = p.is_keyframe, ins.time_base, outs
                    dst.mux(q)
    seed.unlink()
    part.replace(out)
    return out


def make_sequence(folder: Path, count: int = 20_000, size: tuple[int, int] = (320, 240)) -> Path:
    """`count` small JPEGs (192 distinct ones, repeated); made once."""
    import cv2

    if folder.is_dir() and len(os.listdir(folder)) >= count:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    blobs = [cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 70])[1].tobytes()
             for rgb in _seed_frames(size, 192)]
    for i in range(count):
        (folder / f"frame_{i:06d}.jpg").write_bytes(blobs[i % len(blobs)])
    return folder


def _skip_reason() -> str | None:
    if not all((DATA / name).is_file() for name in CLIPS):
        return f"{DATA} lacks the real clips ({', '.join(CLIPS)})"
    try:
        import av
    except ImportError:
        return "PyAV is not installed (no encoder to make the hour-long video)"
    if "libx264" not in av.codecs_available:
        return "PyAV has no libx264 encoder to make the hour-long video"
    return None


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scrub-s", type=float, default=600.0)
    parser.add_argument("--keyframes", type=int, default=500)
    parser.add_argument("--whole-frames", type=int, default=200)
    parser.add_argument("--cli-every", type=int, default=3000)
    parser.add_argument("--steps", default="gui,sequence,reopen,cli")
    args = parser.parse_args()
    reason = _skip_reason()
    if reason:
        print(f"skipped: {reason}")
        return 0
    for var, sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("FOSP_CONFIG", "config")):
        os.environ[var] = str(ROOT_TMP / sub)
        (ROOT_TMP / sub).mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []
    t = time.perf_counter()
    video = make_hour(ROOT_TMP / "hour.mp4")
    sequence = make_sequence(ROOT_TMP / "seq20k")
    rows.append(("make media (once)", f"{time.perf_counter() - t:.1f}", "", f"{video.stat().st_size / 2**20:.0f} MB"))
    steps = args.steps.split(",")
    if "gui" in steps or "sequence" in steps:
        rows += gui_rows(video, sequence, args, steps)
    if "reopen" in steps or "cli" in steps:
        rows.append(_reopen_row(video))
    if "cli" in steps:
        rows += cli_rows(video, args)
    print("\n| step | seconds | longest GUI stall (ms) | notes |\n|---|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


class _Rows(list):
    """The table's rows, each also said on stderr as it comes (a long run shows how far it got)."""

    def append(self, row: tuple[str, str, str, str]) -> None:
        print("  " + " | ".join(row), file=sys.stderr, flush=True)
        super().append(row)


class _Stalls:
    """The GUI thread's longest gap between two turns of its event loop (a 3-ms repeating timer)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.last, self.worst = time.perf_counter(), 0.0
        self.timer = QTimer()
        self.timer.setInterval(3)
        self.timer.timeout.connect(self._turn)
        self.timer.start()

    def _turn(self) -> None:
        now = time.perf_counter()
        self.worst, self.last = max(self.worst, now - self.last), now

    def take(self) -> str:
        self._turn()
        worst, self.worst = self.worst, 0.0
        return f"{worst * 1000:.0f}"


def _spin(predicate, timeout_s: float = 300.0) -> float:  # noqa: ANN001
    """Turn the event loop until `predicate()`; seconds it took (TimeoutError past `timeout_s`)."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    t = time.perf_counter()
    while not predicate():
        if time.perf_counter() - t > timeout_s:
            raise TimeoutError("gave up waiting")
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.002)
    return time.perf_counter() - t


def gui_rows(video: Path, sequence: Path, args: argparse.Namespace, steps: list[str]) -> list[tuple[str, str, str, str]]:
    import numpy as np
    from PySide6.QtWidgets import QApplication
    from video_bench_helpers import video_window

    from fosp_core.video import index_cache

    app = QApplication.instance() or QApplication([])
    if os.environ.get("FOSP_STALL_REPORT"):  # the long turns' stacks on stderr (app.stall_report)
        import logging

        from app.stall_report import install_stall_reporter

        logging.basicConfig(level=logging.WARNING)
        reporter = install_stall_reporter(app)  # noqa: F841 - kept alive while the steps run
    rows = _Rows()
    shutil.rmtree(ROOT_TMP / "gui", ignore_errors=True)  # no keyframes of an earlier run
    window = video_window(ROOT_TMP / "gui")
    mode = window.video
    stalls = _Stalls()

    def shown(index: int) -> bool:
        return mode.shown_index == index and mode.target == index

    def open_and_index(path: Path, what: str) -> None:
        stalls.take()
        t = time.perf_counter()
        if path.is_dir():
            mode.open_async(path)  # File > Open Image Sequence as Video
        else:
            window.open_paths([path], remember=False)
        _spin(lambda: mode.reader is not None and mode.shown_index >= 0 and mode.reader.meta.path == path)
        first = time.perf_counter() - t
        _spin(lambda: mode.reader.wait_indexed(0) if hasattr(mode.reader, "wait_indexed") else True)
        rows.append((what, f"{first:.2f}", stalls.take(), f"index ready after {time.perf_counter() - t:.2f} s, "
                     f"{mode.frame_count} frames, scans run {index_cache.scans_run()}"))

    if "gui" in steps:
        open_and_index(video, "open hour.mp4 (first frame)")
        last = mode.frame_count - 1
        stalls.take()
        t = time.perf_counter()
        for k in range(201):  # the timeline dragged from start to end
            mode.scrub(k * last // 200)
            app.processEvents()
        took = _spin(lambda: shown(last)) + (time.perf_counter() - t)
        rows.append(("scrub 0 -> end (200 steps)", f"{took:.2f}", stalls.take(), f"stamp ok: {read_stamp(mode.shown_rgb) == last % 250}"))
        wrong, jumps = 0, []
        for name, target in (("Home", 0), ("End", last), ("Home", 0), ("PgDown", 10), ("Right", 11)):
            t = time.perf_counter()
            if name == "Home":
                mode.seek(0)
            elif name == "End":
                mode.seek(last)
            else:
                mode.step(10 if name == "PgDown" else 1)
            _spin(lambda target=target: shown(target))
            jumps.append(time.perf_counter() - t)
            wrong += read_stamp(mode.shown_rgb) != target % 250
        random.seed(7)
        for target in random.sample(range(last), 20):
            mode.seek(target)
            _spin(lambda target=target: shown(target))
            wrong += read_stamp(mode.shown_rgb) != target % 250
        rows.append(("jump keys x5 + 20 random seeks", f"{max(jumps):.2f}", stalls.take(),
                     f"slowest jump key; frames shown not the frame named: {wrong} of 25"))
        start_rss, peak, t, n, marks = rss_mb(), rss_mb(), time.perf_counter(), 0, []
        while time.perf_counter() - t < args.scrub_s:
            target = random.randrange(last)
            mode.scrub(target)
            _spin(lambda target=target: shown(target))
            n += 1
            peak = max(peak, rss_mb())
            if time.perf_counter() - t >= (len(marks) + 1) * args.scrub_s / 5:
                marks.append(f"{rss_mb():.0f}")
        rows.append((f"random scrubbing {args.scrub_s:.0f} s", f"{time.perf_counter() - t:.0f}", stalls.take(),
                     f"{n} frames; RSS {start_rss:.0f} MB, then at each fifth {' / '.join(marks)} (peak {peak:.0f})"))
        # keyframes over the hour
        frames = sorted(random.sample(range(last), args.keyframes))
        worst, t = 0.0, time.perf_counter()
        for f in frames:
            mode.seek(f)
            _spin(lambda f=f: shown(f))
            t0 = time.perf_counter()
            mode.toggle_keyframe()
            worst = max(worst, time.perf_counter() - t0)
        state = mode.annotations.state_path if hasattr(mode.annotations, "state_path") else None
        rows.append((f"{args.keyframes} keyframes toggled (K)", f"{time.perf_counter() - t:.1f}", stalls.take(),
                     f"slowest toggle {worst * 1000:.1f} ms on the GUI thread; list rows "
                     f"{mode.panel.keyframe_list.count()}" + (f"; {state.name} {state.stat().st_size} B" if state and state.exists() else "")))
        t = time.perf_counter()
        mode.seek(0)
        _spin(lambda: shown(0))
        for _ in range(20):
            mode.editor.jump("keyframes", 1)
            _spin(lambda: mode.shown_index == mode.target)
        rows.append(("Ctrl+Right x20 (next keyframe)", f"{time.perf_counter() - t:.2f}", stalls.take(),
                     f"at frame {mode.shown_index} (the 20th keyframe is {frames[19]})"))
        t = time.perf_counter()
        mode.annotations.flush_state()
        rows.append(("video.json flush (close's write)", f"{time.perf_counter() - t:.3f}", stalls.take(), ""))
        # the timeline with a summary for every frame
        area = np.random.default_rng(0).random(mode.frame_count)
        t = time.perf_counter()
        mode.timeline.set_curves(area, area)
        mode.timeline.repaint()
        app.processEvents()
        rows.append(("timeline curves, 90,000 frames", f"{time.perf_counter() - t:.3f}", stalls.take(), "set + repaint"))
        # a whole-video run, stopped and resumed
        mode.set_model(lambda rgb: np.zeros(rgb.shape[:2], np.float32), "zeros")
        _spin(lambda: mode.worker is not None and mode.worker.has_model)
        t = time.perf_counter()
        mode.predict_whole()
        _spin(lambda: mode.worker.whole_progress()[0] >= args.whole_frames, 600)
        mode.cancel_whole()
        run1 = time.perf_counter() - t
        done1 = mode.worker.whole_progress()[0]
        t = time.perf_counter()
        mode.predict_whole()
        _spin(lambda: mode.worker.whole_progress()[0] >= done1 + args.whole_frames, 600)
        mode.cancel_whole()
        rows.append((f"Predict whole video: {args.whole_frames} frames, stop, resume {args.whole_frames}",
                     f"{run1:.1f} + {time.perf_counter() - t:.1f}", stalls.take(),
                     f"{mode.worker.whole_progress()[0]} of {mode.frame_count} done; bar {mode.panel.progress.value()}"))
        t = time.perf_counter()
        mode.open_async(sequence)  # leaves the hour (its state written)
        _spin(lambda: mode.reader is not None and mode.shown_index >= 0 and mode.reader.meta.path == sequence)
        rows.append(("leave hour.mp4 for seq20k", f"{time.perf_counter() - t:.2f}", stalls.take(), ""))
        open_and_index(video, "open hour.mp4 again")
    if "sequence" in steps:
        open_and_index(sequence, "open seq20k (20,000 JPEGs)")
        last = mode.frame_count - 1
        t = time.perf_counter()
        for k in range(201):
            mode.scrub(k * last // 200)
            app.processEvents()
        took = _spin(lambda: shown(last)) + (time.perf_counter() - t)
        rows.append(("seq20k scrub 0 -> end", f"{took:.2f}", stalls.take(), ""))
    window.close()
    return rows


def _reopen_row(video: Path) -> tuple[str, str, str, str]:
    """The index in a new process (the app started again): from disk (fosp_core.video.index_files) or scanned."""
    code = ("import sys, time; t = time.perf_counter(); from fosp_core.video import index_cache; "
            "from fosp_core.video.reader import open_video, wait_for_index; r = open_video(sys.argv[1]); "
            "wait_for_index(r); print(f'{time.perf_counter() - t:.2f} {index_cache.scans_run()}'); r.close()")
    took, scans = subprocess.run([sys.executable, "-c", code, str(video)], cwd=REPO, capture_output=True,
                                 text=True, check=True).stdout.split()
    return ("index in a new process (app restarted)", took, "", f"scans run {scans} (0: read from the user cache)")


def cli_rows(video: Path, args: argparse.Namespace) -> list[tuple[str, str, str, str]]:
    rows = []
    checkpoint = ROOT_TMP / "tiny.safetensors"
    if not checkpoint.exists():
        subprocess.run([sys.executable, "-c", "import sys; from tests.gui.tiny_model import save_tiny_checkpoint; "
                        "from pathlib import Path; save_tiny_checkpoint(Path(sys.argv[1]))", str(checkpoint)],
                       cwd=REPO, check=True)
    out = ROOT_TMP / "predict-out"
    cmd = ["fosp", "predict", "--checkpoint", str(checkpoint), str(video), "--every", str(args.cli_every),
           "--out", str(out), "--overwrite", "--quiet"]
    t = time.perf_counter()
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    took = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows.append((f"fosp predict --every {args.cli_every}", f"{took:.1f}", "",
                 f"exit {done.returncode}, {90_000 // args.cli_every} frames, peak RSS {peak:.0f} MB; "
                 + (done.stderr.strip().splitlines() or [""])[-1][:80]))
    return rows


if __name__ == "__main__":
    sys.exit(main())
