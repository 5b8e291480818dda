"""The worker of Compare Two Checkpoints: on its own thread it loads both checkpoints, walks the
images with :func:`fosp_core.analysis.compare.compare_images` (cancellable between images) and sends
each row with two small JPEG previews back to the dialog (`app.training.compare_dialog`), each after
whether either checkpoint was trained on its image (`fosp_core.trained_on`: the file is hashed here,
off the GUI thread, once per file version). Each image's ground truth is its dataset label, else its
reviewed or edited project mask (`fosp_core.analysis.compare_truth`), read here through the project,
which waits for that image's pending background save.

The previews are made at the size the dialog's preview labels take in device pixels
(:attr:`CompareWorker.label_side`, set before a run; :func:`preview_side`), within bounds: never below
the 480 px they all were (soft when blown up to a 1000-px label at 200 %), at most 1600 px, and no more
than :data:`PREVIEW_RUN_PIXELS` for the two previews of every image of a run (the dialog keeps every
row's JPEGs: at about 0.2 bytes a pixel, the demo photos at quality 88, some 80 MB at most).
A label resized during a run is not followed: the next run is."""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from fosp_core.analysis.compare import CompareRow, compare_images, preview_pair
from fosp_core.analysis.compare_report import CompareRequest
from fosp_core.analysis.compare_trained import image_verdicts
from fosp_core.analysis.compare_truth import ground_truth
from fosp_core.analysis.settings import predictor_input
from fosp_core.trained_on import checkpoint_trained_images

if TYPE_CHECKING:
    from fosp_core.infer import Predictor

__all__ = ["PREVIEW_MAX_SIDE", "PREVIEW_RUN_PIXELS", "PREVIEW_SIDE", "CompareWorker", "planned_device",
           "preview_side"]

#: A preview's long side at least (all were this size before they followed the labels), in pixels
PREVIEW_SIDE = 480
#: and at most (a 1600 x 1200 pair: ~0.8 MB of JPEG)
PREVIEW_MAX_SIDE = 1600
#: the pixels of the two previews of every image of a run together, at most (square previews counted)
PREVIEW_RUN_PIXELS = 400_000_000


