"""A labelling lead's day on a big folder: open, label, pre-label, export, train, eval, kill -9.

    python bench/bench_big_folder_day.py [--sizes 500 2000] [--steps gui,cli,kill] [--painted 50]
                                         [--prelabel-images 40] [--prelabel-s 20] [--train-s 60]

Skips (exit 0, saying why) when /work/shared/data is absent. Everything goes under $FOSP_BENCH_ROOT
(default /tmp/h, never the repository), with HOME, XDG_CACHE_HOME and FOSP_CONFIG pointed there. One
folder per size of real photos (made once): SMOKE5K's real camera photos, the 30 SmokeSeg samples, then
SMOKE5K's synthetic images; hard-linked JPEGs, every 10th re-encoded as PNG, one in 100 each a 16-bit
grayscale, an 8-bit grayscale and an RGBA PNG. Its project is made afresh (``.fosp`` beside the images,
as a user's), and a randomly initialised fosp-s (tests/gui/tiny_model, network input 64) is the model.

Each kind of step runs in a process of its own:

- gui: the real window (offscreen, 1280x800): the folder opened (first image shown; the whole worklist),
  the worklist's 4 filters x 5 sorts, Next Unreviewed x20, a brush stroke + Mark Reviewed + Next on
  --painted images, back + undo + redo on 10, Pre-label All (the menu's, its question answered) cancelled
  after --prelabel-images images, run again (resumed) and cancelled likewise, the window closed;
- cli: ``fosp project status``, ``fosp project prelabel`` stopped with Ctrl-C after --prelabel-s seconds
  and run again (stopped likewise), ``fosp project export`` (SmokeSeg, new splits), ``fosp train small-cpu``
  on the export (``train.time_budget_s=--train-s``), ``fosp eval`` of its run on the export's val split;
- kill: the crash test's window (tests/gui/app_crash_worker) editing the folder, SIGKILLed after 20
  commits; its project reopened: every commit it reported must be on disk.

Prints a markdown table: per step and size, seconds / peak RSS (MB; the window's high-water mark reset
before each step, a command's from wait4) / the longest time the GUI thread went between two turns of
its event loop (ms; turned every 3 ms while the bench waits), what each step said and worklist refreshes.
FOSP_BENCH_PROFILE=1: the window's steps profiled (cProfile, on stderr); FOSP_STALL_REPORT=<ms>: the GUI
thread's turns longer than that logged on stderr with the threads' stacks (`app.stall_report`).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

DATA = Path("/work/shared/data")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
ROOT_TMP = Path(os.environ.get("FOSP_BENCH_ROOT", "/tmp/h"))


def source_photos() -> list[Path]:
    """The real SMOKE5K photos, the SmokeSeg samples, then the synthetic SMOKE5K images (sorted)."""
    img = DATA / "smoke5k-train" / "img"
    every = sorted(img.glob("*.jpg"))
    real = [p for p in every if not p.stem.replace("_", "").isdigit()]
    synthetic = [p for p in every if p.stem.replace("_", "").isdigit()]
    samples = sorted((DATA / "smokeseg-samples" / "JPEGImages").glob("*.jpg"))
    return real + samples + synthetic


def build_folder(dst: Path, size: int) -> Path:
    """`size` photos in `dst` (made once; kept when already complete)."""
    import numpy as np
    from PIL import Image

    if dst.is_dir() and sum(p.is_file() for p in dst.iterdir()) == size:
        return dst
    dst.mkdir(parents=True, exist_ok=True)
    for i, src in enumerate(source_photos()[:size]):
        special = {7: "I;16", 17: "L", 27: "RGBA"}.get(i % 100)
        target = dst / f"{i:05d}_{src.stem}{'.png' if special or i % 10 == 3 else '.jpg'}"
        if target.exists():
            continue
        if target.suffix == ".jpg":
            os.link(src, target)
            continue
        with Image.open(src) as im:
            rgb = im.convert("RGB")
        if special == "I;16":
            rgb = Image.fromarray(np.asarray(rgb.convert("L"), dtype=np.uint16) * 257)
        (rgb.convert(special) if special in ("L", "RGBA") else rgb).save(target)
    return dst


# --- measuring -------------------------------------------------------------------------------------
def _vm(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


class Steps:
    """Each step's seconds, peak RSS (MB, the kernel's high-water mark reset before it) and, in the
    window, the longest time between two turns of the event loop (`turn`), printed as JSON lines."""

    def __init__(self, size: int, counters: dict[str, Callable[[], int]]) -> None:
        self.size, self.gap, self._last, self.counters = size, 0.0, 0.0, counters

    def turn(self) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        now = time.perf_counter()
        self.gap, self._last = max(self.gap, now - self._last), now
        time.sleep(0.003)

    def until(self, ready: Callable[[], bool], timeout: float = 600.0) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            self.turn()
            assert time.monotonic() < deadline, "the step did not finish"

    @contextmanager
    def step(self, name: str, **extra: object) -> Iterator[dict]:
        Path("/proc/self/clear_refs").write_text("5")
        row: dict = {"size": self.size, "step": name, **extra}
        counted = {key: count() for key, count in self.counters.items()}
        self.gap, self._last, start = 0.0, time.perf_counter(), time.perf_counter()
        if profile := cProfile.Profile() if os.environ.get("FOSP_BENCH_PROFILE") else None:
            profile.enable()
        yield row
        if profile is not None:
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
            print(f"PROFILE {name}\n{out.getvalue()}", file=sys.stderr, flush=True)
        row.update({key: count() - counted[key] for key, count in self.counters.items()})
        row.update(seconds=time.perf_counter() - start, peak_mb=_vm("VmHWM:"), stall_ms=1000 * self.gap)
        print("ROW " + json.dumps(row), flush=True)


# --- the window ------------------------------------------------------------------------------------
def gui_child(folder: Path, checkpoint: Path, painted: int, prelabel_images: int) -> None:
    """The window's day on `folder` (its project beside the images, as a user's)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    from app.annotation.worklist_panel import WorklistPanel
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services
    from tests.gui.annotation_helpers import drag, key

    refreshes, refresh = [0], WorklistPanel.refresh  # counted: each one sorts and counts every entry

    def counted_refresh(panel: WorklistPanel) -> None:
        refreshes[0] += 1
        refresh(panel)

    WorklistPanel.refresh = counted_refresh  # type: ignore[method-assign]
    n = sum(1 for p in folder.iterdir() if p.is_file())
    steps, reporter = Steps(n, {"worklist_refreshes": lambda: refreshes[0]}), CollectingErrorReporter()
    settings = QSettings(str(ROOT_TMP / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=reporter))
    window.resize(1280, 800)
    window.show()
    controller, worklist, ctl = window.annotation.controller, window.annotation.worklist, window.analysis
    ctl.worker.set_input_size(64)
    ctl.settings.set_checkpoint(checkpoint)
    steps.until(lambda: ctl.model is not None, 120)
    if os.environ.get("FOSP_STALL_REPORT"):  # the GUI thread's long turns, with its stack, logged on stderr
        import logging

        from app.stall_report import StallReporter

        logging.basicConfig(level=logging.WARNING)
        stalls = StallReporter(threshold_ms=float(os.environ["FOSP_STALL_REPORT"]), parent=window)
        stalls.start()

    def shown() -> bool:
        return (controller.document is not None and controller.image_path == window.session.current_path
                and window.canvas.base.image is not None)

    with steps.step("open: first image"):
        window.open_paths([folder], remember=False)
        steps.until(shown)
    with steps.step("open: full worklist") as row:
        steps.until(lambda: not window.opener.running and worklist.model.rowCount() == n)
        row["rows"] = worklist.model.rowCount()
    with steps.step("worklist: 4 filters x 5 sorts"):
        for show in ("Not reviewed", "Unlabelled", "Reviewed", "All images"):
            for sort in ("uncertainty", "uncertain_share", "smoke_size", "error", "name"):
                worklist.restore(show, sort)
                steps.turn()
        worklist.restore("All images", "name")
    with steps.step("next unreviewed x20"):
        for _ in range(20):
            before = window.session.current_path
            window.annotation.actions.next_unreviewed.trigger()
            steps.until(lambda b=before: shown() and window.session.current_path != b, 60)
    with steps.step(f"paint + review + next x{painted}"):
        for i in range(painted):
            doc = controller.document
            key(window, "B", settle=False)
            drag(window, [(40.0 + i, 60.0), (120.0, 90.0), (200.0, 140.0)], settle=False)
            key(window, "R", settle=False)
            steps.turn()
            window.action_next.trigger()
            steps.until(lambda d=doc: shown() and controller.document is not d, 60)
        controller.open_documents.flush()
    with steps.step("back + undo + redo x10") as row:
        for _ in range(10):
            window.action_previous.trigger()
            steps.until(shown, 60)
            key(window, "Ctrl+Z", settle=False)
            key(window, "Ctrl+Y", settle=False)
            steps.turn()
        controller.open_documents.flush()
    from app.annotation import prelabel_runs
    from app.annotation.prelabel_question import Choice

    prelabel_runs.ask_prelabel = lambda *_args: Choice(start=True)  # the menu's way: counted on a thread, asked
    runs = window.prelabel
    for name in ("pre-label all, cancelled", "pre-label all, resumed"):
        with steps.step(name, images=prelabel_images) as row:
            assert runs.prelabel_all(), window.statusBar().currentMessage()
            steps.until(lambda: runs.dialog is not None)
            steps.until(lambda: runs.dialog is None or runs.dialog.value() >= prelabel_images)
            cancel_at = time.perf_counter()
            runs.cancel()
            report = runs.wait()
            row["cancel_s"] = round(time.perf_counter() - cancel_at, 3)
            row["written"] = len(report.imported) if report else None
            steps.turn()
            row["said"] = window.statusBar().currentMessage()[:100]
    with steps.step("close") as row:
        window.close()
        steps.until(lambda: not window.isVisible(), 60)
        row["errors"] = [str(t)[:200] for t in reporter.told]


