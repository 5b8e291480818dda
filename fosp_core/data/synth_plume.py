"""Rendering one procedural smoke plume into its own alpha patch (used by `fosp_core.data.synth`).

Coordinates: the plume is laid out in path-length units (source at (0, 0), up = +y), then
rasterised at a chosen number of pixels per unit into a float32 canvas (rows down). All random
draws come from the `numpy.random.Generator` passed in.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from fosp_core.data.noise import domain_warp, fractal_noise, fractal_noise_1d


def render_plume(
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
