"""Contact sheet of synthetic early smoke over real SMOKE5K photos, plus speed and delta statistics.

    python bench/make_contact_sheet.py [--backgrounds ../shared/data/smoke5k-train] [--n 24]
        [--seed 0] [--out docs/images/synth-contact-sheet.png] [--stats 200]

Writes the PNG (palette-quantised if needed to stay under --max-bytes) and prints the mean time
per composite (background already decoded) and the delta distribution over --stats samples.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import numpy as np
from PIL import Image

from fosp_core.data.synth import SmokeSynthesizer, SynthConfig, load_backgrounds, make_contact_sheet
from fosp_core.data.synth_backgrounds import prepare_background

ROOT = Path(__file__).resolve().parents[1]


def save_png(sheet: np.ndarray, out: Path, max_bytes: int) -> int:
    """Save RGB uint8 as PNG; fall back to a 256-colour palette when the file would be too big."""
    out.parent.mkdir(parents=True, exist_ok=True)
    im = Image.fromarray(sheet)
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    if buf.tell() > max_bytes:
        buf = io.BytesIO()
        im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG).save(
            buf, format="PNG", optimize=True)
    out.write_bytes(buf.getvalue())
    return buf.tell()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backgrounds", type=Path, default=ROOT.parent / "shared" / "data" / "smoke5k-train")
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "synth-contact-sheet.png")
    ap.add_argument("--stats", type=int, default=200, help="samples for speed and delta statistics (0: none)")
    ap.add_argument("--max-bytes", type=int, default=1_500_000)
    args = ap.parse_args()

    backgrounds = load_backgrounds(args.backgrounds)
    synth = SmokeSynthesizer(SynthConfig(), seed=args.seed)
    samples = list(synth.samples(backgrounds, args.n))
    size = save_png(make_contact_sheet(samples), args.out, args.max_bytes)
    print(f"{args.out}: {len(samples)} samples, {size / 1e6:.2f} MB")

    if args.stats:
        # Time the composite alone (decoding and cropping excluded) over pre-decoded backgrounds.
        rng = np.random.default_rng(args.seed)
        preps = []
        for _ in range(min(args.stats, 40)):
            rgb, smoke = backgrounds[int(rng.integers(len(backgrounds)))].load()
            preps.append(prepare_background(rgb, smoke, rng, size=synth.config.size))
        deltas, t_total = [], 0.0
        for i in range(args.stats):
            p = preps[i % len(preps)]
            t0 = time.perf_counter()
            res = synth.composite(p.image, synth.rng_for(10_000 + i), p.exclude, softness=max(1.0, p.scale))
            t_total += time.perf_counter() - t0
            deltas.append(float((res.alpha > synth.config.mask_threshold).mean()))  # synthetic smoke only
        d = 100 * np.array(deltas)
        print(f"composite {synth.config.size}x{synth.config.size}: {1000 * t_total / args.stats:.1f} ms/sample")
        print(f"delta % over {args.stats}: min {d.min():.3f}, p10 {np.percentile(d, 10):.3f}, "
              f"median {np.median(d):.3f}, p90 {np.percentile(d, 90):.3f}, max {d.max():.2f}")
        print(f"buckets: small <0.5 %: {np.mean(d < 0.5):.0%}, medium 0.5-2.5 %: "
              f"{np.mean((d >= 0.5) & (d < 2.5)):.0%}, large >=2.5 %: {np.mean(d >= 2.5):.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