# --- the command line -------------------------------------------------------------------------------
def command(size: int, name: str, args: list[str], interrupt_after: float | None = None) -> dict:
    """Run `fosp ARGS`; its seconds, peak RSS (wait4), exit code and last stderr line. `interrupt_after`:
    Ctrl+C (SIGINT) after that many seconds, and the seconds from then to its exit."""
    logs = ROOT_TMP / "logs"
    logs.mkdir(exist_ok=True)
    log = logs / f"{size}-{name.replace(' ', '_').replace(':', '').replace('/', '_')}.txt"
    start, stopped = time.perf_counter(), None
    with log.open("w") as sink:
        proc = subprocess.Popen([sys.executable, "-c", "import sys; from fosp_core.cli import main; sys.exit(main())",
                                 *args], cwd=REPO, stdout=sink, stderr=subprocess.STDOUT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if interrupt_after is not None and stopped is None and time.perf_counter() - start > interrupt_after:
                proc.send_signal(signal.SIGINT)
                stopped = time.perf_counter()
            time.sleep(0.05)
    end = time.perf_counter()
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [s for s in log.read_text(errors="replace").replace("\r", "\n").splitlines() if s.strip()]
    row = {"size": size, "step": name, "seconds": end - start, "rc": proc.returncode,
           "peak_mb": usage.ru_maxrss / 1024, "stall_ms": None,
           "last": lines[-1][:160] if lines else ""}
    if stopped is not None:
        row["stop_s"] = end - stopped
    print("ROW " + json.dumps(row), flush=True)
    return row


def cli_day(folder: Path, checkpoint: Path, size: int, prelabel_s: float, train_s: int) -> None:
    export, runs = ROOT_TMP / f"export-{size}", ROOT_TMP / "runs"
    command(size, "cli: project status", ["project", "status", str(folder), "--json"])
    tiny = ["--checkpoint", str(checkpoint), "--input-size", "64"]
    command(size, "cli: prelabel, Ctrl+C", ["project", "prelabel", str(folder), *tiny], interrupt_after=prelabel_s)
    command(size, "cli: prelabel, resumed", ["project", "prelabel", str(folder), *tiny], interrupt_after=prelabel_s)
    command(size, "cli: project export", ["project", "export", str(folder), str(export), "--overwrite"])
    name = f"bench-day-{size}"
    command(size, f"cli: train ({train_s} s budget)", [
        "train", "small-cpu", f"data.root={ROOT_TMP}", f'data.train=[{{path="{export.name}", split="train"}}]',
        f'data.val=[{{path="{export.name}", split="val"}}]', f"model.init_from={checkpoint}", "train.batch_size=2", "train.best_metric=fbeta", "optim.warmup_iters=2",
        "data.crop=128", "train.iterations=50", f"train.time_budget_s={train_s}", f"name={name}",
        "--runs-dir", str(runs), "--quiet"])
    command(size, "cli: eval", ["eval", "--dataset", str(export), "--split", "val", "--checkpoint",
                                str(runs / name), "--input-size", "64"])


# --- a kill -9 in the middle of work ------------------------------------------------------------------
def kill_day(folder: Path, size: int, commits: int) -> None:
    """The crash test's window (tests.gui.app_crash_worker) on `folder`, SIGKILLed after `commits` commits;
    every commit it reported must be on disk (`lost`: those not), and its project reopen for writing."""
    import resource

    from fosp_core.annotation.project import Project
    from tests.unit.crash_worker import Model, disk_state

    projects, start = ROOT_TMP / f"kill-projects-{size}", time.perf_counter()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-m", "tests.gui.app_crash_worker", str(folder), str(projects),
                             str(ROOT_TMP / "kill.ini"), "1"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    while sum(s.startswith("C ") for s in lines) < commits:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        if not line:
            break
        lines.append(line.strip())
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    killed = time.perf_counter()
    lines += [s.strip() for s in proc.stdout.read().splitlines() if s.strip()]  # type: ignore[union-attr]
    project_dir = Path(next(s for s in lines if s.startswith("O ")).split(maxsplit=2)[2])
    model = Model()
    problems = model.feed(lines) or model.check(disk_state(project_dir))
    with Project.open(project_dir) as project:
        took_over = project.lock.took_over is not None and not project.read_only
    row = {"size": size, "step": f"kill -9 after {commits} commits, reopen", "seconds": time.perf_counter() - killed,
           "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, "stall_ms": None, "commits": model.commits, "lost": len(problems),
           "took_over": took_over, "before_kill_s": killed - start}
    print("ROW " + json.dumps(row), flush=True)


# --- the table --------------------------------------------------------------------------------------
def run_child(args: list[str]) -> list[dict]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_WAIT_POLICY="PASSIVE", OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, __file__, *args], cwd=REPO, env=env, capture_output=True, text=True)
    rows = [json.loads(s[4:]) for s in proc.stdout.splitlines() if s.startswith("ROW ")]
    if proc.returncode:
        print(f"child {args[:2]} exited {proc.returncode}: {proc.stderr[-2000:]}", file=sys.stderr)
    return rows


