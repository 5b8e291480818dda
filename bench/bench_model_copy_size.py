"""What one more loaded copy of a model holds (the video's frame layers' own copy, app/video/frame_layers.py).

    python bench/bench_model_copy_size.py [--models fosp-s fosp]

For each model (random weights, saved as a checkpoint in a temporary folder the way training saves
one, by a process of its own), in a fresh process: the bytes of its parameters and buffers (fp32, as a CPU `Predictor` holds
them; inpainter included when the model has one) and the process's resident set (VmRSS) before and
after `fosp_core.infer.Predictor(checkpoint)`, the loaded copy alive. Prints a table in MB (10^6 bytes).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    return float("nan")


def _save(name: str, folder: Path) -> None:
    """In a child: save `name`'s checkpoint (random weights) into `folder`."""
    sys.path.insert(0, str(ROOT))
    import torch

    from fosp_core.model.registry import build_model
    from fosp_core.train import model_io

    torch.manual_seed(0)
    model_io.save_weights(build_model(name), folder / f"{name}.safetensors")


def _child(name: str, folder: Path) -> None:
    """In a child: measure one Predictor loading `name`'s checkpoint (JSON on stdout)."""
    sys.path.insert(0, str(ROOT))
    import torch

    from fosp_core.infer.predictor import Predictor

    torch.set_num_threads(1)
    path = folder / f"{name}.safetensors"
    before = _rss_mb()
    predictor = Predictor(path, device="cpu")
    after = _rss_mb()
    tensors = list(predictor.model.parameters()) + list(predictor.model.buffers())
    held = sum(t.numel() * t.element_size() for t in tensors) / 1e6
    print(json.dumps({"name": name, "held": held, "rss": after - before, "file": path.stat().st_size / 1e6}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["fosp-s", "fosp"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--save", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.save:
        _save(args.save, args.folder)
        return
    if args.child:
        _child(args.child, args.folder)
        return
    print(f"{'model':8} {'parameters + buffers (MB)':>26} {'RSS of the load (MB)':>21} {'checkpoint (MB)':>16}")
    with tempfile.TemporaryDirectory(prefix="fosp-bench-copy-") as tmp:
        for name in args.models:
            subprocess.run([sys.executable, __file__, "--save", name, "--folder", tmp], check=True)
            out = subprocess.run([sys.executable, __file__, "--child", name, "--folder", tmp], check=True,
                                 capture_output=True, text=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            print(f"{name:8} {row['held']:26.1f} {row['rss']:21.1f} {row['file']:16.1f}")


if __name__ == "__main__":
    main()
