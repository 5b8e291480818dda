"""What the GUI benchmarks share (`bench_gui.py`, `bench_threshold.py`): their command line, waiting
on the event loop, and the real main window with a model loaded and images open.

Run from the repository root as the benchmarks are (`python bench/bench_gui.py`); the benchmark
puts the repository on `sys.path` before importing this module.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QSettings
from video_bench_helpers import wait

from app.main_window import MainWindow
from app.services import CollectingErrorReporter, Services


def parse_args(description: str,
               more: Callable[[argparse.ArgumentParser], object] | None = None) -> argparse.Namespace:
    """--checkpoint (default: random fosp-s weights), --input-size, --repeats, and what `more` adds."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--checkpoint", type=Path)
    parser.add_argument("--input-size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=30)
    if more is not None:
        more(parser)
    return parser.parse_args()


def wait_until(condition: Callable[[], bool], timeout_s: float = 120.0) -> bool:
    """Run the event loop until `condition()` holds (the benches' shared wait,
    :func:`video_bench_helpers.wait`); False after `timeout_s`, where that raises TimeoutError."""
    try:
        wait(condition, timeout_s)
    except TimeoutError:
        return False
    return True


def model_window(tmp_path: Path, checkpoint: Path, input_size: int) -> MainWindow:
    """A shown 1600×1000 main window (settings and annotation projects under `tmp_path`) with `checkpoint`
    loaded at `input_size`, no image open."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.resize(1600, 1000)
    window.show()
    ctl = window.analysis
    ctl.worker.set_input_size(input_size)
    ctl.settings.set_checkpoint(checkpoint)
    assert wait_until(lambda: ctl.model is not None), ctl.errors
    return window


def analysis_window(tmp_path: Path, checkpoint: Path | None, input_size: int,
                    paths: Sequence[Path]) -> MainWindow:
    """`model_window` (random fosp-s weights when `checkpoint` is None) with `paths` open, the first image
    shown."""
    import torch

    torch.set_num_threads(max(1, (os.cpu_count() or 2) - 1))
    if checkpoint is None:
        from fosp_core.checkpoint import save_checkpoint
        from fosp_core.model import build_model

        checkpoint = save_checkpoint(build_model("fosp-s").eval(), tmp_path / "fosp-s-random.safetensors")
    window = model_window(tmp_path, checkpoint, input_size)
    window.open_paths(list(paths), remember=False)
    assert wait_until(lambda: window.session.current_image is not None)
    return window


def labelled_demo_images(root: Path, size: tuple[int, int] = (1920, 1080)) -> list[Path]:
    """root/JPEGImages/<id>.jpg and root/SegmentationClass/<id>.png: every bundled demo photo and
    its label resized to `size` (W, H), so the view finds the labels as in a SmokeSeg folder."""
    import numpy as np
    from PIL import Image

    from fosp_core.io.masks import read_mask, write_mask_png
    from fosp_core.paths import DEMO_DIR

    (root / "JPEGImages").mkdir(parents=True)
    (root / "SegmentationClass").mkdir()
    out = []
    for src in sorted((DEMO_DIR / "JPEGImages").glob("*.jpg")):
        path = root / "JPEGImages" / src.name
        Image.open(src).convert("RGB").resize(size).save(path, quality=92)
        label = read_mask(DEMO_DIR / "SegmentationClass" / f"{src.stem}.png")
        write_mask_png(root / "SegmentationClass" / f"{src.stem}.png",
                       np.asarray(Image.fromarray(label).resize(size, Image.Resampling.NEAREST)))
        out.append(path)
    return out
