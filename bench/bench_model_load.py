"""How long opening a model checkpoint takes, with and without drawing the random initial weights first.

`load_checkpoint` builds the model and then loads every weight strictly. "drawn first" is the path before session 36
(build_from_config, then load_state_into), "skipped" session 36's (the model's own initialisation skipped,
`fosp_core.model.weight_init.weights_to_be_loaded`, but every layer still allocating its weights and drawing
PyTorch's default), "on meta" `load_checkpoint` since session 37 (built on the meta device, the file's tensors
assigned); then the build alone, real (init skipped) and on meta. Median of --repeats runs, wall seconds, on this
machine's threads, the ways interleaved.

Then the Model panel's description of a checkpoint (`read_model_info`, each load: `app.analysis.inference_worker`):
"every tensor read" is how it counted the parameters before session 37 (`read_checkpoint`), "header" how it counts
them now (the safetensors header's shapes), and one whole load as the panel's worker makes it (`read_model_info`, the
`Predictor`, the weights' digests) with each way: the opens of the checkpoint (Python's and the safetensors reader's)
and the tensors read from it, counted on a first load (the digests' caches empty), and its median time.

    python bench/bench_model_load.py [--repeats 5] [--variants fosp-s,fosp] [--no-drawn] [--dtype fp16|fp32] [--no-describe]
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch

from fosp_core.checkpoint import load_checkpoint, load_state_into, read_header_metadata, save_checkpoint
from fosp_core.model.config import ModelConfig
from fosp_core.model.registry import build_from_config, build_model
from fosp_core.model.weight_init import on_meta_device, weights_to_be_loaded

DEFAULT = Path(__file__).resolve().parents[1] / "resources" / "models" / "fosp-default.safetensors"


def _config(path: Path) -> ModelConfig:
    import json

    return ModelConfig.from_dict(json.loads(read_header_metadata(path)["config"]), strict=False)


def _old_path(path: Path) -> None:
    load_state_into(build_from_config(_config(path)), path)


def _skipped_path(path: Path) -> None:
    """Session 36's load_checkpoint: the model's own initialisation skipped, every layer built for real."""
    with weights_to_be_loaded():
        model = build_from_config(_config(path))
    load_state_into(model, path)


def _build_real(path: Path) -> None:
    with weights_to_be_loaded():
        build_from_config(_config(path))


def _build_meta(path: Path) -> None:
    with weights_to_be_loaded(), on_meta_device():
        build_from_config(_config(path))


def _every_tensor_read(path: Path) -> tuple[int, dict[str, str]]:
    """`read_model_info`'s count before session 37: every tensor read (`read_checkpoint`)."""
    from fosp_core.checkpoint import read_checkpoint

    tensors, meta = read_checkpoint(path)
    return sum(t.numel() for k, t in tensors.items() if "running_" not in k and "num_batches" not in k), meta


@contextlib.contextmanager
def _counting(path: Path) -> Iterator[dict[str, int]]:
    """{"opens": ..., "tensors": ...}: the opens of `path` (Python's, by the audit hook's "open" events, and the
    safetensors reader's `safe_open`) and the tensors read from it (``get_tensor``) while the block runs."""
    import safetensors

    import fosp_core.checkpoint_files as files

    counts = {"opens": 0, "tensors": 0}
    name, real = str(path), safetensors.safe_open
    counting = [True]

    def hook(event: str, args: tuple) -> None:
        if counting[0] and event == "open" and args and str(args[0]) == name:
            counts["opens"] += 1

    class Counted:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def __enter__(self) -> Counted:
            self._inner.__enter__()
            return self

        def __exit__(self, *exc: object) -> Any:
            return self._inner.__exit__(*exc)

        def get_tensor(self, key: str) -> Any:
            counts["tensors"] += 1
            return self._inner.get_tensor(key)

        def __getattr__(self, attr: str) -> Any:
            return getattr(self._inner, attr)

    def counted_open(filename: Any, *args: Any, **kwargs: Any) -> Any:
        if str(filename) == name:
            counts["opens"] += 1
            return Counted(real(filename, *args, **kwargs))
        return real(filename, *args, **kwargs)

    sys.addaudithook(hook)  # an audit hook cannot be removed: it stops counting when the block ends
    safetensors.safe_open = files.safe_open = counted_open
    try:
        yield counts
    finally:
        counting[0] = False
        safetensors.safe_open = files.safe_open = real


