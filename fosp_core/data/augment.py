"""Training augmentation of the paper's recipe (the authors' mmseg pipeline), numpy + OpenCV.

    Resize(img_scale=(512, 512), ratio_range=(0.5, 2.0))   keep aspect: long side -> 512 x r
    RandomCrop(crop_size=512, cat_max_ratio=0.75)          up to 10 tries for a crop where no class
                                                           covers >= 75 % of the labelled pixels
    RandomFlip(prob=0.5)                                   horizontal
    PhotoMetricDistortion                                  brightness +-32, contrast 0.5-1.5,
                                                           saturation 0.5-1.5, hue +-18 (each p=0.5;
                                                           contrast before or after the HSV steps)
    Pad(512, pad_val=0, seg_pad_val=255)                   bottom/right, ignore in the mask

Normalisation is not done here: the model owns its preprocessing (mean/std on 0-255 RGB).
Every random draw comes from the `numpy.random.Generator` passed in, so a (seed, index) pair
reproduces a sample exactly, whatever process or worker runs it. No torch import here; the torch
Dataset wrapper lives in `fosp_core.data.torch_dataset`.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE

__all__ = ["TrainAugment", "photometric_distortion", "random_resize", "random_crop", "focus_crop", "pad_to"]


def _pair(size: int | tuple[int, int]) -> tuple[int, int]:
    return (size, size) if isinstance(size, int) else (int(size[0]), int(size[1]))


def random_resize(image: np.ndarray, mask: np.ndarray, rng: np.random.Generator,
                  scale: int | tuple[int, int] | None = (512, 512),
                  ratio_range: tuple[float, float] = (0.5, 2.0)) -> tuple[np.ndarray, np.ndarray]:
    """mmseg Resize with ratio_range, keep_ratio: the image fits inside (max(scale), min(scale)) x r
    on its (long, short) sides, r ~ U(ratio_range); an int scale s means (s, s), i.e. the long side
    becomes s x r; scale None rescales the image itself by r. Image bilinear, mask nearest."""
    ratio = float(rng.uniform(*ratio_range))
    h, w = image.shape[:2]
    if scale is None:
        factor = ratio
    else:
        sc = _pair(scale)
        long_t, short_t = max(sc) * ratio, min(sc) * ratio
        factor = min(long_t / max(h, w), short_t / min(h, w))
    new_w, new_h = max(1, int(w * factor + 0.5)), max(1, int(h * factor + 0.5))
    if (new_w, new_h) == (w, h):
        return image, mask
    image = cv2.resize(image, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    mask = cv2.resize(mask, (new_w, new_h), interpolation=cv2.INTER_NEAREST_EXACT)
    return image, mask


def random_crop(image: np.ndarray, mask: np.ndarray, rng: np.random.Generator,
                crop_size: tuple[int, int] = (512, 512), cat_max_ratio: float = 0.75,
                tries: int = 10, smoke_crop_prob: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """mmseg RandomCrop: a random crop_size (h, w) window (clipped to the image); when
    cat_max_ratio < 1, redraw up to `tries` times until the crop holds both classes and the larger
    one covers less than cat_max_ratio of the labelled (non-ignore) pixels; else keep the last.

    smoke_crop_prob > 0 (not in the paper; for small crops of small plumes): with that
    probability, when the mask has smoke, the window is centred on a random smoke pixel instead.
    """
    ch, cw = crop_size
    h, w = mask.shape
    margin_h, margin_w = max(h - ch, 0), max(w - cw, 0)

    def draw() -> tuple[int, int]:
        return int(rng.integers(0, margin_h + 1)), int(rng.integers(0, margin_w + 1))

    if smoke_crop_prob > 0 and rng.random() < smoke_crop_prob and (margin_h or margin_w):
        ys, xs = np.nonzero(mask == SMOKE)
        if ys.size:
            k = int(rng.integers(ys.size))
            y = min(max(int(ys[k]) - ch // 2, 0), margin_h)
            x = min(max(int(xs[k]) - cw // 2, 0), margin_w)
            return image[y:y + ch, x:x + cw], mask[y:y + ch, x:x + cw]

    y, x = draw()
    if cat_max_ratio < 1.0 and (margin_h or margin_w):
        # Class counts of any window in O(1) from integral images.
        smoke_int = cv2.integral((mask == SMOKE).view(np.uint8), sdepth=cv2.CV_32S)
        bg_int = cv2.integral((mask == BACKGROUND).view(np.uint8), sdepth=cv2.CV_32S)
        y1, x1 = min(ch, h), min(cw, w)

        def count(integral: np.ndarray, yy: int, xx: int) -> int:
            return int(integral[yy + y1, xx + x1] - integral[yy, xx + x1] - integral[yy + y1, xx] + integral[yy, xx])

        for attempt in range(tries):
            if attempt:
                y, x = draw()
            n_smoke, n_bg = count(smoke_int, y, x), count(bg_int, y, x)
            if n_smoke and n_bg and max(n_smoke, n_bg) / (n_smoke + n_bg) < cat_max_ratio:
                break
            if attempt == tries - 1:
                break
    return image[y:y + ch, x:x + cw], mask[y:y + ch, x:x + cw]


def focus_crop(image: np.ndarray, mask: np.ndarray, rng: np.random.Generator, focus: tuple[float, float],
               crop_size: tuple[int, int] = (512, 512)) -> tuple[np.ndarray, np.ndarray]:
    """A crop_size (h, w) window (clipped to the image) whose centre is the point `focus` (x, y as
    fractions of the width and height) moved by up to a quarter of the crop each way, so the point
    is seen at different places in the crop (hard negatives, `fosp_core.train.hard_negatives`)."""
    ch, cw = crop_size
    h, w = mask.shape
    cx = focus[0] * w + rng.uniform(-cw / 4, cw / 4)
    cy = focus[1] * h + rng.uniform(-ch / 4, ch / 4)
    y = min(max(int(round(cy - ch / 2)), 0), max(h - ch, 0))
    x = min(max(int(round(cx - cw / 2)), 0), max(w - cw, 0))
    return image[y:y + ch, x:x + cw], mask[y:y + ch, x:x + cw]


def pad_to(image: np.ndarray, mask: np.ndarray, size: tuple[int, int], pad_value: int = 0,
           ignore_index: int = IGNORE) -> tuple[np.ndarray, np.ndarray]:
    """Pad bottom/right to at least size (h, w): image with pad_value, mask with ignore_index."""
    h, w = mask.shape
    ph, pw = max(size[0] - h, 0), max(size[1] - w, 0)
    if ph == 0 and pw == 0:
        return image, mask
    image = cv2.copyMakeBorder(image, 0, ph, 0, pw, cv2.BORDER_CONSTANT, value=(pad_value,) * 3)
    mask = cv2.copyMakeBorder(mask, 0, ph, 0, pw, cv2.BORDER_CONSTANT, value=ignore_index)
    return image, mask


def _linear_lut(alpha: float, beta: float) -> np.ndarray:
    """uint8 LUT of clip(x * alpha + beta, 0, 255) truncated, as mmseg's convert() does."""
    x = np.arange(256, dtype=np.float32)
    return np.clip(x * np.float32(alpha) + np.float32(beta), 0, 255).astype(np.uint8)


