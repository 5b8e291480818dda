"""OMP_WAIT_POLICY unset (libgomp's default: threads spin after each parallel region) against PASSIVE
(they sleep at once), each in a fresh process (the runtime reads it as torch loads). Prints a table.

    python bench/bench_omp_wait_policy.py [--rounds 3] [--spin 0,4] [--size 512] [--crop 256]

Per process, torch at 2 threads, FoSp-s (small-cpu, random start):
- `predict`: the app's `Predictor.predict` on one image (encoding cache cleared), median of 3 (what
  `fosp predict`/`fosp eval` and validation run per image);
- `step`: one training step (forward, `fosp_loss`, backward, AdamW) on a batch of 2 crops, median of 3;
- `gui`: the app's shape, inference on a worker thread while the main thread (the GUI's) wakes every
  10 ms to do 1 ms of Python work, as painting does: how late its wake-ups were (median, 95th
  percentile, max, in ms) while 3 predictions ran, and how long those took.
Policies alternate in each round (order swapped every round); `--spin N` adds N busy-looping
processes for its rows, standing in for the other jobs of a shared machine. The load average is
printed per row: the machine is shared, note it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ("unset", "PASSIVE")


def _spin(stop_at: float) -> None:
    while time.time() < stop_at:
        pass


def child(size: int, crop: int) -> dict[str, object]:
    """One process's measurements (OMP_WAIT_POLICY as its environment says)."""
    sys.path.insert(0, str(ROOT))
    import threading

    import numpy as np
    import torch

    from fosp_core.infer import Predictor
    from fosp_core.train import model_io
    from fosp_core.train.config import load_config

    torch.set_num_threads(2)
    torch.manual_seed(0)
    cfg = load_config("small-cpu", [])
    model = model_io.build(cfg, lambda _s: None)
    img = np.random.default_rng(0).integers(0, 256, (size, size, 3), dtype=np.uint8)
    pred = Predictor(model.eval(), device="cpu", input_size=size)

    def predict() -> float:
        pred.clear_cache()
        t = time.perf_counter()
        pred.predict(img)
        return time.perf_counter() - t

    predict()  # warm-up: the first call builds the kernels
    predicts = [predict() for _ in range(3)]

    train_model = model_io.build(cfg, lambda _s: None).train()
    model_io.freeze_inpainter(train_model)
    opt = torch.optim.AdamW([p for p in train_model.parameters() if p.requires_grad], lr=1e-4)
    x = torch.rand(2, 3, crop, crop) * 255
    y = (torch.rand(2, crop, crop) > 0.9).long()

    def step() -> float:
        t = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss, _ = model_io.loss(train_model(x), y, getattr(train_model, "config", None))
        loss.backward()
        opt.step()
        return time.perf_counter() - t

    step()
    steps = [step() for _ in range(3)]

    done = threading.Event()
    infer_s: list[float] = []

    def worker() -> None:
        t = time.perf_counter()
        for _ in range(3):
            predict()
        infer_s.append(time.perf_counter() - t)
        done.set()

    late: list[float] = []
    thread = threading.Thread(target=worker)
    thread.start()
    while not done.is_set():
        due = time.perf_counter() + 0.010
        time.sleep(0.010)
        late.append(max(0.0, time.perf_counter() - due) * 1000)
        t = time.perf_counter()
        while time.perf_counter() - t < 0.001:  # 1 ms of Python work, as a paint
            pass
    thread.join()
    late.sort()
    return {"predict": statistics.median(predicts), "step": statistics.median(steps),
            "late_p50": late[len(late) // 2], "late_p95": late[int(len(late) * 0.95)], "late_max": late[-1],
            "gui_infer": infer_s[0], "torch_threads": torch.get_num_threads()}


def run_child(policy: str, size: int, crop: int) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in {"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"}}
    if policy != "unset":
        env["OMP_WAIT_POLICY"] = policy
    out = subprocess.run([sys.executable, __file__, "--child", "--size", str(size), "--crop", str(crop)],
                         env=env, capture_output=True, text=True, check=True, timeout=1200)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--spin", default="0,4", help="spinner counts, one set of rows each")
    ap.add_argument("--size", type=int, default=512)
    ap.add_argument("--crop", type=int, default=256)
    ap.add_argument("--child", action="store_true")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.size, args.crop)))
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a `timeout` still stops the spinners (finally)
    print(f"{args.size} px predictions, training steps of 2 x {args.crop} px crops, 2 torch threads, "
          f"{os.cpu_count()} CPUs, {args.rounds} rounds; medians over rounds\n")
    print("| spinners | OMP_WAIT_POLICY | load | predict s | step s | GUI wake-up late ms p50 / p95 / max "
          "| 3 predictions beside it s |")
    print("|---|---|---|---|---|---|---|")
    for spin in (int(s) for s in args.spin.split(",")):
        spinners = []
        if spin:
            stop_at = time.time() + 3600
            spinners = [mp.Process(target=_spin, args=(stop_at,), daemon=True) for _ in range(spin)]
            for p in spinners:
                p.start()
            time.sleep(2)
        rows: dict[str, list[dict[str, object]]] = {p: [] for p in POLICIES}
        loads: dict[str, list[float]] = {p: [] for p in POLICIES}
        try:
            for r in range(args.rounds):
                for policy in POLICIES if r % 2 == 0 else POLICIES[::-1]:
                    loads[policy].append(os.getloadavg()[0])
                    rows[policy].append(run_child(policy, args.size, args.crop))
        finally:
            for p in spinners:
                p.terminate()
        for policy in POLICIES:
            def med(key: str, got: list[dict[str, object]] = rows[policy]) -> float:
                return statistics.median(float(r[key]) for r in got)  # type: ignore[arg-type]

            print(f"| {spin} | {policy} | {min(loads[policy]):.1f}-{max(loads[policy]):.1f} | {med('predict'):.2f} "
                  f"| {med('step'):.2f} | {med('late_p50'):.1f} / {med('late_p95'):.1f} / {med('late_max'):.0f} "
                  f"| {med('gui_infer'):.2f} |", flush=True)


if __name__ == "__main__":
    main()