def _load(path: Path) -> None:
    """One model load as the Model panel's worker makes it (`app.analysis.inference_worker.InferenceWorker.load`)."""
    from fosp_core.analysis.settings import predictor_input, read_model_info
    from fosp_core.annotation.prelabel import checkpoint_digest, weights_digest
    from fosp_core.infer.predictor import Predictor

    read_model_info(path)
    Predictor(path, device="cpu", precision="fp32", **predictor_input("default"))
    weights_digest(path)
    checkpoint_digest(path)


def _describe_table(files: list[tuple[str, Path]], repeats: int, tmp: Path) -> None:
    """`read_model_info`'s count, every tensor read (before) or from the header (now), and one load with each."""
    import fosp_core.analysis.settings as settings

    now = settings._parameters
    print(f"\nread_model_info and one Model panel load (read_model_info, Predictor, digests), median of {repeats}")
    print("| checkpoint | count | read_model_info (s) | load (s) | opens of the file | tensors read |")
    print("|---|---|---|---|---|---|")
    for label, path in files:
        for way, count in (("every tensor read", _every_tensor_read), ("header", now)):
            settings._parameters = count
            try:
                info = _median(lambda p=path: settings.read_model_info(p), repeats)
                first = shutil.copyfile(path, tmp / f"first-{way[:5]}-{path.name}")  # the digests' caches: empty
                with _counting(first) as counts:
                    _load(first)
                load = _median(lambda p=path: _load(p), repeats)
            finally:
                settings._parameters = now
            print(f"| {label} | {way} | {info:.3f} | {load:.2f} | {counts['opens']} | {counts['tensors']} |")


def _median(fn, repeats: int) -> float:  # noqa: ANN001 - a callable
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _interleaved(ways: dict[str, Any], path: Path, repeats: int) -> dict[str, float]:
    """Each way's median over `repeats` rounds, one run of every way per round (the machine's load shared alike)."""
    times: dict[str, list[float]] = {name: [] for name in ways}
    for fn in ways.values():
        fn(path)  # warm-up: imports, the page cache
    for _ in range(repeats):
        for name, fn in ways.items():
            start = time.perf_counter()
            fn(path)
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(found) for name, found in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--variants", default="fosp-s,fosp", help="variants saved fp16 to a temporary file")
    parser.add_argument("--no-drawn", action="store_true", help="leave out the pre-session-36 path (the slowest)")
    parser.add_argument("--dtype", choices=("fp16", "fp32"), default="fp16", help="how --variants are saved")
    parser.add_argument("--no-describe", action="store_true", help="only the first table (the loads and builds)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = [("default (resources/models)", DEFAULT)] if DEFAULT.is_file() else []
        for name in filter(None, args.variants.split(",")):
            dtype = torch.float16 if args.dtype == "fp16" else None
            files.append((f"{name} (random, {args.dtype})", save_checkpoint(
                build_model(name), Path(tmp) / f"{name}.safetensors", dtype=dtype)))
        print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, median of {args.repeats}")
        ways = {"drawn first": _old_path, "skipped": _skipped_path, "on meta": load_checkpoint,
                "build real": _build_real, "build on meta": _build_meta}
        if args.no_drawn:
            del ways["drawn first"]
        print("| checkpoint | drawn first (s) | skipped (s) | on meta (s) | saved vs skipped "
              "| build, real (s) | build, on meta (s) |\n|---|---|---|---|---|---|---|")
        for label, path in files:
            t = _interleaved(ways, path, args.repeats)
            drawn = f"{t['drawn first']:.3f}" if "drawn first" in t else "-"
            print(f"| {label} | {drawn} | {t['skipped']:.3f} | {t['on meta']:.3f} "
                  f"| {100 * (1 - t['on meta'] / t['skipped']):.0f} % | {t['build real']:.3f} "
                  f"| {t['build on meta']:.3f} |")
        if args.no_describe:
            return
        _describe_table(files, args.repeats, Path(tmp))


if __name__ == "__main__":
    main()
