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

from fosp_core.data.noise import domain_warp, fractal_noise, fractal_noise_1d
from fosp_core.data.synth_backgrounds import (
    BackgroundSource,
    SceneInfo,
    analyse_scene,
    load_backgrounds,
    prepare_background,
)
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
        patch, dens, anchor, scale = _render_plume(rng, geo, opacity, target_px, cfg.mask_threshold)
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


def _render_plume(
    rng: np.random.Generator, geo: dict, opacity: float, target_px: float, threshold: float,
) -> tuple[np.ndarray, np.ndarray, tuple[float, float], float]:
    """Render one plume in its own canvas, then scale it so that about target_px pixels exceed
    `threshold`. Returns (alpha float32 h x w, density float32 h x w, anchor (x, y) of the source
    in patch pixels, scale applied after rendering)."""
    puffs = _plume_puffs(rng, geo)
    cx, cy, rk, _ = puffs
    margin = 3.2 * rk + 0.06  # room for 3-sigma puffs and the warp
    extent = max(float((cx + margin).max() - (cx - margin).min()), float((cy + margin).max() - (cy - margin).min()))
    lo_res, hi_res = 64.0 / extent, 480.0 / extent
    r0, spread = geo["base_radius"], geo["spread"]
    res = float(np.clip(math.sqrt(max(target_px, 16.0) / (2.0 * (r0 + 0.5 * spread))), lo_res, hi_res))
    raster_seed = int(rng.integers(2**62))
    for attempt in range(3):
        # Same seed each pass: a second pass only changes the resolution, not the plume.
        alpha, dens, anchor = _raster_plume(np.random.default_rng(raster_seed), puffs, geo, opacity, res)
        area = int(np.count_nonzero(alpha > threshold))
        if area == 0:  # too faint for any pixel to count: lift it
            alpha = np.clip(alpha * (1.5 * threshold / max(float(alpha.max()), 1e-6)), 0.0, 0.97)
            area = max(int(np.count_nonzero(alpha > threshold)), 1)
        scale = math.sqrt(target_px / area)
        better = float(np.clip(res * scale, lo_res, hi_res))
        if 0.75 <= scale <= 1.3 or abs(better - res) < 0.05 * res or attempt == 2:
            break
        res = better
    ch, cw = alpha.shape
    nw, nh = max(1, int(round(cw * scale))), max(1, int(round(ch * scale)))
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
    alpha = cv2.resize(alpha, (nw, nh), interpolation=interp)
    dens = cv2.resize(dens, (nw, nh), interpolation=interp)
    pad = 4  # so that blur never clips at the patch border
    alpha = cv2.copyMakeBorder(alpha, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0.0)
    dens = cv2.copyMakeBorder(dens, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0.0)
    return alpha, dens, (anchor[0] * nw / cw + pad, anchor[1] * nh / ch + pad), scale