def photometric_distortion(image: np.ndarray, rng: np.random.Generator, brightness_delta: int = 32,
                           contrast_range: tuple[float, float] = (0.5, 1.5),
                           saturation_range: tuple[float, float] = (0.5, 1.5),
                           hue_delta: int = 18) -> np.ndarray:
    """mmseg PhotoMetricDistortion on an RGB uint8 HxWx3 image; returns a new RGB uint8 image.

    Draw order: brightness (p 0.5), mode (contrast first or last), contrast-first (p 0.5),
    saturation (p 0.5), hue (p 0.5), contrast-last (p 0.5). Brightness and contrast are composed
    into lookup tables; saturation and hue share one HSV round trip (OpenCV 8-bit HSV, H in 0..179).
    """
    identity = np.arange(256, dtype=np.uint8)
    lut = identity
    if rng.integers(2):
        lut = _linear_lut(1.0, float(rng.uniform(-brightness_delta, brightness_delta)))
    contrast_first = bool(rng.integers(2))
    if contrast_first and rng.integers(2):
        lut = _linear_lut(float(rng.uniform(*contrast_range)), 0.0)[lut]
    sat_lut = hue_lut = None
    if rng.integers(2):
        sat_lut = _linear_lut(float(rng.uniform(*saturation_range)), 0.0)
    if rng.integers(2):
        shift = int(rng.integers(-hue_delta, hue_delta + 1))
        hue_lut = ((np.arange(256) + shift) % 180).astype(np.uint8)
    post = None
    if not contrast_first and rng.integers(2):
        post = _linear_lut(float(rng.uniform(*contrast_range)), 0.0)
    out = image
    if lut is not identity:
        out = cv2.LUT(out, lut)
    if sat_lut is not None or hue_lut is not None:
        hsv = cv2.cvtColor(out, cv2.COLOR_RGB2HSV)
        table = np.stack([hue_lut if hue_lut is not None else identity,
                          sat_lut if sat_lut is not None else identity, identity], axis=-1)
        hsv = cv2.LUT(hsv, table.reshape(256, 1, 3))
        out = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
    if post is not None:
        out = cv2.LUT(out, post)
    return out if out is not image else image.copy()


