"""Benchmark of the data path: loading, augmentation, evaluation. Prints a Markdown table.

    python bench/bench_data.py [--data ../shared/data] [--n-eval 500] [--loader]

Timings are on one core (OpenCV limited to one thread) unless the row says otherwise. Targets
(issue 4): load + augment a 512x512 training sample < 15 ms; evaluate 500 predictions < 30 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.data.augment import TrainAugment  # noqa: E402
from fosp_core.data.datasets import open_dataset  # noqa: E402
from fosp_core.io.images import read_image  # noqa: E402
from fosp_core.io.masks import read_mask  # noqa: E402
from fosp_core.metrics.evaluate import evaluate  # noqa: E402


def _stats(times: list[float]) -> tuple[float, float]:
    arr = np.asarray(times) * 1e3
    return float(np.median(arr)), float(np.percentile(arr, 90))


def bench_loading(ds, label: str, n: int, rows: list[tuple[str, str, str, str]]) -> None:
    aug = TrainAugment()
    rng = np.random.default_rng(0)
    t_img, t_mask, t_aug, t_total = [], [], [], []
    for k in range(n):
        entry = ds.entries[k % len(ds)]
        t0 = time.perf_counter()
        image = read_image(entry.image).rgb
        t1 = time.perf_counter()
        mask = read_mask(entry.mask)
        t2 = time.perf_counter()
        aug(image, mask, rng)
        t3 = time.perf_counter()
        t_img.append(t1 - t0)
        t_mask.append(t2 - t1)
        t_aug.append(t3 - t2)
        t_total.append(t3 - t0)
    for name, times in (("read image (JPEG)", t_img), ("read mask (PNG)", t_mask),
                        ("TrainAugment (resize 0.5-2, crop 512, flip, photometric, pad)", t_aug),
                        ("**load + augment, total**", t_total)):
        med, p90 = _stats(times)
        rows.append((f"{name} - {label}", f"{med:.2f} ms", f"{p90:.2f} ms", f"{n} samples"))


def make_eval_set(src: Path, n: int, tmp: Path) -> tuple[Path, Path]:
    """A SmokeSeg folder of n samples (real files under new ids) and n 8-bit probability PNGs."""
    ds = open_dataset(src)
    data, preds = tmp / "data", tmp / "pred"
    for sub in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (data / sub).mkdir(parents=True)
    preds.mkdir()
    rng = np.random.default_rng(0)
    ids = []
    for k in range(n):
        entry = ds.entries[k % len(ds)]
        sample_id = f"{entry.id}_{k:04d}"
        ids.append(sample_id)
        os.symlink(entry.image, data / "JPEGImages" / f"{sample_id}.jpg")
        os.symlink(entry.mask, data / "SegmentationClass" / f"{sample_id}.png")
        mask = read_mask(entry.mask)
        prob = cv2.GaussianBlur((mask == 1).astype(np.float32), (0, 0), 3 + k % 5)
        prob = np.clip(prob + rng.normal(0, 0.05, prob.shape), 0, 1)
        Image.fromarray((prob * 255).round().astype(np.uint8)).save(preds / f"{sample_id}.png")
    (data / "ImageSets/Segmentation/test.txt").write_text("".join(f"{i}\n" for i in ids))
    return data, preds


def bench_eval(src: Path, n: int, rows: list[tuple[str, str, str, str]]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="fosp-bench-"))
    try:
        data, preds = make_eval_set(src, n, tmp)
        ds = open_dataset(data, "test")
        for protocol, fa in (("smokeseg", False), ("sod", False), ("smokeseg", True)):
            t0 = time.perf_counter()
            result = evaluate(ds, preds, protocol=protocol, false_alarms=fa)
            dt = time.perf_counter() - t0
            assert result.tables["total"].n == n
            extra = " + far-FP + crops" if fa else ""
            rows.append((f"**evaluate {n} predictions ({protocol}{extra})**, 512x512, 8-bit PNG", f"{dt:.2f} s",
                         "", f"{1e3 * dt / n:.1f} ms/image"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def bench_loader(ds, rows: list[tuple[str, str, str, str]], workers: int = 2, batches: int = 30) -> None:
    import torch

    from fosp_core.data.torch_dataset import AugmentedDataset, worker_init_fn

    torch.set_num_threads(1)
    loader = torch.utils.data.DataLoader(AugmentedDataset(ds, length=6 * (batches + 2)), batch_size=6,
                                         num_workers=workers, worker_init_fn=worker_init_fn)
    it = iter(loader)
    next(it)
    next(it)  # workers started and warm
    t0 = time.perf_counter()
    count = 0
    for batch in it:
        count += batch["image"].shape[0]
    dt = time.perf_counter() - t0
    rows.append((f"DataLoader, {workers} worker processes, batch 6 of 512x512 (SmokeSeg)",
                 f"{count / dt:.0f} samples/s", "", f"{count / dt / 6:.1f} batches/s"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=200, help="samples timed per loading row")
    parser.add_argument("--n-eval", type=int, default=500)
    parser.add_argument("--loader", action="store_true", help="also time a 2-worker torch DataLoader")
    args = parser.parse_args()

    cv2.setNumThreads(1)
    seg = args.data / "smokeseg-samples"
    if not seg.is_dir():
        seg = ROOT / "resources" / "demo"
    rows: list[tuple[str, str, str, str]] = []
    seg_ds = open_dataset(seg)
    bench_loading(seg_ds, "SmokeSeg 512x512", args.n, rows)
    s5k = args.data / "smoke5k-train"
    if s5k.is_dir():
        ds = open_dataset(s5k)
        real = [e for e in ds.entries if not e.id.replace("_", "").isdigit()]
        ds._entries = real[:: max(1, len(real) // args.n)][: args.n]  # real camera photos, mostly 640x480
        bench_loading(ds, "SMOKE5K real (mostly 640x480)", len(ds), rows)
    bench_eval(seg, args.n_eval, rows)
    if args.loader:
        bench_loader(seg_ds, rows)

    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs, "
          f"Python {platform.python_version()}, OpenCV {cv2.__version__}, numpy {np.__version__}; "
          "OpenCV limited to 1 thread.\n")
    print("| what | median | p90 | notes |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
