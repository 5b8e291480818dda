"""Synthetic early smoke composited by the paper's Eq. 1: I = (1 - alpha) * B + alpha * S.

A plume is procedural: a source on or just below the horizon (or on terrain when no horizon is
found), a rising centre line bent downwind (bend-over with height plus a noisy meander), Gaussian
puffs along it whose radius grows with height and whose density falls as the plume spreads and
dilutes, fractal-noise texture and domain warping for ragged soft edges, Beer-Lambert opacity,
blur matched to the background's softness, and haze (colour pulled towards the sky, opacity down)
for distant plumes. The smoke pixel share delta is drawn log-uniformly over the small/medium range
(0.05 % - 3 %, a few larger) and reached by scaling the rendered plume.

Conventions: images RGB uint8 HxWx3; alpha float32 HxW in [0, 1]; smoke colour S float32 HxWx3 RGB
on the 0..255 scale; masks uint8 HxW with 0 background, 1 smoke (never 255). The binary mask is
``alpha > config.mask_threshold`` (default ``MASK_THRESHOLD`` = 0.1), united with any real smoke of
the background that had to stay in the crop (`exclude_mask`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field

import cv2
import numpy as np

from fosp_core.data.noise import fractal_noise
from fosp_core.data.synth_backgrounds import (
    BackgroundSource,
    SceneInfo,
    analyse_scene,
    load_backgrounds,
    prepare_background,
)
from fosp_core.data.synth_plume import render_plume
from fosp_core.data.synth_sheet import make_contact_sheet
from fosp_core.data.types import Sample

__all__ = [
    "MASK_THRESHOLD", "SynthConfig", "PlumeParams", "SynthResult", "SmokeSynthesizer",
    "synth_samples", "make_contact_sheet", "load_backgrounds", "BackgroundSource",
]

MASK_THRESHOLD = 0.1
"""alpha above this is smoke in the binary mask: about where an annotator still sees the plume."""

# Smoke colour families: (name, weight). Values are set relative to the scene's sky in _smoke_colour.
COLOUR_FAMILIES: tuple[tuple[str, float], ...] = (
    ("white-grey", 0.35), ("grey", 0.25), ("blue-grey", 0.2), ("brownish", 0.15), ("dark-grey", 0.05),
)


@dataclass(frozen=True)
class SynthConfig:
    """Knobs of the generator. Ranges are (low, high) of uniform draws unless said otherwise.

    size: output side in pixels (square). delta_range: log-uniform target smoke share for most
    samples; large_prob of the samples draw from delta_large_range instead. opacity_range: peak
    alpha of a plume. second_plume_prob: chance of a second plume in the same image.
    min_crop_frac / exclusion_margin: background crop window (fraction of the shorter side) and its
    minimum distance to labelled real smoke in source pixels.
    """

    size: int = 512
    mask_threshold: float = MASK_THRESHOLD
    delta_range: tuple[float, float] = (0.0005, 0.03)
    delta_large_range: tuple[float, float] = (0.03, 0.08)
    large_prob: float = 0.08
    opacity_range: tuple[float, float] = (0.35, 0.92)
    second_plume_prob: float = 0.12
    min_crop_frac: float = 0.55
    exclusion_margin: int = 32


@dataclass
class PlumeParams:
    """The random draws behind one plume (JSON-serialisable through `dataclasses.asdict`)."""

    source_xy: tuple[float, float]
    target_delta: float
    wind_deg: float
    bend: float
    meander: float
    base_radius: float
    spread: float
    opacity: float
    density_gain: float
    colour: str
    smoke_rgb: tuple[float, float, float]
    haze: float
    blur_sigma: float
    scale: float


@dataclass
class SynthResult:
    """One composite.

    image: RGB uint8 HxWx3 = round((1 - alpha) * background + alpha * smoke) (Eq. 1).
    mask: uint8 HxW, 1 where alpha > threshold or real smoke was kept (exclude_mask), else 0.
    alpha: float32 HxW in [0, 1]. smoke: S, float32 HxWx3 RGB 0..255. background: B, uint8 HxWx3.
    delta: share of mask pixels. params: per-plume PlumeParams plus scene notes.
    """

    image: np.ndarray
    mask: np.ndarray
    alpha: np.ndarray
    smoke: np.ndarray
    background: np.ndarray
    delta: float
    params: dict = field(default_factory=dict)


class SmokeSynthesizer:
    """Composites procedural early-smoke plumes over backgrounds; reproducible from `seed`."""

    def __init__(self, config: SynthConfig | None = None, seed: int = 0) -> None:
        self.config = config or SynthConfig()
        self.seed = int(seed)

    def sample_id(self, index: int) -> str:
        """The id of sample `index`: synth_<seed>_<index, 6 digits>."""
        return f"synth_{self.seed}_{index:06d}"

    def rng_for(self, index: int) -> np.random.Generator:
        """The generator for sample `index`: independent of how many samples come before it."""
        return np.random.default_rng([self.seed, int(index)])

    # ---------------------------------------------------------------- compositing
    def composite(
        self,
        background_rgb: np.ndarray,
        rng: np.random.Generator | None = None,
        exclude_mask: np.ndarray | None = None,
        *,
        softness: float = 1.0,
    ) -> SynthResult:
        """Composite one or two plumes over `background_rgb` (RGB uint8 HxWx3, any size).

        exclude_mask: bool/uint8 HxW of real smoke in the background; plumes are placed clear of
        it and it is kept labelled (1) in the returned mask. softness: how much the background was
        upsampled (>= 1), which widens the plume's blur to match.
        """
        rng = rng if rng is not None else self.rng_for(0)
        bg = np.ascontiguousarray(background_rgb, dtype=np.uint8)
        h, w = bg.shape[:2]
        cfg = self.config
        scene = analyse_scene(bg)
        excl = None if exclude_mask is None else np.asarray(exclude_mask).astype(bool)
        if excl is not None and not excl.any():
            excl = None
        alpha = np.zeros((h, w), np.float32)
        smoke = np.empty((h, w, 3), np.float32)
        smoke[:] = scene.sky_rgb
        plumes: list[dict] = []
        n_plumes = 2 if rng.random() < cfg.second_plume_prob else 1
        for k in range(n_plumes):
            target = self._draw_delta(rng) / (1.6 if k else 1.0)
            a_p, s_p, params = self._plume(bg, scene, rng, target, excl, softness)
            # Layer over what is there: alpha = 1 - (1 - a)(1 - a_p); S = weighted mix.
            new_alpha = alpha + a_p * (1.0 - alpha)
            weight = np.divide(a_p, new_alpha, out=np.zeros_like(a_p), where=new_alpha > 1e-6)[..., None]
            smoke = smoke * (1.0 - weight) + s_p * weight
            alpha = new_alpha
            plumes.append(asdict(params))
        np.clip(alpha, 0.0, 1.0, out=alpha)
        np.clip(smoke, 0.0, 255.0, out=smoke)
        image = _eq1(bg, alpha, smoke)
        mask = (alpha > cfg.mask_threshold).astype(np.uint8)
        if excl is not None:
            mask[excl] = 1
        delta = float(np.count_nonzero(mask)) / mask.size
        params = {
            "plumes": plumes, "mask_threshold": cfg.mask_threshold, "kept_real_smoke": excl is not None,
            "horizon_confidence": round(scene.confidence, 3), "softness": round(float(softness), 3),
        }
        return SynthResult(image, mask, alpha, smoke, bg, delta, params)

    def _draw_delta(self, rng: np.random.Generator) -> float:
        lo, hi = self.config.delta_large_range if rng.random() < self.config.large_prob else self.config.delta_range
        return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))

    def _plume(
        self, bg: np.ndarray, scene: SceneInfo, rng: np.random.Generator, target_delta: float,
        excl: np.ndarray | None, softness: float,
    ) -> tuple[np.ndarray, np.ndarray, PlumeParams]:
        """One plume: full-size alpha (float32 HxW) and smoke colour (float32 HxWx3)."""
        h, w = bg.shape[:2]
        cfg = self.config
        lo, hi = cfg.delta_range
        # 0 = smallest (distant) ... 1 = largest (near): drives placement below the horizon and haze.
        nearness = float(np.clip(math.log(target_delta / lo) / math.log(hi / lo), 0.0, 1.2))
        haze = float(rng.uniform(0.0, 0.55) * (1.0 - 0.7 * min(nearness, 1.0)))
        opacity = float(rng.uniform(*cfg.opacity_range) * (1.0 - 0.45 * haze))
        wind = float(rng.choice([-1.0, 1.0]) * abs(rng.normal(0.0, 48.0)))
        geo = {
            "wind_deg": float(np.clip(wind, -85.0, 85.0)),
            "bend": float(rng.uniform(0.08, 0.6)),
            "meander": float(rng.uniform(0.05, 0.35)),
            "base_radius": float(rng.uniform(0.006, 0.02)),
            "spread": float(rng.uniform(0.06, 0.3)),
            "density_gain": float(rng.uniform(1.2, 4.0)),
        }
        target_px = target_delta * h * w
        patch, dens, anchor, scale = render_plume(rng, geo, opacity, target_px, cfg.mask_threshold)
        blur = float(rng.uniform(0.3, 0.6) * max(1.0, softness))
        if blur > 0.3:
            patch = cv2.GaussianBlur(patch, (0, 0), blur)
            dens = cv2.GaussianBlur(dens, (0, 0), blur)
        x0, y0 = _place(bg, scene, rng, patch, anchor, nearness, excl, cfg.mask_threshold)
        colour, rgb = _smoke_colour(rng, scene)
        a_full = np.zeros((h, w), np.float32)
        s_full = np.empty((h, w, 3), np.float32)
        s_full[:] = rgb
        ph, pw = patch.shape
        ys, xs = int(round(y0 - anchor[1])), int(round(x0 - anchor[0]))
        ya, yb, xa, xb = max(ys, 0), min(ys + ph, h), max(xs, 0), min(xs + pw, w)
        if ya < yb and xa < xb:
            sub = (slice(ya - ys, yb - ys), slice(xa - xs, xb - xs))
            a = patch[sub]
            a_full[ya:yb, xa:xb] = a
            rgb = _ensure_contrast(rng, rgb, haze, scene.sky_rgb, bg[ya:yb, xa:xb], a, cfg.mask_threshold)
            s_full[:] = rgb
            d = dens[sub]
            # Shading: sunlit side lighter, far side darker (density gradient against a light
            # direction from above), thick parts a little darker or lighter, soft light variation.
            gy_, gx_ = np.gradient(cv2.GaussianBlur(d, (0, 0), 1.5))
            phi = rng.uniform(-0.75 * math.pi, -0.25 * math.pi)  # light from above, left or right
            lit = -(gx_ * math.cos(phi) + gy_ * math.sin(phi))
            lit /= max(float(np.percentile(np.abs(lit), 98)), 1e-6)
            shade = 1.0 + rng.uniform(0.04, 0.16) * np.clip(lit, -1.0, 1.0)
            shade += rng.uniform(-0.14, 0.06) * (np.clip(d, 0.0, 1.5) - 0.4)
            shade *= 1.0 + 0.06 * fractal_noise(d.shape, rng, base_cells=3.0, octaves=2)
            grain = rng.normal(0.0, 1.6, size=d.shape).astype(np.float32)
            s = rgb[None, None, :] * shade[..., None] + grain[..., None]
            s_full[ya:yb, xa:xb] = (1.0 - haze) * s + haze * scene.sky_rgb
        params = PlumeParams(
            source_xy=(round(float(x0), 1), round(float(y0), 1)), target_delta=round(target_delta, 6),
            opacity=round(opacity, 3), colour=colour, smoke_rgb=tuple(round(float(v), 1) for v in rgb),
            haze=round(haze, 3), blur_sigma=round(blur, 3), scale=round(scale, 3),
            **{k: round(v, 4) for k, v in geo.items()},
        )
        return a_full, s_full, params

    # ---------------------------------------------------------------- samples
    def sample(
        self, source: BackgroundSource, index: int, *, alternatives: Sequence[BackgroundSource] = (),
    ) -> Sample:
        """Synthetic Sample number `index` over `source` (id `synth_<seed>_<index>`).

        When no crop of `source` keeps clear of its labelled smoke or holds the horizon, the
        `alternatives` are tried in turn and the best crop is used; if none is clear of real smoke,
        that smoke stays in and is labelled.
        Sample.image: RGB uint8 (size, size, 3); mask uint8 0/1; meta["alpha"] float32 soft alpha
        (size, size), meta["delta"], meta["params"], meta["background"] (id) and
        meta["background_path"], meta["crop"] (x, y, side in the background). Sample.source is None.
        """
        rng = self.rng_for(index)
        best = None
        for src in (source, *alternatives):
            rgb, smoke = src.load()
            prep = prepare_background(rgb, smoke, rng, size=self.config.size,
                                      min_crop_frac=self.config.min_crop_frac,
                                      margin=self.config.exclusion_margin)
            rank = (prep.exclude is None) + (prep.exclude is None and prep.horizon_inside)
            if best is None or rank > best[0]:
                best = (rank, src, prep)
            if rank == 2:  # clear of real smoke, horizon inside: the best there is
                break
        _, src, prep = best
        res = self.composite(prep.image, rng, prep.exclude, softness=max(1.0, prep.scale))
        meta = {"alpha": res.alpha, "delta": res.delta, "params": res.params, "background": src.id,
                "background_path": src.image_path, "crop": prep.crop, "synthetic": True}
        # source stays None: the image is generated (a writer must never copy the background file).
        return Sample(self.sample_id(index), res.image, res.mask, None, meta)

    def samples(self, backgrounds: Sequence[BackgroundSource], n: int, start: int = 0) -> Iterator[Sample]:
        """Yield samples start .. start + n - 1, backgrounds drawn at random (seeded per index)."""
        if not backgrounds:
            raise ValueError("no backgrounds to composite over")
        for i in range(start, start + n):
            picks = np.random.default_rng([self.seed, i, 7]).integers(len(backgrounds), size=4)
            yield self.sample(backgrounds[int(picks[0])], i, alternatives=[backgrounds[int(p)] for p in picks[1:]])


def synth_samples(
    backgrounds: Sequence[BackgroundSource], n: int, *, config: SynthConfig | None = None, seed: int = 0,
) -> Iterator[Sample]:
    """Convenience: `SmokeSynthesizer(config, seed).samples(backgrounds, n)`."""
    return SmokeSynthesizer(config, seed).samples(backgrounds, n)


# -------------------------------------------------------------------- internals
def _eq1(bg: np.ndarray, alpha: np.ndarray, smoke: np.ndarray) -> np.ndarray:
    """Eq. 1 on float32, rounded to uint8: (1 - alpha) * B + alpha * S."""
    a = alpha[..., None]
    out = (1.0 - a) * bg.astype(np.float32) + a * smoke
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def _place(
    bg: np.ndarray, scene: SceneInfo, rng: np.random.Generator, patch: np.ndarray,
    anchor: tuple[float, float], nearness: float, excl: np.ndarray | None, threshold: float,
) -> tuple[float, float]:
    """Source position (x, y) in image pixels: on or just below the horizon (lower for nearer
    plumes), not in dark vignetting, with the plume clear of `excl` when possible."""
    h, w = bg.shape[:2]
    gray = cv2.cvtColor(bg, cv2.COLOR_RGB2GRAY)
    near_excl = None
    if excl is not None:
        near_excl = cv2.dilate(excl.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    solid = patch > threshold
    best, best_bad = (w / 2.0, h / 2.0), math.inf
    for _attempt in range(16):
        x = float(rng.uniform(0.06, 0.94) * w)
        if scene.confidence > 0.25:
            hz = float(scene.horizon[int(np.clip(x, 0, w - 1))])
            y = hz + float(rng.uniform(0.004, 0.02 + 0.16 * min(nearness, 1.0))) * h
        else:
            y = float(rng.uniform(0.35, 0.85) * h)
        y = float(np.clip(y, 0.12 * h, h - 2.0))
        xi, yi = int(np.clip(x, 0, w - 1)), int(np.clip(y, 0, h - 1))
        above = int(np.clip(y - 0.08 * h, 0, h - 1))
        bad = 0.0
        local = float(gray[max(yi - 2, 0) : yi + 3, max(xi - 2, 0) : xi + 3].mean())
        if local < 35 or gray[above, xi] < 35 or local > 230:
            bad += 1e6  # black fisheye border, night, or a white camera housing: no fire there
        if near_excl is not None:
            ys, xs = int(round(y - anchor[1])), int(round(x - anchor[0]))
            ph, pw = solid.shape
            ya, yb, xa, xb = max(ys, 0), min(ys + ph, h), max(xs, 0), min(xs + pw, w)
            if ya < yb and xa < xb:
                bad += float(np.count_nonzero(solid[ya - ys : yb - ys, xa - xs : xb - xs] & near_excl[ya:yb, xa:xb]))
        if bad == 0.0:
            return x, y
        if bad < best_bad:
            best, best_bad = (x, y), bad
    return best


def _ensure_contrast(
    rng: np.random.Generator, rgb: np.ndarray, haze: float, sky: np.ndarray, bg: np.ndarray, alpha: np.ndarray,
    threshold: float,
) -> np.ndarray:
    """Keep a labelled plume visible. Visible contrast = mean alpha over the masked pixels times
    the RGB distance (per channel, root mean square) between the hazed smoke colour and the
    alpha-weighted background behind it. Below 18 gray levels, the colour is made lighter (over
    darker ground) or darker (over bright sky) until it is reached (within 25..250).
    rgb, sky: float32 (3,); bg: uint8 h x w x 3; alpha: float32 h x w."""
    solid = alpha > threshold
    if not solid.any():
        return rgb
    a_mean = float(alpha[solid].mean())
    behind = (bg[solid].astype(np.float32) * alpha[solid, None]).sum(axis=0) / float(alpha[solid].sum())
    seen = (1.0 - haze) * rgb + haze * sky
    dist = float(np.sqrt(np.mean((seen - behind) ** 2)))
    need = 18.0 / max(a_mean, 0.05) + float(rng.uniform(0.0, 20.0))
    if dist >= need:
        return rgb
    lum = float(behind.mean())
    lighter = lum + need <= 245.0 and (lum < 140.0 or lum - need < 40.0 or rng.random() < 0.7)
    target = lum + need if lighter else lum - need
    # Gray target colour, tinted like rgb; solve (1 - haze) * v + haze * sky = target for v.
    tint = rgb / max(float(rgb.mean()), 1.0)
    v = (target - haze * float(sky.mean())) / max(1.0 - haze, 0.3)
    return np.clip(v * tint, 25.0, 250.0).astype(np.float32)


def _smoke_colour(rng: np.random.Generator, scene: SceneInfo) -> tuple[str, np.ndarray]:
    """Pick a colour family and an RGB (float32, 0..255) scaled to the scene's sky brightness."""
    names = [n for n, _ in COLOUR_FAMILIES]
    weights = np.array([p for _, p in COLOUR_FAMILIES])
    name = str(rng.choice(names, p=weights / weights.sum()))
    sky = scene.sky_rgb.astype(np.float32)
    sky_lum = float(np.clip(sky.mean(), 60.0, 235.0))
    if name == "white-grey":
        v, tint = sky_lum * rng.uniform(0.95, 1.18), (1.0, 1.0, 1.01)
    elif name == "grey":
        v, tint = sky_lum * rng.uniform(0.7, 0.95), (1.0, 1.0, 1.0)
    elif name == "blue-grey":
        v, tint = sky_lum * rng.uniform(0.8, 1.05), (0.94, 0.98, 1.07)
    elif name == "brownish":
        v, tint = sky_lum * rng.uniform(0.65, 0.95), (1.08, 0.98, 0.84)
    else:
        v, tint = sky_lum * rng.uniform(0.45, 0.65), (1.0, 0.99, 0.98)
    rgb = np.clip(float(v) * np.array(tint, np.float32), 25.0, 250.0).astype(np.float32)
    return name, rgb