@dataclass
class TrainAugment:
    """The training recipe as one seeded callable: `(image, mask, rng) -> (image, mask)`.

    image: RGB uint8 HxWx3; mask: uint8 HxW 0/1/255; rng: numpy Generator (all randomness).
    Returns RGB uint8 crop_h x crop_w x 3 and uint8 crop_h x crop_w mask (255 in the padding).
    scale: reference size of the random rescale (int s = (s, s): long side -> s x ratio; None:
    the image's own size x ratio). smoke_crop_prob: see `random_crop` (0 = the paper's recipe).
    focus (per call): an (x, y) point as fractions of the image; the crop is then centred near it
    (`focus_crop`) instead of drawn by `random_crop`.
    context: pixels at each side of the crop that the network sees but the loss does not (the mask
    is `ignore_index` there): the supervised centre is crop - 2 x context a side, with its
    surroundings around it, as a whole image gives a prediction at inference.
    """

    crop_size: int | tuple[int, int] = 512
    ratio_range: tuple[float, float] = (0.5, 2.0)
    cat_max_ratio: float = 0.75
    scale: int | tuple[int, int] | None = (512, 512)
    smoke_crop_prob: float = 0.0
    flip_prob: float = 0.5
    photometric: bool = True
    brightness_delta: int = 32
    contrast_range: tuple[float, float] = (0.5, 1.5)
    saturation_range: tuple[float, float] = (0.5, 1.5)
    hue_delta: int = 18
    crop_tries: int = 10
    pad_value: int = 0
    ignore_index: int = IGNORE
    context: int = 0

    def __call__(self, image: np.ndarray, mask: np.ndarray, rng: np.random.Generator,
                 focus: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
            raise ValueError(f"image must be RGB uint8 HxWx3, got {image.dtype} {image.shape}")
        if mask.shape != image.shape[:2] or mask.dtype != np.uint8:
            raise ValueError(f"mask must be uint8 {image.shape[:2]}, got {mask.dtype} {mask.shape}")
        crop = _pair(self.crop_size)
        image, mask = random_resize(image, mask, rng, self.scale, self.ratio_range)
        if focus is None:
            image, mask = random_crop(image, mask, rng, crop, self.cat_max_ratio, self.crop_tries,
                                      self.smoke_crop_prob)
        else:
            image, mask = focus_crop(image, mask, rng, focus, crop)
        if rng.random() < self.flip_prob:
            image, mask = cv2.flip(image, 1), cv2.flip(mask, 1)
        if self.photometric:
            image = photometric_distortion(image, rng, self.brightness_delta, self.contrast_range,
                                           self.saturation_range, self.hue_delta)
        image, mask = pad_to(np.ascontiguousarray(image), np.ascontiguousarray(mask), crop,
                             self.pad_value, self.ignore_index)
        if self.context:
            c = self.context
            mask = mask.copy()
            mask[:c], mask[-c:], mask[:, :c], mask[:, -c:] = (self.ignore_index,) * 4
        return np.ascontiguousarray(image), np.ascontiguousarray(mask)