def preview_side(label_side: int, images: int) -> int:
    """The long side of a run's previews: `label_side` (the preview labels' long side in device
    pixels) within :data:`PREVIEW_SIDE` .. :data:`PREVIEW_MAX_SIDE`, and small enough that the two
    square previews of each of `images` images hold :data:`PREVIEW_RUN_PIXELS` (never below
    :data:`PREVIEW_SIDE`: a run of thousands keeps the old size)."""
    budget = math.isqrt(PREVIEW_RUN_PIXELS // max(1, 2 * images))
    return max(PREVIEW_SIDE, min(label_side, PREVIEW_MAX_SIDE, budget))


class CompareWorker(QObject):
    """Lives on the compare thread; `cancelled` is set from the GUI thread and read between images,
    `label_side` (the preview labels' long side in device pixels) before a run, read as it starts."""

    # each signal's first argument: the id of the run it belongs to (`run`'s), so that nothing of a
    # cancelled run lands on the next run's rows (`compare_runner.CompareRunner` drops it)
    loaded = Signal(int, object)  # (variant A, variant B): the model names in the checkpoints ("" unknown)
    device = Signal(int, str)  # the device both run on, resolved ("cpu", "cuda:0", "mps"; the request may say "auto")
    recorded = Signal(int, object)  # (A records its training images, B does): bool each
    trained = Signal(int, object, object)  # image path, (A trained on it, B trained on it): True/False/None; before its row
    row = Signal(int, object, bytes, bytes)  # CompareRow, JPEG preview A, JPEG preview B
    progress = Signal(int, int, int)  # images done, images in all
    failed = Signal(int, str)
    done = Signal(int, bool)  # cancelled

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = False
        self.label_side = PREVIEW_SIDE

    @Slot(int, object)
    def run(self, run: int, request: CompareRequest) -> None:
        """Compare as `request` asks; every signal carries `run`."""
        try:
            from fosp_core.infer import Predictor

            predictors = [Predictor(path, device=request.device, precision=request.precision, tau=request.tau,
                                    **predictor_input(request.input, request.input_size))
                          for path in (request.checkpoint_a, request.checkpoint_b)]
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, never a crash
            self.failed.emit(run, f"cannot load the checkpoints: {str(exc).strip() or type(exc).__name__}")
            self.done.emit(run, False)
            return
        self.device.emit(run, str(predictors[0].device))
        self.loaded.emit(run, (_variant(request.checkpoint_a), _variant(request.checkpoint_b)))
        known = [checkpoint_trained_images(c) for c in (request.checkpoint_a, request.checkpoint_b)]
        self.recorded.emit(run, tuple(k is not None for k in known))
        fns = [_probability(predictor) for predictor in predictors]
        previews: dict[Path, tuple[bytes, bytes]] = {}
        side = preview_side(self.label_side, len(request.paths))

        def keep(row: CompareRow, rgb: np.ndarray, a: np.ndarray, b: np.ndarray, label: np.ndarray | None) -> None:
            pair = preview_pair(rgb, a, b, label, request.threshold, side)
            previews[row.path] = tuple(_jpeg(p) for p in pair)  # type: ignore[assignment]

        total = len(request.paths)
        self.progress.emit(run, 0, total)
        try:
            rows = compare_images(request.paths, fns[0], fns[1], request.threshold,
                                  labelled_only=request.labelled_only, on_maps=keep, keep=request.keep,
                                  truth=lambda path, shape: ground_truth(path, shape, request.truth))
            for done, row in enumerate(rows, 1):
                pa, pb = previews.pop(row.path, (b"", b""))
                self.trained.emit(run, row.path, image_verdicts((known[0], known[1]), row.path, request.truth))
                self.row.emit(run, row, pa, pb)
                self.progress.emit(run, min(done, total), total)
                if self.cancelled:
                    break
            else:  # every image seen, those labelled_only skipped (no row) included
                self.progress.emit(run, total, total)
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            self.failed.emit(run, f"the comparison stopped: {str(exc).strip() or type(exc).__name__}")
        self.done.emit(run, self.cancelled)


def planned_device(setting: str) -> str:
    """The device the worker's Predictors will run on for the Model panel's `setting`, resolved as
    the Predictor resolves it (`fosp_core.infer.devices.resolve_device`), named as the Model panel
    names it (`device_words`): "CPU (Automatic)", "GPU cuda:0 (Automatic)", "CPU" for "cpu";
    "GPU cuda:1 (not available here)" where the Predictor would refuse it."""
    from fosp_core.analysis.settings import device_words
    from fosp_core.infer.devices import DeviceError, resolve_device

    try:
        device = str(resolve_device(setting))
    except DeviceError:
        return f"{device_words(setting)} (not available here)"
    return device_words(device) if device == setting else f"{device_words(device)} ({device_words(setting)})"


def _probability(predictor: Predictor) -> Callable[[np.ndarray], np.ndarray]:
    """RGB uint8 (H, W, 3) -> float32 smoke probability (H, W) (`fosp_core.infer.probability_fn`'s)."""

    def probability(rgb: np.ndarray) -> np.ndarray:
        return predictor.predict_batch([rgb], need=())[0].probability

    return probability


def _variant(checkpoint: Path) -> str:
    """The model variant a checkpoint's metadata names ("fosp-s"), or "" (header only: cheap)."""
    from fosp_core.checkpoint import CheckpointError, read_metadata

    try:
        return read_metadata(checkpoint).get("model_name", "")
    except (CheckpointError, OSError, ValueError):
        return ""


def _jpeg(rgb: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 88])
    return data.tobytes() if ok else b""
