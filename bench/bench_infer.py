"""Inference benchmarks: latency / throughput of fosp-s and fosp, tiled 1080p frames, video end to end.

    python bench/bench_infer.py [--threads 2] [--device cpu] [--quick] [--markdown docs/benchmarks-infer.md]

Every case runs in a fresh subprocess so its peak memory (max RSS, and CUDA max allocated on a GPU)
is its own. Models are randomly initialised (speed does not depend on the weights). Cases:

- `<model> 512`: one 512x512 image per call (batch 1) and batches of 4, mask-only outputs; latency
  median / p90 over repeated calls after one warm-up.
- `<model> 512 all maps`: the same with every map the GUI shows (Focus, hole, background, energies, sides).
- `<model> 1920x1080 tiled`: tiles of 512 with overlap 128 (15 tiles), default batch (1 on CPU, 4 on GPU).
- `video <clip>`: decode (background thread) + infer (fosp-s, 512, default batch) + overlay MP4 writing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIDEOS = Path(os.environ.get("FOSP_SHARED_DATA", ROOT.parent / "shared" / "data")) / "videos"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _case_images(model_name: str, size: tuple[int, int], tiled: bool, batch: int, repeats: int,
                 need: str, device: str, precision: str) -> dict:
    import numpy as np
    import torch

    from fosp_core.infer import Predictor
    from fosp_core.model.registry import build_model

    torch.manual_seed(0)
    predictor = Predictor(build_model(model_name), device=device, precision=precision, input_size=512,
                          tiled=tiled, tile=512, overlap=128, batch_size=batch if not tiled else None)
    rng = np.random.default_rng(0)
    h, w = size
    imgs = [rng.integers(0, 255, (h, w, 3), dtype=np.uint8) for _ in range(batch)]
    needs = "all" if need == "all" else ()
    sync = torch.cuda.synchronize if predictor.device.type == "cuda" else (lambda: None)
    predictor.predict_batch(imgs, need=needs)  # warm-up
    times = []
    for _ in range(repeats):
        sync()
        t0 = time.perf_counter()
        predictor.predict_batch(imgs, need=needs)
        sync()
        times.append(time.perf_counter() - t0)
    per_image = [t / batch for t in times]
    out = {
        "latency_median_s": statistics.median(times),
        "latency_p90_s": sorted(times)[max(0, int(round(0.9 * len(times))) - 1)],
        "images_per_s": 1.0 / statistics.median(per_image),
        "peak_rss_mb": _peak_mb(),
        "device": str(predictor.device),
    }
    if predictor.device.type == "cuda":
        out["cuda_peak_mb"] = torch.cuda.max_memory_allocated() / 2**20
    return out


def _case_video(clip: str, device: str, precision: str) -> dict:
    import torch

    from fosp_core.infer import Predictor
    from fosp_core.infer.jobs import JobOptions, JobReport, predict_video
    from fosp_core.infer.video import probe_video
    from fosp_core.model.registry import build_model

    torch.manual_seed(0)
    predictor = Predictor(build_model("fosp-s"), device=device, precision=precision, input_size=512)
    path = VIDEOS / clip
    info = probe_video(path)
    with tempfile.TemporaryDirectory() as tmp:
        report = JobReport()
        t0 = time.perf_counter()
        predict_video(predictor, path, None, JobOptions(out_dir=Path(tmp)), report)
        elapsed = time.perf_counter() - t0
    return {
        "frames": report.frames, "size": f"{info.width}x{info.height}", "seconds": elapsed,
        "frames_per_s": report.frames / elapsed, "peak_rss_mb": _peak_mb(), "failed": report.failed,
        "device": str(predictor.device),
    }


def _run_case(case: dict, threads: int) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    cmd = [sys.executable, __file__, "--one", json.dumps(case), "--threads", str(threads)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _one(spec: str, threads: int) -> None:
    import torch

    torch.set_num_threads(threads)
    case = json.loads(spec)
    if case["kind"] == "video":
        result = _case_video(case["clip"], case["device"], case["precision"])
    else:
        result = _case_images(case["model"], tuple(case["size"]), case["tiled"], case["batch"], case["repeats"],
                              case["need"], case["device"], case["precision"])
    print(json.dumps(result))


def _cases(device: str, precision: str, quick: bool) -> list[dict]:
    reps = 3 if quick else 8
    cases: list[dict] = []
    for model in ("fosp-s", "fosp"):
        r = reps if model == "fosp-s" else max(2, reps // 2)
        base = {"kind": "images", "model": model, "device": device, "precision": precision}
        cases.append({**base, "label": f"{model} 512, batch 1", "size": [512, 512], "tiled": False,
                      "batch": 1, "repeats": r, "need": "mask"})
        cases.append({**base, "label": f"{model} 512, batch 4", "size": [512, 512], "tiled": False,
                      "batch": 4, "repeats": max(2, r // 2), "need": "mask"})
        cases.append({**base, "label": f"{model} 512, batch 1, all maps", "size": [512, 512], "tiled": False,
                      "batch": 1, "repeats": max(2, r // 2), "need": "all"})
        cases.append({**base, "label": f"{model} 1920x1080 tiled (15 tiles)", "size": [1080, 1920], "tiled": True,
                      "batch": 1, "repeats": 1 if model == "fosp" or quick else 2, "need": "mask"})
    for clip in sorted(p.name for p in VIDEOS.glob("*.mp4")) if VIDEOS.is_dir() else []:
        cases.append({"kind": "video", "label": f"video {clip} (fosp-s 512)", "clip": clip, "device": device,
                      "precision": precision})
    return cases


def _table(rows: list[tuple[str, dict]]) -> str:
    lines = ["| case | latency median (s) | p90 (s) | images/s | peak RSS (MiB) |",
             "|---|---:|---:|---:|---:|"]
    for label, r in rows:
        if "error" in r:
            lines.append(f"| {label} | error: {r['error']} | | | |")
        elif "frames" in r:
            lines.append(f"| {label}: {r['frames']} frames {r['size']}, {r['seconds']:.1f} s end to end | "
                         f"{r['seconds'] / max(1, r['frames']):.3f} / frame | | {r['frames_per_s']:.2f} frames/s | "
                         f"{r['peak_rss_mb']:.0f} |")
        else:
            lines.append(f"| {label} | {r['latency_median_s']:.3f} | {r['latency_p90_s']:.3f} | "
                         f"{r['images_per_s']:.2f} | {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--precision", default="fp32")
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--only", default=None, help="run only cases whose label contains this text")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the table to this file")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        _one(args.one, args.threads)
        return 0
    import torch

    load0 = os.getloadavg()[0]
    rows = []
    for case in _cases(args.device, args.precision, args.quick):
        if args.only and args.only not in case["label"]:
            continue
        result = _run_case(case, args.threads)
        rows.append((case["label"], result))
        print(f"{case['label']}: {json.dumps(result)}", file=sys.stderr, flush=True)
    header = (f"torch {torch.__version__}, {platform.processor() or platform.machine()}, {args.threads} thread(s), "
              f"device {args.device}, precision {args.precision}, load average "
              f"{load0:.1f} before / {os.getloadavg()[0]:.1f} after the run (CPU shared with other jobs)")
    table = _table(rows)
    print(header)
    print(table)
    if args.markdown:
        args.markdown.write_text(f"{header}\n\n{table}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
