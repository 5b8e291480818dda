"""Does `torch.compile` speed up a CPU training step of the default model? Eager against compiled.

    python bench/bench_compile_step.py [--steps 25] [--crop 256] [--batch 8] [--threads 2]

Each row runs in its own process (so the allocator and the thread pool start fresh), with the
allocator setting `fosp train` uses (`fosp_core/train/allocator.py`): the default weights, the
`small-cpu` model, a fixed random batch, forward + Eq. 8-9 loss + backward + AdamW step, fp32. The
time is the median of the last 15 steps (the compiled row's first steps include compilation, which
is reported apart). Both rows train the same batch from the same weights, so their losses must
agree. Run it with nothing else on the cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(mode: str, steps: int, crop: int, batch: int, threads: int) -> dict:
    import torch

    from fosp_core.train import model_io
    from fosp_core.train.allocator import tune_for_training
    from fosp_core.train.config import load_config

    tune_for_training()
    torch.set_num_threads(threads)
    cfg = load_config("small-cpu", [f"model.init_from={ROOT / 'resources/models/fosp-default.safetensors'}"])
    torch.manual_seed(0)
    model = model_io.build(cfg, log=lambda _s: None)
    model.train()
    model_io.freeze_inpainter(model)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    forward = torch.compile(model) if mode == "compiled" else model
    g = torch.Generator().manual_seed(0)
    images = torch.rand(batch, 3, crop, crop, generator=g) * 255
    masks = (torch.rand(batch, crop, crop, generator=g) > 0.7).long()
    times, loss = [], 0.0
    for _ in range(steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        value, _ = model_io.loss(forward(images), masks, getattr(model, "config", None))
        value.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
        loss = float(value)
    last = sorted(times[-15:])
    return {"step": last[len(last) // 2], "first": times[0], "loss": loss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--crop", type=int, default=256)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--child", choices=("eager", "compiled"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.steps < 16:
        raise SystemExit("--steps must be at least 16 (the median is over the last 15)")
    if args.child:
        print(json.dumps(child(args.child, args.steps, args.crop, args.batch, args.threads)))
        return 0
    from bench.bench_train_step import cpu_name

    rows = {}
    for mode in ("eager", "compiled"):
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--steps", str(args.steps), "--crop",
                              str(args.crop), "--batch", str(args.batch), "--threads", str(args.threads)],
                             check=True, capture_output=True, text=True, cwd=ROOT).stdout
        rows[mode] = json.loads(out.strip().splitlines()[-1])
    print(f"\n{cpu_name()}, {args.threads} threads, {args.crop}² crops, batch {args.batch}, fp32\n")
    print("| model | s / step (median of the last 15) | first step | loss at the end |")
    print("|---|---|---|---|")
    for mode, r in rows.items():
        print(f"| {mode} | {r['step']:.2f} | {r['first']:.1f} | {r['loss']:.5f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
