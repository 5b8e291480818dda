"""One window through several huge photos in turn, and where its memory goes after each.

    python bench/bench_huge_day.py [--images 8] [--input-size 256] [--layers] [--undo] [--back] [--open-each]
                                   [--trace]
                                   [--rss-limit 12000]

Opens a folder of `--images` copies of ``photo-8000x6000.jpg`` (``huge_photos.py``, written once under
/tmp/fosp-huge; each copy is an image of its own to the app) in the real main window (offscreen,
1000x700, random fosp-s at --input-size), then for each image in turn: show it, run the model, (with
--layers: every analysis layer shown), a brush stroke, Accept Prediction, (--undo: undo + redo), the
save waited for, (--back: the image before shown again, then this one). --open-each: each photo opened
alone (``open_paths([photo])``, as File > Open), not the folder's images stepped through.

After each image one row: RSS; what the app's bounded stores count (the kept documents' bytes now,
``document_nbytes``, and as ``RecentDocuments`` counted them when kept; the result cache's); every numpy array reachable from Python
(``memory_census.numpy_census``); glibc's heaps (``mallinfo2``: arena = bytes of the brk heap and the
threads' arenas, free = what is free in them and not given back, mmap = blocks mapped of their own);
QImage wrappers alive. With --trace, the tracemalloc lines that grew most. At the end: the biggest
arrays still alive and RSS after ``malloc_trim(0)``.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import sys
import tempfile
import threading
import tracemalloc
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from gui_window import wait_until  # noqa: E402
from huge_photos import write  # noqa: E402
from memory_census import mallinfo2, numpy_census, qt_census, rss_guard, rss_mb  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402

from app.main import create_app  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from app.services import CollectingErrorReporter, Services  # noqa: E402
from fosp_core.annotation.recent import document_nbytes  # noqa: E402
from fosp_core.annotation.tool_state import Tool  # noqa: E402
from tests.gui.annotation_helpers import drag  # noqa: E402

PHOTOS_DIR = Path("/tmp/fosp-huge")
COLUMNS = ("image", "rss", "kept", "kept_mb", "counted_mb", "results_mb", "numpy_mb", "arena", "free", "mmap", "qimage_mb",
           "py_threads", "runs")



def idle(ms: int = 30) -> None:
    """Run the event loop (exec) for `ms`: deferred deletions are only carried out inside it."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def make_window(tmp: Path, input_size: int) -> MainWindow:
    import torch

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.manual_seed(0)
    checkpoint = save_checkpoint(build_model("fosp-s").eval(), tmp / "fosp-s-random.safetensors")
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp / "projects"
    window.resize(1000, 700)
    window.show()
    window.analysis.worker.set_input_size(input_size)
    window.analysis.settings.set_checkpoint(checkpoint)
    assert wait_until(lambda: window.analysis.model is not None, 300), window.analysis.errors
    return window


def show_image(window: MainWindow, index: int, files: list[Path] | None = None) -> None:
    """Make image `index` current (with `files`: open files[index] alone, as File > Open does) and
    wait for its document."""
    session, controller = window.session, window.annotation.controller
    if files is None:
        session.set_current(index)
    else:
        window.open_paths([files[index]], remember=False)
    assert wait_until(lambda: controller.document is not None and controller.image_path == session.current_path
                      and session.current_image is not None, 120)


def visit(window: MainWindow, index: int, layers: bool, undo: bool, files: list[Path] | None) -> None:
    """Show image `index` (`show_image`), run the model, (every layer), a brush stroke, Accept
    Prediction, (undo + redo), saved."""
    controller, ctl = window.annotation.controller, window.analysis
    show_image(window, index, files)
    request = ctl.run_current()
    if request is not None:
        assert wait_until(lambda: request not in ctl._runs, 600), ctl.errors
    doc = controller.document
    assert wait_until(lambda: doc.probability is not None, 60)
    if layers:
        for layer in list(ctl.layers):
            ctl.layers.set_visible(layer.name, True)
            idle(50)
    h, w = doc.shape
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(w * 0.2, h * 0.3), (w * 0.3, h * 0.35), (w * 0.4, h * 0.4)])
    controller.accept_prediction()
    if undo:
        controller.undo()
        idle(50)
        controller.redo()
    controller.state.set_tool(Tool.NAVIGATE)
    controller.open_documents.flush()
    idle(300)


