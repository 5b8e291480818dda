"""How long opening a model checkpoint takes, with and without drawing the random initial weights first.

`load_checkpoint` builds the model and then loads every weight strictly; since session 36 the build skips the
model's own initialisation (`fosp_core.model.weight_init`). "drawn first" is the old path (build_from_config, then
load_state_into), "skipped" is `load_checkpoint`. Median of --repeats runs, wall seconds, on this machine's threads.

    python bench/bench_model_load.py [--repeats 5] [--variants fosp-s,fosp]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch

from fosp_core.checkpoint import load_checkpoint, load_state_into, read_header_metadata, save_checkpoint
from fosp_core.model.config import ModelConfig
from fosp_core.model.registry import build_from_config, build_model

DEFAULT = Path(__file__).resolve().parents[1] / "resources" / "models" / "fosp-default.safetensors"


def _old_path(path: Path) -> None:
    import json

    config = ModelConfig.from_dict(json.loads(read_header_metadata(path)["config"]), strict=False)
    load_state_into(build_from_config(config), path)


def _median(fn, repeats: int) -> float:  # noqa: ANN001 - a callable
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--variants", default="fosp-s,fosp", help="variants saved fp16 to a temporary file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = [("default (resources/models)", DEFAULT)] if DEFAULT.is_file() else []
        for name in filter(None, args.variants.split(",")):
            files.append((f"{name} (random, fp16)", save_checkpoint(build_model(name), Path(tmp) / f"{name}.safetensors",
                                                                    dtype=torch.float16)))
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, median of {args.repeats}")
        print("| checkpoint | drawn first (s) | skipped (s) | saved |\n|---|---|---|---|")
        for label, path in files:
            old = _median(lambda p=path: _old_path(p), args.repeats)
            new = _median(lambda p=path: load_checkpoint(p), args.repeats)
            print(f"| {label} | {old:.2f} | {new:.2f} | {100 * (1 - new / old):.0f} % |")


if __name__ == "__main__":
    main()
