"""Huge photos (drone orthophotos, stitched panoramas: 30-100 MP) as an annotator opens them: what QA
found with real SMOKE5K photos upscaled to 8000x6000 and more (``bench/bench_huge_images.py``).

Export View blended every layer over the whole image in float32 at once: at 8000x6000 with every
layer shown its working arrays peaked at 3.2 GB above the window's (and it ran on the GUI thread).
"""

from __future__ import annotations

import threading
import tracemalloc
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from app.analysis.render import composite
from fosp_core.analysis.layers import LayerStack, layer_arrays
from fosp_core.infer.result import Prediction


def every_layer_scene(h: int, w: int) -> tuple[np.ndarray, LayerStack, dict[str, np.ndarray]]:
    """(RGB, a stack with every layer shown, a full result's arrays) of a smooth plume at (h, w)."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    probability = np.exp(-(((xx - w * 0.4) / (w * 0.2)) ** 2 + ((yy - h * 0.5) / (h * 0.25)) ** 2)).astype(np.float32)
    rgb = np.dstack([(xx * 255 / w), (yy * 255 / h), np.full((h, w), 90, np.float32)]).astype(np.uint8)
    prediction = Prediction(probability=probability, focus_map=probability * 0.8, hole=probability > 0.6,
                            background=cv2.GaussianBlur(rgb, (0, 0), 3),
                            foreground_energy={s: probability / s for s in (32, 16, 8, 4)}, tau=0.15)
    label = (probability > 0.4).astype(np.uint8)
    stack = LayerStack()
    for layer in stack:
        stack.set_visible(layer.name, True)
    return rgb, stack, layer_arrays(prediction, 0.5, label)


def test_export_view_composite_needs_no_float_copies_of_the_whole_image() -> None:
    """Export View's composite of every layer: peak numpy memory under 16 bytes a pixel (the uint8
    output is 3, each traced outline 1 and its tracing 4; whole-image float32 blending was over 60)."""
    h, w = 1500, 2000
    rgb, stack, arrays = every_layer_scene(h, w)
    tracemalloc.start()
    try:
        out = composite(rgb, stack, arrays)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.shape == rgb.shape and out.dtype == np.uint8
    assert peak / (h * w) < 16, f"{peak / (h * w):.1f} bytes a pixel"


def test_banded_composite_draws_the_same_pixels_as_at_once() -> None:
    rgb, stack, arrays = every_layer_scene(203, 157)
    whole = composite(rgb, stack, arrays, band_rows=10_000)
    assert np.array_equal(composite(rgb, stack, arrays, band_rows=7), whole)
    assert not np.array_equal(whole, rgb)  # the layers are drawn


def test_export_view_composes_and_writes_off_the_gui_thread(qtbot, make_window, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Analysis ▸ Export View… blended and encoded the image on the GUI thread: the window froze for
    104 s on an 8000x6000 photo with every layer shown (bench_huge_images, load 4.4). It now writes on
    a worker thread and says so in the status bar; the file holds the layers shown when it was asked."""
    from PySide6.QtWidgets import QFileDialog

    from app.analysis import grid_export

    h, w = 60, 80
    path = tmp_path / "ortho.png"
    rgb, _, _ = every_layer_scene(h, w)
    Image.fromarray(rgb).save(path)
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([path], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10000)
    ctl = window.analysis
    probability = np.zeros((h, w), np.float32)
    probability[10:30, 20:50] = 0.9
    ctl._show(Prediction(probability=probability))
    ctl.layers.set_visible("prediction mask", True)
    expected = composite(window.session.current_image.rgb, ctl.layers, ctl.arrays)
    threads: list[bool] = []
    real = grid_export.composite

    def spy(*args, **kwargs) -> np.ndarray:  # noqa: ANN002, ANN003
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(grid_export, "composite", spy)
    out = tmp_path / "figures" / "ortho-view.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(out), ""))
    ctl.view_export.dialog()
    ctl.layers.set_visible("prediction mask", False)  # a change after the request: not in the file
    qtbot.waitUntil(lambda: "Exported the view" in window.statusBar().currentMessage(), timeout=20000)
    assert threads == [False]  # blended once, not on the GUI thread
    png = cv2.cvtColor(cv2.imread(str(out)), cv2.COLOR_BGR2RGB)
    assert np.array_equal(png, expected)


