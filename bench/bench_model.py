"""CPU forward latency of the model variants and of the MiT backbone against transformers.

    python bench/bench_model.py                 # 512x512, batch 1, 2 threads, prints a table
    python bench/bench_model.py --write docs/benchmarks-model.md

--write replaces only the generated section of the file, between the markers BEGIN and END (HTML
comments, unseen in the rendered page); hand-written text before and after them is kept. A new file
is made with the section alone; an existing file without both markers is left as it is (exit 2).

Runs are interleaved (one forward of each contender per round) and the median is reported, so a
machine shared with other work slows every contender alike. Inference mode, fp32, random weights
(latency does not depend on the values). Not a test: nothing here asserts.

OMP_WAIT_POLICY defaults to PASSIVE here: on a CPU shared with other jobs, OpenMP's spinning
threads make 2-thread runs up to 20x slower (for every contender); set OMP_WAIT_POLICY=ACTIVE on a
dedicated machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads OpenMP

import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fosp_core.model import build_model, count_parameters  # noqa: E402


def _interleaved(contenders: dict[str, Callable[[], object]], rounds: int, warmup: int) -> dict[str, float]:
    """Median seconds per contender; each round runs every contender once, in turn."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    with torch.inference_mode():
        for _ in range(warmup):
            for fn in contenders.values():
                fn()
        for _ in range(rounds):
            for name, fn in contenders.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def bench_models(size: int, rounds: int, warmup: int) -> list[tuple[str, float, float, str]]:
    x = torch.rand(1, 3, size, size) * 255.0
    sf_b0 = build_model("segformer-b0").eval()
    sf_b0_textbook = build_model("segformer-b0").eval()
    sf_b0_textbook.decode_head.reassociate = False
    fosp_s = build_model("fosp-s").eval()
    sf_b3 = build_model("segformer-b3").eval()
    fosp = build_model("fosp").eval()
    contenders: dict[str, Callable[[], object]] = {
        "segformer-b0": lambda: sf_b0(x),
        "segformer-b0 (textbook head order)": lambda: sf_b0_textbook(x),
        "fosp-s (no background)": lambda: fosp_s(x, need_background=False),
        "fosp-s (with background)": lambda: fosp_s(x, need_background=True),
        "segformer-b3": lambda: sf_b3(x),
        "fosp (no background)": lambda: fosp(x, need_background=False),
    }
    params = {
        "segformer-b0": sf_b0,
        "segformer-b0 (textbook head order)": sf_b0,
        "fosp-s (no background)": fosp_s,
        "fosp-s (with background)": fosp_s,
        "segformer-b3": sf_b3,
        "fosp (no background)": fosp,
    }
    med = _interleaved(contenders, rounds, warmup)
    ref = {"b0": med["segformer-b0"], "b3": med["segformer-b3"]}
    rows = []
    for name, sec in med.items():
        base = ref["b3"] if name.startswith(("segformer-b3", "fosp (")) else ref["b0"]
        rows.append((name, sec * 1000.0, sec / base, f"{count_parameters(params[name]) / 1e6:.2f}"))
    return rows


def bench_backbone(size: int, rounds: int, warmup: int) -> tuple[float, float, float] | None:
    try:
        import transformers
    except ImportError:
        return None
    import tempfile

    from fosp_core.checkpoint import load_pretrained_backbone

    torch.manual_seed(0)
    cfg = transformers.SegformerConfig(hidden_sizes=[32, 64, 160, 256], depths=[2, 2, 2, 2])
    hf = transformers.SegformerModel(cfg).eval()
    ours = build_model("segformer-b0").backbone.eval()
    with tempfile.TemporaryDirectory() as tmp:
        hf.save_pretrained(tmp)
        load_pretrained_backbone(ours, Path(tmp) / "model.safetensors")
    x = torch.randn(1, 3, size, size)
    with torch.inference_mode():
        diff = max(
            float((a - b).abs().max())
            for a, b in zip(hf(x, output_hidden_states=True).hidden_states, ours(x), strict=True)
        )
    med = _interleaved({"hf": lambda: hf(x), "ours": lambda: ours(x)}, rounds, warmup)
    return med["hf"] * 1000.0, med["ours"] * 1000.0, diff


BEGIN = "<!-- bench/bench_model.py --write: generated from here to its end marker (rewritten at each run) -->"
END = "<!-- end of bench/bench_model.py's generated section: hand-written text below is kept -->"


class MarkersMissing(ValueError):
    """The file to write exists but lacks bench_model's markers: writing would lose its text."""


def write_section(path: Path, text: str) -> None:
    """Put `text` between BEGIN and END in `path`, keeping what lies outside them; a missing file is
    made with the section alone. Raises MarkersMissing (nothing written) when `path` exists without
    both markers, in order."""
    section = f"{BEGIN}\n{text.rstrip()}\n{END}\n"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(section)
        return
    old = path.read_text()
    start, end = old.find(BEGIN), old.find(END)
    if start < 0 or end < start:
        raise MarkersMissing(f"{path} has no generated section marked by {BEGIN!r} ... {END!r}: "
                             "add those two lines around the tables to rewrite, nothing written")
    tail = old[end + len(END):].removeprefix("\n")
    path.write_text(old[:start] + section + tail)


def render(size: int, sections: list[tuple[int, list, tuple | None, str]]) -> str:
    lines = [
        "# Model latency (CPU)",
        "",
        f"Forward pass, batch 1, {size}x{size}, fp32, `torch.inference_mode()`, torch {torch.__version__}, "
        f"{platform.processor() or platform.machine()}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}; "
        "interleaved runs, median. Produced by `python bench/bench_model.py --write docs/benchmarks-model.md` "
        "(this part; the sections after it are written by hand).",
    ]
    for threads, rows, backbone, load in sections:
        lines += [
            "",
            f"## {threads} thread{'s' if threads > 1 else ''} (load average {load}; the CPU was shared)",
            "",
            "| model | params (M, no inpainter) | latency (ms) | x its SegFormer |",
            "|---|---:|---:|---:|",
        ]
        for name, ms, ratio, params in rows:
            lines.append(f"| {name} | {params} | {ms:.1f} | {ratio:.2f} |")
        if backbone is not None:
            hf_ms, our_ms, diff = backbone
            lines += [
                "",
                "| MiT-B0 backbone, identical weights | latency (ms) |",
                "|---|---:|",
                f"| transformers `SegformerModel` (default attention) | {hf_ms:.1f} |",
                f"| fosp_core `MixVisionTransformer` | {our_ms:.1f} |",
                f"| speed-up | {hf_ms / our_ms:.2f}x |",
                "",
                f"Largest difference between the two backbones' four feature maps: {diff:.1e}.",
            ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--threads", type=int, nargs="+", default=[2], help="one section per thread count")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--write", type=Path, default=None, help="also write the tables into this file's generated section (between its markers)")
    parser.add_argument("--skip-backbone", action="store_true", help="skip the transformers comparison")
    args = parser.parse_args(argv)
    sections = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        load_before = os.getloadavg()[0]
        rows = bench_models(args.size, args.rounds, args.warmup)
        backbone = None if args.skip_backbone else bench_backbone(args.size, args.rounds * 2, args.warmup)
        load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        sections.append((threads, rows, backbone, load))
    text = render(args.size, sections)
    print(text)
    if args.write is not None:
        try:
            write_section(args.write, text)
        except MarkersMissing as exc:
            print(f"bench_model: {exc}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
