"""Huge photos made from real SMOKE5K photos, for ``bench_huge_images.py``: what annotators of drone
orthophotos and stitched panoramas open (30-100 MP JPEGs, a 16-bit TIFF, an RGBA PNG, a progressive JPEG).

Each is a real photo upscaled (cubic) to the size, its SMOKE5K label upscaled (nearest) beside it, so
a mask can be checked against the image at full resolution. The panorama is three photos side by side.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

SMOKE5K = Path(__file__).resolve().parents[2] / "shared" / "data" / "smoke5k-train"
PHOTOS = ("ckakldp3vdjmg0b12dcxe2tgz", "ckaklrf54bmfo0738br0akloq", "ckakldp3vdjmg0b12dcxe2tgz")

#: name -> (width, height, how it is written)
KINDS: dict[str, tuple[int, int, str]] = {
    "photo-8000x6000.jpg": (8000, 6000, "jpeg"),
    "ortho-12000x8000.jpg": (12000, 8000, "jpeg"),
    "pano-20000x3000.jpg": (20000, 3000, "pano"),
    "thermal16-8000x6000.tif": (8000, 6000, "tiff16"),
    "rgba-8000x6000.png": (8000, 6000, "rgba"),
    "progressive-8000x6000.jpg": (8000, 6000, "progressive"),
}


def photo(name: str, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """(RGB uint8 (H, W, 3), label uint8 0/1 (H, W)) of SMOKE5K photo `name` at (width, height)."""
    bgr = cv2.imread(str(SMOKE5K / "img" / f"{name}.jpg"))
    gt = cv2.imread(str(SMOKE5K / "gt" / f"{name}.png"), cv2.IMREAD_GRAYSCALE)
    if bgr is None or gt is None:
        raise SystemExit(f"no photo {name} under {SMOKE5K}")
    rgb = cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), (width, height), interpolation=cv2.INTER_CUBIC)
    label = cv2.resize((gt > 127).astype(np.uint8), (width, height), interpolation=cv2.INTER_NEAREST)
    return rgb, label


def panorama(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Three photos side by side, each (width // 3, height) (the last one wider by the remainder)."""
    widths = [width // 3, width // 3, width - 2 * (width // 3)]
    parts = [photo(name, w, height) for name, w in zip(PHOTOS, widths, strict=True)]
    return np.concatenate([p[0] for p in parts], axis=1), np.concatenate([p[1] for p in parts], axis=1)


def write(folder: Path, name: str) -> tuple[Path, np.ndarray]:
    """Write huge photo `name` (a key of KINDS) into `folder` (once); (its path, its label)."""
    width, height, how = KINDS[name]
    path = folder / name
    rgb, label = panorama(width, height) if how == "pano" else photo(PHOTOS[0], width, height)
    if path.exists():
        return path, label
    folder.mkdir(parents=True, exist_ok=True)
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    if how in ("jpeg", "pano"):
        cv2.imwrite(str(path), bgr, [cv2.IMWRITE_JPEG_QUALITY, 90])
    elif how == "progressive":
        cv2.imwrite(str(path), bgr, [cv2.IMWRITE_JPEG_QUALITY, 90, cv2.IMWRITE_JPEG_PROGRESSIVE, 1])
    elif how == "tiff16":
        cv2.imwrite(str(path), bgr.astype(np.uint16) * 257)  # v * 257: the high byte is v again
    elif how == "rgba":
        alpha = np.full(rgb.shape[:2], 255, np.uint8)
        Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(path, compress_level=1)
    return path, label


def predicted_window(folder: Path, size: str, prefix: str) -> tuple[object, np.ndarray]:
    """A shown main window (1600x1000, offscreen settings and projects in a new temporary folder named
    `prefix`...) on a `size` ("WxH") upscale of the first photo, written as ``accept-WxH.jpg`` into
    `folder` once, with a probability map set: its label blurred plus a little noise. Waits 2 s for the
    map's profile read and the first paint. Returns (window, probability). For the huge-photo benches
    (bench_huge_turns, bench_accept_undo_huge); needs the app on sys.path and a QApplication."""
    import tempfile

    from gui_window import wait_until
    from PySide6.QtCore import QSettings

    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    width, height = (int(v) for v in size.split("x"))
    rgb, label = photo(PHOTOS[0], width, height)
    path = folder / f"accept-{size}.jpg"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(path), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    del rgb
    blurred = cv2.GaussianBlur(label.astype(np.float32), (0, 0), width / 100)
    noise = cv2.resize(np.random.default_rng(0).random((24, 32), np.float32), (width, height))
    probability = np.clip(0.8 * blurred + 0.35 * (noise - 0.5), 0.0, 1.0).astype(np.float32)
    del blurred, noise, label
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter()))
    controller = window.annotation.controller
    controller.registry.projects_root = tmp / "projects"
    window.resize(1600, 1000)
    window.show()
    window.open_paths([path], remember=False)
    assert wait_until(lambda: controller.document is not None, 300)
    controller.set_probability(path, probability)
    wait_until(lambda: False, 2.0)  # the map's profile read, the first paint done
    return window, probability


def interleaved_children(script: Path, trees: dict[str, Path], sizes: list[str],
                         rounds: int) -> tuple[dict[tuple[str, str], list[dict]], list[float]]:
    """Run ``script --child TREE SIZE`` for each size, `rounds` times per tree, the trees' order
    reversed every other round (before/after interleaved on a shared machine); each child's last
    stdout line that starts with "{" is its result. Returns ({(tree name, size): results}, load
    averages seen); each result is told on stderr with the load, a child without one with its stderr."""
    import json
    import os
    import subprocess
    import sys

    results: dict[tuple[str, str], list[dict]] = {}
    loads = [os.getloadavg()[0]]
    for size in sizes:
        for r in range(rounds):
            for name in (list(trees) if r % 2 == 0 else list(trees)[::-1]):
                done = subprocess.run([sys.executable, str(script), "--child", str(trees[name]), size],
                                      capture_output=True, text=True, check=False, cwd=trees[name])
                lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
                if not lines:
                    print(f"{name} {size}: exit {done.returncode}\n{done.stderr[-2000:]}", file=sys.stderr)
                    continue
                results.setdefault((name, size), []).append(json.loads(lines[-1]))
                loads.append(os.getloadavg()[0])
                print(f"{name} {size} round {r} (load {loads[-1]:.1f}): {lines[-1]}", file=sys.stderr, flush=True)
    return results, loads