def test_reading_a_saved_mask_back_makes_no_wide_copy(tmp_path: Path) -> None:
    """Reopening an image reads its saved mask on the GUI thread: the palette check counted the indices
    with np.bincount through an int64 copy, 9 bytes a pixel of numpy memory (1.9 s for 8000x6000,
    the longest GUI turn of a reopen). Under 3 bytes a pixel now: the file's indices and the mask."""
    from fosp_core.io.masks import read_mask, write_mask_png

    mask = np.zeros((1500, 2000), np.uint8)
    mask[300:900, 500:1400] = 1
    mask[1200:1210] = 255
    write_mask_png(tmp_path / "m.png", mask)
    tracemalloc.start()
    try:
        back = read_mask(tmp_path / "m.png")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert np.array_equal(back, mask)
    assert peak / mask.size < 3, f"{peak / mask.size:.1f} bytes a pixel"


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims width x height RGB pixels, with a few bytes of data."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
                     + chunk(b"IEND", b""))
    return path


def test_one_row_over_the_pixel_limit_is_refused_by_name_before_decoding(qtbot, make_window, tmp_path: Path) -> None:
    """MAX_PIXELS (400 MP): a 20000 x 20000 file is decoded (here it is cut short: "truncated"); one
    row more is refused from its header with the limit named, in the window's error report (Pillow
    only warns between its limit and twice it)."""
    from fosp_core.io.images import MAX_PIXELS

    assert 20000 * 20000 == MAX_PIXELS
    at = _png_header_only(tmp_path / "at-limit.png", 20000, 20000)
    over = _png_header_only(tmp_path / "one-row-over.png", 20000, 20001)
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([at, over], remember=False)
    reporter = window.services.error_reporter
    qtbot.waitUntil(lambda: len(reporter.errors) == 2, timeout=20000)
    reasons = {error.path.name: error.reason for error in reporter.errors}
    assert reasons["one-row-over.png"] == "image too large (more than 400,000,000 pixels)"
    assert "too large" not in reasons["at-limit.png"] and "truncated" in reasons["at-limit.png"]


def test_documents_kept_for_going_back_stay_within_a_byte_budget() -> None:
    """The last 8 images' documents stay open for their undo history, by count only: each 8000x6000
    one holds its mask (48 MB), the model's probability (192 MB) and up to 160 MB of history, so a
    window that went through huge photos grew 230 MB an image (RSS 3.1 -> 4.0 GB over 4 photos) and
    would hold 8 of them. Now also at most RECENT_BYTES of them (the newest always kept)."""
    from fosp_core.annotation.document import AnnotationDocument
    from fosp_core.annotation.recent import RECENT_BYTES, RecentDocuments, document_nbytes

    shape = (6000, 8000)
    probability = np.broadcast_to(np.float32(0.5), shape)  # 192 MB as the document counts it, none here
    dropped: list[str] = []
    recent: RecentDocuments[str] = RecentDocuments(on_drop=lambda key, _doc: dropped.append(key))
    for i in range(8):
        recent.keep(f"photo-{i}", AnnotationDocument(shape, probability=probability, image_id=f"photo-{i}"))
    kept = recent.items()
    assert sum(document_nbytes(doc) for _, doc in kept) <= RECENT_BYTES
    assert kept[-1][0] == "photo-7"  # the newest stays
    assert dropped == [f"photo-{i}" for i in range(8 - len(kept))]  # the oldest went first, told


def test_one_document_over_the_byte_budget_is_still_kept() -> None:
    from fosp_core.annotation.document import AnnotationDocument
    from fosp_core.annotation.recent import RECENT_BYTES, RecentDocuments

    side = int((RECENT_BYTES / 5) ** 0.5) + 1  # mask + float32 probability: over the budget
    recent: RecentDocuments[str] = RecentDocuments()
    recent.keep("pano", AnnotationDocument((side, side), probability=np.broadcast_to(np.float32(0), (side, side))))
    assert [key for key, _ in recent.items()] == ["pano"]


def test_a_model_run_keeps_no_map_that_no_layer_shows(qtbot, make_window, tmp_path: Path) -> None:
    """The window asked the model for every output, the four side-output maps (g32..g4) too, which
    no layer shows: 16 bytes a pixel held in each cached result (768 MB at 8000x6000; an orthophoto
    of 12000x8000 went over 11 GB of RSS in bench_huge_images). Every map a layer shows is still there."""
    from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

    path = tmp_path / "ortho.png"
    Image.fromarray(every_layer_scene(48, 64)[0]).save(path)
    window, ctl = ready_window(qtbot, make_window, save_tiny_checkpoint(tmp_path / "tiny.safetensors"), [path],
                               projects_root=tmp_path / "projects")
    ctl.action_run.trigger()
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)
    prediction = ctl.prediction
    assert prediction.side_maps == {}
    assert prediction.focus_map is not None and prediction.hole is not None and prediction.background is not None
    assert sorted(prediction.foreground_energy) == [4, 8, 16, 32]
