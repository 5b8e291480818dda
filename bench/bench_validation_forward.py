"""Validation's forward pass against the app's `Predictor`, same model and image. Prints a Markdown table.

    python bench/bench_validation_forward.py [--size 512] [--rounds 3] [--spin 0]

The model is the small-cpu recipe's FoSp-s (random start, eval mode). Rows, interleaved per round:
`validate` is `fosp_core.train.evaluate.predict_probability` (what `Trainer.validate_now` runs per
image), `Predictor` is `fosp_core.infer.Predictor.predict` with its encoding cache cleared first (a
repeated image would otherwise skip the encoder), each with torch at 2 and at 1 thread(s).
`--spin N` starts N busy-looping processes for the measurement, standing in for the other jobs
of a shared machine (its load average is printed; note it, the machine is shared). Run it under
`OMP_WAIT_POLICY=PASSIVE` too: OpenMP's spinning threads are what oversubscription punishes.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.infer import Predictor  # noqa: E402
from fosp_core.train import model_io  # noqa: E402
from fosp_core.train.config import load_config  # noqa: E402
from fosp_core.train.evaluate import predict_probability  # noqa: E402


def _spin(stop_at: float) -> None:
    while time.time() < stop_at:
        pass


def main() -> None:
    """Time both paths and print the table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--spin", type=int, default=0)
    args = ap.parse_args()
    torch.manual_seed(0)
    cfg = load_config("small-cpu", [])
    model = model_io.build(cfg, lambda _s: None).eval()
    pred = Predictor(copy.deepcopy(model), device="cpu", input_size=args.size)
    img = np.random.default_rng(0).integers(0, 256, (args.size, args.size, 3), dtype=np.uint8)
    cpu = torch.device("cpu")

    def validate_once() -> None:
        predict_probability(model, img, (args.size, args.size), cpu, contextlib.nullcontext)

    def predictor_once() -> None:
        pred.clear_cache()
        pred.predict(img)

    paths = {"validate": validate_once, "Predictor": predictor_once}
    for fn in paths.values():  # warm-up: first calls build the kernels
        fn()
    spinners = []
    if args.spin:
        stop_at = time.time() + 600
        spinners = [mp.Process(target=_spin, args=(stop_at,), daemon=True) for _ in range(args.spin)]
        for p in spinners:
            p.start()
        time.sleep(2)
    times: dict[tuple[str, int], list[float]] = {}
    load0 = os.getloadavg()[0]
    try:
        for _ in range(args.rounds):
            for threads in (2, 1):
                torch.set_num_threads(threads)
                for name, fn in paths.items():
                    t = time.perf_counter()
                    fn()
                    times.setdefault((name, threads), []).append(time.perf_counter() - t)
    finally:
        for p in spinners:
            p.terminate()
    load1 = os.getloadavg()[0]
    print(f"{args.size}x{args.size}, {args.rounds} rounds, {args.spin} spinner(s), "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '(unset)')}, "
          f"load average {load0:.1f} before, {load1:.1f} after\n")
    print("| path | threads | median s | min s | max s |")
    print("|---|---|---|---|---|")
    for (name, threads), ts in times.items():
        print(f"| {name} | {threads} | {statistics.median(ts):.2f} | {min(ts):.2f} | {max(ts):.2f} |")


if __name__ == "__main__":
    main()
