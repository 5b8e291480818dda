"""Smoke-free backgrounds for synthetic smoke: finding them, cropping them clear of real smoke,
and a coarse look at the scene (horizon line, sky colour).

A background folder may be a SmokeSeg (VOC) dataset, a SMOKE5K-style `img/` + `gt/` folder, or a
plain folder of images (assumed smoke-free). Labelled smoke in a background is never left
unlabelled: `prepare_background` picks a crop window at least `margin` pixels away from it, and
where no such window exists it returns the smoke as an exclusion mask that the caller must keep
labelled in its output (union).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from fosp_core.data.datasets import DatasetError, open_dataset
from fosp_core.io.images import read_image
from fosp_core.io.masks import read_mask

# SMOKE5K names its 4000 synthetic images <digits>_<digits>; real photos have other names.
SMOKE5K_SYNTHETIC_NAME = re.compile(r"^\d+_\d+$")


@dataclass(frozen=True)
class BackgroundSource:
    """One background image on disk and, when it has one, its mask file (any encoding
    `fosp_core.io.masks.read_mask` reads). mask_path None: unlabelled, taken as smoke-free."""

    id: str
    image_path: Path
    mask_path: Path | None = None

    def load(self) -> tuple[np.ndarray, np.ndarray | None]:
        """Returns (RGB uint8 HxWx3, bool HxW "labelled smoke or ignore" or None when unlabelled)."""
        rgb = read_image(self.image_path).rgb
        if self.mask_path is None:
            return rgb, None
        smoke = read_mask(self.mask_path) != 0  # smoke (1) and ignore (255) both stay out
        if smoke.shape != rgb.shape[:2]:
            smoke = cv2.resize(smoke.astype(np.uint8), (rgb.shape[1], rgb.shape[0]),
                               interpolation=cv2.INTER_NEAREST).astype(bool)
        return rgb, smoke


def load_backgrounds(path: str | Path, *, real_only: bool = True) -> list[BackgroundSource]:
    """List the background images of any dataset `open_dataset` reads (SmokeSeg, SMOKE5K, plain
    image folder; broken or unpaired items are skipped, since an image whose label is missing
    may hold unlabelled smoke).

    real_only: skip SMOKE5K's synthetic images (names <digits>_<digits>), so that synthetic smoke is
    only ever composited over real camera photos. Raises FileNotFoundError for a missing folder.
    """
    root = Path(path)
    if not root.is_dir():
        raise FileNotFoundError(f"background folder not found: {root}")
    try:
        dataset = open_dataset(root, on_error="skip", check_sizes=False)
    except DatasetError as exc:
        raise ValueError(str(exc)) from exc
    out = []
    for entry in dataset.entries:
        if real_only and SMOKE5K_SYNTHETIC_NAME.match(entry.id):
            continue
        out.append(BackgroundSource(entry.id, entry.image, entry.mask))
    return out


@dataclass(frozen=True)
class PreparedBackground:
    """A square background ready for compositing.

    image: RGB uint8 (size, size, 3). exclude: bool (size, size) real smoke that must stay labelled,
    or None when the crop is clear of it. crop: (x, y, side) of the window in the source image.
    scale: output pixels per source pixel (> 1 means the background was upsampled, hence softer).
    horizon_inside: the window holds the image's horizon (median row) away from its edges.
    """

    image: np.ndarray
    exclude: np.ndarray | None
    crop: tuple[int, int, int]
    scale: float
    horizon_inside: bool = True


def prepare_background(
    rgb: np.ndarray,
    smoke: np.ndarray | None,
    rng: np.random.Generator,
    *,
    size: int = 512,
    min_crop_frac: float = 0.55,
    margin: int = 32,
    tries: int = 24,
) -> PreparedBackground:
    """Crop a square window (side between min_crop_frac and 1 of the shorter side) and resize it.

    rgb: RGB uint8 HxWx3; smoke: bool HxW labelled smoke (or None). The window is kept at least
    `margin` source pixels away from labelled smoke (random draws, then a grid search of the
    smallest windows); only if no window is clear, a full-height window is used and the smoke
    comes back as `exclude` (to be labelled by the caller).
    """
    h, w = rgb.shape[:2]
    short = min(h, w)
    near = None
    if smoke is not None and smoke.any():
        dist = cv2.distanceTransform((~smoke).astype(np.uint8), cv2.DIST_L2, 3)
        near = dist < margin
        # Integral image: the count of near-smoke pixels in any window in O(1).
        integral = cv2.integral(near.astype(np.uint8))
    # Prefer windows with the horizon well inside (plumes rise from it); any clear window will do.
    horizon_row = float(np.median(analyse_scene(rgb).horizon))
    chosen = fallback = None
    for _ in range(tries):
        side = int(round(short * rng.uniform(min_crop_frac, 1.0)))
        x = int(rng.integers(0, w - side + 1))
        y = int(rng.integers(0, h - side + 1))
        if near is not None:
            count = integral[y + side, x + side] - integral[y, x + side] - integral[y + side, x] + integral[y, x]
            if count:
                continue
        if y + 0.2 * side <= horizon_row <= y + 0.85 * side:
            chosen = (x, y, side)
            break
        fallback = fallback or (x, y, side)
    chosen = chosen or fallback
    if chosen is None and near is not None:
        # Random draws found nothing: search every smallest window on a 4-pixel grid.
        side = int(round(short * min_crop_frac))
        ys, xs = np.arange(0, h - side + 1, 4), np.arange(0, w - side + 1, 4)
        counts = (integral[np.ix_(ys + side, xs + side)] - integral[np.ix_(ys, xs + side)]
                  - integral[np.ix_(ys + side, xs)] + integral[np.ix_(ys, xs)])
        clear = np.argwhere(counts == 0)
        if len(clear):
            inside = (ys[clear[:, 0]] + 0.2 * side <= horizon_row) & (horizon_row <= ys[clear[:, 0]] + 0.85 * side)
            pool = clear[inside] if inside.any() else clear
            iy, ix = pool[int(rng.integers(len(pool)))]
            chosen = (int(xs[ix]), int(ys[iy]), side)
    exclude = None
    if chosen is None:  # no clear window: keep the real smoke, labelled
        side = short
        x, y = int(rng.integers(0, w - side + 1)), int(rng.integers(0, h - side + 1))
        chosen = (x, y, side)
    x, y, side = chosen
    crop = rgb[y : y + side, x : x + side]
    interp = cv2.INTER_AREA if side > size else cv2.INTER_CUBIC
    image = cv2.resize(crop, (size, size), interpolation=interp)
    if near is not None:
        window = smoke[y : y + side, x : x + side].astype(np.uint8)
        if window.any():
            exclude = cv2.resize(window, (size, size), interpolation=cv2.INTER_NEAREST).astype(bool)
            # Nearest-neighbour resizing can drop thin labelled parts: never lose any of them.
            if side > size:
                exclude |= cv2.resize(cv2.dilate(window, np.ones((3, 3), np.uint8)), (size, size),
                                      interpolation=cv2.INTER_AREA) > 0
    inside = y + 0.2 * side <= horizon_row <= y + 0.85 * side
    return PreparedBackground(image, exclude, chosen, size / side, bool(inside))


@dataclass(frozen=True)
class SceneInfo:
    """Coarse scene layout of an RGB image of shape (H, W, 3).

    horizon: float32 (W,), per column the row where sky gives way to terrain. confidence: strength
    of that edge (0 = none found, about 1 = a clear sky/terrain boundary). sky_rgb: float32 (3,)
    typical sky colour (RGB 0..255). luminance: mean gray level 0..255.
    """

    horizon: np.ndarray
    confidence: float
    sky_rgb: np.ndarray
    luminance: float


def analyse_scene(rgb: np.ndarray) -> SceneInfo:
    """Find the sky/terrain boundary with a brightness + blueness gradient heuristic.

    Works on a 128-pixel-wide copy: per column, the row with the strongest drop from bright/blue
    (above) to darker/less blue (below), median-filtered across 15 columns.
    """
    h, w = rgb.shape[:2]
    sw = 128
    sh = max(16, int(round(h * sw / w)))
    small = cv2.resize(rgb, (sw, sh), interpolation=cv2.INTER_AREA).astype(np.float32)
    lum = small.mean(axis=2)
    blue = small[..., 2] - small[..., 0]
    sky_score = cv2.GaussianBlur(lum + 1.5 * blue, (0, 0), 1.5)
    k = max(2, sh // 32)
    drop = np.zeros_like(sky_score)
    drop[k:-k] = sky_score[: -2 * k] - sky_score[2 * k :]
    # Sky above should also be smooth: penalise rows below which texture is also above.
    lo, hi = int(0.08 * sh), int(0.97 * sh)
    band = drop[lo:hi]
    rows = band.argmax(axis=0) + lo
    strength = band.max(axis=0)
    # A wide running median (15 of 128 columns) drops masts, dishes and tree tops, keeps slopes.
    padded = np.pad(rows.astype(np.float32), 7, mode="edge")
    rows = np.median(np.lib.stride_tricks.sliding_window_view(padded, 15), axis=1)
    horizon = cv2.resize(rows.reshape(1, -1) * (h / sh), (w, 1), interpolation=cv2.INTER_LINEAR).ravel()
    confidence = float(np.clip(np.median(strength) / 80.0, 0.0, 1.0))
    # Sky colour: the brighter half of the pixels above the horizon (or of the top fifth).
    top_rows = int(max(2, min(np.median(rows), sh) * 0.8)) if confidence > 0.2 else max(2, sh // 5)
    sky = small[:top_rows].reshape(-1, 3)
    sky_lum = sky.mean(axis=1)
    sky_rgb = sky[sky_lum >= np.median(sky_lum)].mean(axis=0)
    return SceneInfo(horizon.astype(np.float32), confidence, sky_rgb.astype(np.float32), float(lum.mean()))