def _plume_puffs(rng: np.random.Generator, geo: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Puffs of one plume in path-length units (source at (0, 0), up = +y): centres cx, cy,
    radii rk and densities ak, float64 (K,). The centre line bends downwind with height
    (bend-over) plus a fractal meander; radius grows linearly, density falls as it spreads."""
    n = 96
    s = np.linspace(0.0, 1.0, n, dtype=np.float64)
    theta = math.radians(geo["wind_deg"]) * (1.0 - np.exp(-s / geo["bend"]))
    theta = theta + geo["meander"] * fractal_noise_1d(n, rng, base_cells=2.5, octaves=3)
    theta = np.clip(theta, -math.radians(95.0), math.radians(95.0))  # smoke never sinks far
    step = 1.0 / (n - 1)
    px = np.concatenate([[0.0], np.cumsum(np.sin(theta[:-1]) * step)])
    py = np.concatenate([[0.0], np.cumsum(np.cos(theta[:-1]) * step)])
    r0, spread = geo["base_radius"], geo["spread"]
    # Puffs every 0.3 radius along the path: s_k = (r0/spread) * ((1 + 0.3 spread)^k - 1).
    ratio = 1.0 + 0.3 * spread
    count = int(min(160, math.ceil(math.log(1.0 + spread / r0) / math.log(ratio)) + 1))
    sk = np.minimum((r0 / spread) * (ratio ** np.arange(count) - 1.0), 1.0)
    rk = (r0 + spread * sk) * rng.uniform(0.75, 1.25, count)
    th = np.interp(sk, s, theta)
    along = rng.uniform(-0.15, 0.15, count) * rk
    across = rng.normal(0.0, 0.45, count) * rk
    cx = np.interp(sk, s, px) + along * np.sin(th) + across * np.cos(th)
    cy = np.interp(sk, s, py) + along * np.cos(th) - across * np.sin(th)
    decay = rng.uniform(0.6, 2.5)
    top_fade = np.clip((1.0 - sk) / 0.2, 0.0, 1.0)
    ak = (r0 / rk) ** rng.uniform(0.15, 0.6) * np.exp(-sk / decay) * top_fade * rng.uniform(0.35, 1.3, count)
    return cx, cy, rk, ak


def _raster_plume(
    rng: np.random.Generator, puffs: tuple[np.ndarray, ...], geo: dict, opacity: float, res: float,
) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """Rasterise puffs at `res` pixels per unit: Gaussian splats, turbulence texture, domain warp,
    Beer-Lambert opacity with a soft edge. Returns (alpha, density, anchor (x, y) of the source)."""
    cx, cy, rk, ak = puffs
    r0 = geo["base_radius"]
    margin = 3.2 * rk + 0.06
    xmin, xmax = float((cx - margin).min()), float((cx + margin).max())
    ymin, ymax = float((cy - margin).min()), float((cy + margin).max())
    cw, ch = int(math.ceil((xmax - xmin) * res)) + 1, int(math.ceil((ymax - ymin) * res)) + 1
    dens = np.zeros((ch, cw), np.float32)
    for x, y, r, a in zip((cx - xmin) * res, (ymax - cy) * res, rk * res, ak, strict=True):
        sig = max(float(r), 0.6)
        half = int(math.ceil(3.0 * sig))
        xi, yi = int(round(x)), int(round(y))
        xa, xb, ya, yb = max(xi - half, 0), min(xi + half + 1, cw), max(yi - half, 0), min(yi + half + 1, ch)
        if xa >= xb or ya >= yb:
            continue
        gx = np.exp(-((np.arange(xa, xb) - x) ** 2) / (2 * sig * sig)).astype(np.float32)
        gy = np.exp(-((np.arange(ya, yb) - y) ** 2) / (2 * sig * sig)).astype(np.float32)
        dens[ya:yb, xa:xb] += float(a) * np.outer(gy, gx)
    anchor = ((0.0 - xmin) * res, (ymax - 0.0) * res)
    # Normalise so the column just above the source is about 1.
    ay, ax = int(anchor[1]), int(anchor[0])
    base = dens[max(ay - int(3 * r0 * res) - 2, 0) : ay + 1, max(ax - 3, 0) : ax + 4]
    dens /= max(float(base.max()) if base.size else 0.0, 1e-6)
    # Smoke comes out of the ground: nothing below the source (a soft cut a few pixels wide).
    cut = np.clip((anchor[1] - np.arange(ch, dtype=np.float32)) / max(1.5 * r0 * res, 1.0) + 0.5, 0.0, 1.0)
    dens *= cut[:, None]
    # Texture: billowy turbulence multiplies density; a domain warp, growing away from the source,
    # frays the edges.
    cells = float(rng.uniform(3.0, 7.0))
    turb = fractal_noise((ch, cw), rng, base_cells=cells, octaves=5, turbulence=True)
    tex = float(rng.uniform(0.5, 0.9))
    dens *= (1.0 - tex) + tex * 2.4 * turb**1.2
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    far = np.clip(np.hypot(xx - anchor[0], yy - anchor[1]) / (0.4 * max(ch, cw)), 0.1, 1.0)
    amp = float(rng.uniform(0.015, 0.05)) * max(ch, cw)
    wx = fractal_noise((ch, cw), rng, base_cells=cells * 1.5, octaves=4) * amp * far
    wy = fractal_noise((ch, cw), rng, base_cells=cells * 1.5, octaves=4) * amp * far
    dens = domain_warp(dens, wx, wy)
    gain = geo["density_gain"]
    # Beer-Lambert opacity times a soft threshold on the textured density: lumpy but soft edges.
    edge0 = float(rng.uniform(0.02, 0.06))
    edge = np.clip((dens - edge0) / float(rng.uniform(0.08, 0.3)), 0.0, 1.0)
    edge = edge * edge * (3.0 - 2.0 * edge)
    alpha = (opacity * edge * (1.0 - np.exp(-gain * dens)) / (1.0 - math.exp(-gain))).astype(np.float32)
    np.clip(alpha, 0.0, 0.97, out=alpha)
    return alpha, dens, anchor


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


def make_contact_sheet(samples: Sequence[Sample], *, cols: int = 4, tile: int = 256) -> np.ndarray:
    """Contact sheet (RGB uint8) of synthetic samples for judging realism.

    Each tile: the composite downscaled to `tile` px with a thin outline of the mask (red) and its
    delta, above a strip that shows the plume region at native resolution with no outline.
    """
    tiles = []
    for smp in samples:
        img, mask = smp.image, (smp.mask == 1).astype(np.uint8)
        h, w = img.shape[:2]
        top = cv2.resize(img, (tile, tile * h // w), interpolation=cv2.INTER_AREA)
        small = cv2.resize(mask, (top.shape[1], top.shape[0]), interpolation=cv2.INTER_NEAREST)
        contours, _ = cv2.findContours(small, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        top = np.ascontiguousarray(top)
        cv2.drawContours(top, contours, -1, (255, 40, 40), 1, cv2.LINE_AA)
        label = f"d={100 * smp.smoke_ratio():.2f}%"
        cv2.rectangle(top, (0, 0), (8 + 8 * len(label), 16), (0, 0, 0), -1)
        cv2.putText(top, label, (3, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (255, 255, 255), 1, cv2.LINE_AA)
        sh = tile // 2
        ys, xs = np.nonzero(mask)
        cy, cx = (int(ys.mean()), int(xs.mean())) if len(ys) else (h // 2, w // 2)
        y0 = int(np.clip(cy - sh // 2, 0, max(h - sh, 0)))
        x0 = int(np.clip(cx - tile // 2, 0, max(w - tile, 0)))
        strip = np.zeros((sh, tile, 3), np.uint8)
        crop = img[y0 : y0 + sh, x0 : x0 + tile]
        strip[: crop.shape[0], : crop.shape[1]] = crop
        tiles.append(np.concatenate([top, np.full((2, tile, 3), 255, np.uint8), strip], axis=0))
    if not tiles:
        return np.zeros((tile, tile, 3), np.uint8)
    th = max(t.shape[0] for t in tiles)
    blank = np.full((th, tile, 3), 255, np.uint8)
    rows = []
    for r in range(0, len(tiles), cols):
        row = [np.pad(t, ((0, th - t.shape[0]), (0, 0), (0, 0)), constant_values=255) for t in tiles[r : r + cols]]
        row += [blank] * (cols - len(row))
        sep = np.full((th, 4, 3), 255, np.uint8)
        rows.append(np.concatenate([x for t in row for x in (t, sep)][:-1], axis=1))
        rows.append(np.full((4, rows[-1].shape[1], 3), 255, np.uint8))
    return np.concatenate(rows[:-1], axis=0)
