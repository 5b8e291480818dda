"""An annotator's whole day in the real main window, and what grows with each image.

    python bench/bench_all_day.py [--images 300] [--every 25] [--checkpoint FILE | --default-model]
                                  [--input-size 64] [--real N] [--videos 2] [--exports 3]

Builds the real main window (1000x700, offscreen) with a model loaded (default: a randomly
initialised fosp-s, as tests/gui/tiny_model, at network input --input-size; --default-model: the
bundled default model at its own input) and opens one SmokeSeg folder made under a temporary folder:
the 30 real SmokeSeg samples and --real real SMOKE5K photos (copied from /work/shared/data, which is
only read) and generated 640x480 images up to --images. Annotation projects live under the
temporary folder (`registry.projects_root`).

Each image is visited in turn: shown, predicted (Run on This Image), the prediction accepted, a brush
stroke and a polygon drawn, two undos and a redo, marked reviewed, the save waited for. Every 10th
image toggles the analysis layers; at evenly spaced points a video is opened, scrubbed over 20
frames and left, and the project is exported through the Export dialog. Every --every images a row
of `all_day_counts.COLUMNS` is printed; at the end, the Python types whose live count grew most.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import tracemalloc
from pathlib import Path

from day_window import DATA, idle, make_window, real_photos  # first: sets the environment, sys.path

# isort: split
import numpy as np  # noqa: E402
from all_day_counts import COLUMNS, counts, type_counts  # noqa: E402
from gui_window import wait_until  # noqa: E402
from PIL import Image  # noqa: E402

from app.main import create_app  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from fosp_core.annotation.document import Status  # noqa: E402
from fosp_core.annotation.tool_state import Tool  # noqa: E402
from tests.gui.annotation_helpers import click, drag  # noqa: E402

__all__ = ["idle", "make_folder", "make_window", "visit"]


def make_folder(root: Path, images: int, real: int) -> Path:
    """root/day (SmokeSeg layout): the 30 real samples with their labels, `real` SMOKE5K photos and
    generated images up to `images`."""
    jpeg, labels = root / "day" / "JPEGImages", root / "day" / "SegmentationClass"
    jpeg.mkdir(parents=True)
    labels.mkdir()
    samples = DATA / "smokeseg-samples"
    n = 0
    for src in sorted((samples / "JPEGImages").glob("*.jpg"))[:images]:
        shutil.copy(src, jpeg / src.name)
        shutil.copy(samples / "SegmentationClass" / f"{src.stem}.png", labels / f"{src.stem}.png")
        n += 1
    photos = real_photos()
    for src in photos[:max(0, min(real, images - n))]:
        shutil.copy(src, jpeg / f"s5k_{src.name}")
        n += 1
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:480, 0:640]
    for i in range(n, images):
        cx, cy, r = rng.integers(100, 540), rng.integers(100, 380), rng.integers(30, 120)
        sky = np.stack([120 + yy // 8, 150 + yy // 10, 200 - yy // 12], -1).astype(np.float32)
        plume = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2.0 * r * r))[..., None]
        rgb = sky * (1 - 0.7 * plume) + 220 * 0.7 * plume + rng.normal(0, 4, sky.shape)
        Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(jpeg / f"gen_{i:04d}.jpg", quality=90)
    return root / "day"


def visit(window: MainWindow, index: int) -> None:
    """Show image `index`, predict it, accept, brush, polygon, undo twice, redo, mark reviewed."""
    session, controller, ctl = window.session, window.annotation.controller, window.analysis
    session.set_current(index)
    assert wait_until(lambda: controller.document is not None and controller.image_path == session.current_path
                      and window.session.current_image is not None, 60)
    request = ctl.run_current()
    if request is not None:
        assert wait_until(lambda: request not in ctl._runs, 300), ctl.errors
    doc = controller.document
    wait_until(lambda: doc.probability is not None, 30)
    controller.accept_prediction()
    h, w = doc.shape
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(w * 0.2, h * 0.3), (w * 0.3, h * 0.35), (w * 0.4, h * 0.4)])
    controller.state.set_tool(Tool.POLYGON_FILL)
    for x, y in ((0.6, 0.6), (0.8, 0.6), (0.7, 0.8)):
        click(window, w * x, h * y)
    controller.close_polygon()
    controller.undo()
    controller.undo()
    controller.redo()
    controller.set_status(Status.REVIEWED)
    controller.state.set_tool(Tool.NAVIGATE)
    controller.open_documents.flush()
    idle()


def toggle_layers(window: MainWindow) -> None:
    layers = window.analysis.layers
    for name in layers.names:
        layers.toggle(name)
        wait_until(lambda: False, 0.01)
        layers.toggle(name)


def scrub_video(window: MainWindow, path: Path) -> None:
    """Open `path`, step over 20 frames, leave for the images again."""
    shown = []
    window.video.frame_shown.connect(shown.append)
    window.open_paths([path], remember=False)
    assert wait_until(lambda: bool(shown), 60)
    for frame in range(0, 40, 2):
        window.video.seek(frame)
        wait_until(lambda: False, 0.03)
    window.video.frame_shown.disconnect(shown.append)
    window.video.leave()
    idle(200)


def export(window: MainWindow, dst: Path) -> None:
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    dialog.dst.setText(str(dst))
    reports = []
    dialog.exported.connect(reports.append)
    dialog.start()
    assert wait_until(lambda: bool(reports), 300), "export did not finish"
    dialog.close()
    idle(50)


def print_growth(before: tracemalloc.Snapshot) -> tracemalloc.Snapshot:
    """Print the 5 tracebacks whose traced memory grew most since `before`; the snapshot now."""
    now = tracemalloc.take_snapshot()
    for stat in now.compare_to(before, "traceback")[:5]:
        if stat.size_diff > 1_000_000:
            print(f"    +{stat.size_diff / 1e6:.1f} MB ({stat.count_diff:+d} blocks):",
                  " <- ".join(f"{Path(f.filename).name}:{f.lineno}" for f in stat.traceback[:6]))
    return now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--checkpoint", type=Path)
    parser.add_argument("--default-model", action="store_true")
    parser.add_argument("--input-size", type=int, default=64)
    parser.add_argument("--real", type=int, default=60, help="SMOKE5K real photos among the images")
    parser.add_argument("--videos", type=int, default=2)
    parser.add_argument("--exports", type=int, default=3)
    parser.add_argument("--trim", action="store_true", help="also RSS after malloc_trim (then kept trimmed)")
    parser.add_argument("--trace", action="store_true", help="print where traced memory grew (tracemalloc)")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    app = create_app([])
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = make_folder(tmp, args.images, args.real)
        checkpoint, input_size = args.checkpoint, args.input_size
        if args.default_model:
            from fosp_core.paths import find_model

            checkpoint, input_size = find_model(), None  # the bundled default model at its own input
        elif checkpoint is None:
            from fosp_core.checkpoint import save_checkpoint
            from fosp_core.model import build_model

            torch.manual_seed(0)
            checkpoint = save_checkpoint(build_model("fosp-s").eval(), tmp / "tiny.safetensors")
        window = make_window(tmp, checkpoint, input_size)
        window.open_paths([folder], remember=False)
        assert wait_until(lambda: window.session.current_image is not None, 60)
        total = len(window.session)
        videos = sorted((DATA / "videos").glob("*.mp4"))[:args.videos]
        video_at = {total * (k + 1) // (len(videos) + 1): v for k, v in enumerate(videos)}
        export_at = {total * (k + 1) // (args.exports + 1): k for k in range(args.exports)}
        print(f"{total} images ({folder}), model {checkpoint.name}, "
              f"input {input_size or 'default'}; load {os.getloadavg()[0]:.1f}")
        print("| images | s | " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * (len(COLUMNS) + 2))
        before, start = type_counts(), time.perf_counter()

        def row(done: int) -> None:
            idle(100)
            values = counts(window, args.trim)
            cells = [f"{v:.0f}" if isinstance(v, float) else str(v) for v in values.values()]
            print(f"| {done} | {time.perf_counter() - start:.0f} | " + " | ".join(cells) + " |", flush=True)

        row(0)
        if args.trace:
            tracemalloc.start(8)
            snapshot = tracemalloc.take_snapshot()
        for i in range(total):
            visit(window, i)
            if i % 10 == 9:
                toggle_layers(window)
            if i in video_at:
                scrub_video(window, video_at[i])
            if i in export_at:
                export(window, tmp / f"export-{export_at[i]}")
            if (i + 1) % args.every == 0 or i + 1 == total:
                row(i + 1)
                if args.trace:
                    snapshot = print_growth(snapshot)
        grown = type_counts()
        grown.subtract(before)
        print("\nPython types whose live count grew most:",
              ", ".join(f"{name} +{n}" for name, n in grown.most_common(12) if n > 0))
        print(f"load {os.getloadavg()[0]:.1f}")
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