def print_table(rows: list[dict]) -> None:
    sizes = sorted({r["size"] for r in rows})
    names = list(dict.fromkeys(r["step"] for r in rows))
    by = {(r["size"], r["step"]): r for r in rows}
    print("| step | " + " | ".join(f"{n} images: s / peak MB / stall ms" for n in sizes) + " | notes |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for name in names:
        cells, notes = [], []
        for n in sizes:
            r = by.get((n, name))
            if r is None:
                cells.append("-")
                continue
            stall = "" if r.get("stall_ms") is None else f" / {r['stall_ms']:.0f}"
            cells.append(f"{r['seconds']:.2f} / {r['peak_mb']:.0f}{stall}")
            extra = {k: v for k, v in r.items() if k not in ("size", "step", "seconds", "peak_mb", "stall_ms")}
            if extra:
                notes.append(f"{n}: " + ", ".join(f"{k}={v}" for k, v in extra.items()))
        print(f"| {name} | " + " | ".join(cells) + " | " + "; ".join(notes).replace("|", "/") + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--steps", default="gui,cli,kill")
    parser.add_argument("--painted", type=int, default=50)
    parser.add_argument("--prelabel-images", type=int, default=40)
    parser.add_argument("--prelabel-s", type=float, default=20.0)
    parser.add_argument("--train-s", type=int, default=60)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"))
    args = parser.parse_args(argv)
    checkpoint = ROOT_TMP / "tiny.safetensors"
    if args.child:
        kind, folder = args.child[0], Path(args.child[1])
        size = int(folder.name.split("-")[-1])
        if kind == "gui":
            gui_child(folder, checkpoint, args.painted, args.prelabel_images)
        elif kind == "cli":
            cli_day(folder, checkpoint, size, args.prelabel_s, args.train_s)
        else:
            kill_day(folder, size, 20)
        return 0
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (this bench opens real photos from it)")
        return 0
    for var, sub in (("HOME", "home"), ("XDG_CACHE_HOME", "cache"), ("FOSP_CONFIG", "config")):
        os.environ[var] = str(ROOT_TMP / sub)
        (ROOT_TMP / sub).mkdir(parents=True, exist_ok=True)
    if not checkpoint.exists():
        subprocess.run([sys.executable, "-c", "import sys; from tests.gui.tiny_model import save_tiny_checkpoint; "
                        "from pathlib import Path; save_tiny_checkpoint(Path(sys.argv[1]))", str(checkpoint)],
                       cwd=REPO, check=True)
    rows: list[dict] = []
    for size in args.sizes:
        folder = ROOT_TMP / f"photos-{size}"
        for old in (folder / ".fosp", ROOT_TMP / f"kill-projects-{size}", ROOT_TMP / "runs" / f"bench-day-{size}",
                    ROOT_TMP / f"export-{size}"):
            shutil.rmtree(old, ignore_errors=True)  # a fresh project, run and export each time
        build_folder(folder, size)
        for kind in args.steps.split(","):
            rows += run_child(["--child", kind, str(folder), "--painted", str(args.painted), "--prelabel-images",
                               str(args.prelabel_images), "--prelabel-s", str(args.prelabel_s), "--train-s",
                               str(args.train_s)])
            print(f"{size} images: {kind} done", file=sys.stderr, flush=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