def row(window: MainWindow, index: int) -> dict[str, float]:
    """One row of `COLUMNS`, once no model run is in flight (its temporaries are not what is kept)."""
    ctl = window.analysis
    assert wait_until(lambda: not ctl._runs, 600), ctl.errors
    idle(500)
    documents = window.annotation.controller.open_documents
    kept = documents.recent.items() + list(documents.held.items())
    numpy_mb, _ = numpy_census()
    info = mallinfo2()
    qt = qt_census()
    return {"image": index, "rss": rss_mb(), "kept": len(kept),
            "kept_mb": sum(document_nbytes(doc) for _, doc in kept) / (1 << 20),
            "counted_mb": sum(documents.recent._sizes.values()) / (1 << 20),
            "results_mb": window.analysis.cache.nbytes / (1 << 20), "numpy_mb": numpy_mb,
            "arena": info.arena if info else float("nan"), "free": info.fordblks if info else float("nan"),
            "mmap": info.hblkhd if info else float("nan"), "qimage_mb": qt.get("qimage_mb", 0),
            "py_threads": threading.active_count(), "runs": ctl.worker.calls}


def print_growth(before: tracemalloc.Snapshot) -> tracemalloc.Snapshot:
    """The 5 source lines whose traced memory grew most since `before` (over 10 MB); the snapshot now."""
    now = tracemalloc.take_snapshot()
    for stat in now.compare_to(before, "traceback")[:5]:
        if stat.size_diff > 10_000_000:
            print(f"    +{stat.size_diff / 1e6:.0f} MB ({stat.count_diff:+d} blocks):",
                  " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in stat.traceback[:6]), flush=True)
    return now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=8)
    parser.add_argument("--input-size", type=int, default=256)
    parser.add_argument("--layers", action="store_true", help="show every analysis layer on each image")
    parser.add_argument("--undo", action="store_true", help="undo + redo after Accept Prediction")
    parser.add_argument("--back", action="store_true", help="then back to the image before and forth again")
    parser.add_argument("--open-each", action="store_true", help="open each photo alone (not one folder)")
    parser.add_argument("--trace", action="store_true", help="tracemalloc: the lines whose memory grew")
    parser.add_argument("--rss-limit", type=float, default=12000)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    rss_guard(args.rss_limit)
    _app = create_app([])  # sets glibc's mmap threshold as the app does (memory_return)
    source, _label = write(PHOTOS_DIR, "photo-8000x6000.jpg")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "huge"
        folder.mkdir()
        for i in range(args.images):
            shutil.copy(source, folder / f"huge_{i:02d}.jpg")
        window = make_window(tmp, args.input_size)
        files = sorted(folder.glob("*.jpg")) if args.open_each else None
        window.open_paths([files[0] if files else folder], remember=False)
        assert wait_until(lambda: window.session.current_image is not None, 120)
        print(f"{args.images} x 8000x6000, input {args.input_size}, layers {args.layers}; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        print("| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS), flush=True)

        def show(values: dict[str, float]) -> None:
            print("| " + " | ".join(f"{v:.0f}" for v in values.values()) + " |", flush=True)

        show(row(window, 0))
        if args.trace:
            tracemalloc.start(8)
            snapshot = tracemalloc.take_snapshot()
        for i in range(args.images):
            visit(window, i, args.layers, args.undo, files)
            if args.back and i > 0:
                show_image(window, i - 1, files)
                assert wait_until(lambda: not window.analysis._runs, 600)
                idle(300)
                show_image(window, i, files)
            show(row(window, i + 1))
            if args.trace:
                snapshot = print_growth(snapshot)
        _, biggest = numpy_census(16)
        print("biggest arrays alive:", "; ".join(biggest))
        print("qt:", qt_census())
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        print(f"RSS after malloc_trim: {rss_mb():.0f} MB; mallinfo2 {mallinfo2()}; load {os.getloadavg()[0]:.1f}",
              flush=True)
        os._exit(0)  # skip teardown: pyqtgraph items crash the GC at exit in offscreen Qt


if __name__ == "__main__":
    main()
