"""Results of the fixed-budget training comparison (bench/train_ablation.py): the JSON of each round,
kept in docs/ so rows measured in earlier sessions survive a fresh machine, and the Markdown tables
rewritten to docs/training-ablation.md."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench.ablation_rows import CONTINUE_BUDGET, CONTINUE_FROM, CONTINUE_LR, TABLE4_BUDGET, Budget
from fosp_core.train.progress import json_safe

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "training-ablation.json"
RESULTS_CONTINUE = ROOT / "docs" / "training-ablation-continuation.json"
RESULTS_TABLE4 = ROOT / "docs" / "training-ablation-table4.json"
TABLE = ROOT / "docs" / "training-ablation.md"
VAL = "smoke5k-train[scene-val]"
SEG = "smokeseg-samples[val]"


def results_path(continuation: bool | str) -> Path:
    """The JSON of a round: False = first, True = continuations, "table4" = the third."""
    if continuation == "table4":
        return RESULTS_TABLE4
    return RESULTS_CONTINUE if continuation else RESULTS


def load_results(continuation: bool | str = False) -> dict[str, dict]:
    """The records of a round (see `results_path`) by row (and seed), {} before the first."""
    path = results_path(continuation)
    if path.is_file():
        # null is a score that could not be measured (strict JSON has no NaN): NaN again here, as the
        # tables expect
        return json.loads(path.read_text(), object_hook=lambda d: {k: float("nan") if v is None else v
                                                                   for k, v in d.items()})
    return {}


def save_results(results: dict[str, dict], continuation: bool | str = False) -> None:
    """Write a round's records atomically (NaN scores as null)."""
    path = results_path(continuation)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(json_safe(results), indent=1, sort_keys=True, allow_nan=False) + "\n")
    os.replace(tmp, path)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def table(results: dict[str, dict], order: list[str]) -> str:
    """The first round's Markdown table, one line per row of `order` that has a result."""
    head = ("| row | change | F_β scene-val | small | medium | large | max-F_β (any threshold) | far-FP % "
            "| crops flagged % | F_β SmokeSeg val | train loss (last 50 it) | s/it |")
    lines = [head, "|" + "---|" * 12]
    for key in order:
        r = results.get(key)
        if r is None:
            continue
        m = r["metrics"]
        lines.append(
            f"| {key} | {r['change']} | **{_pct(m.get(f'{VAL}/total/f_beta'))}** "
            f"| {_pct(m.get(f'{VAL}/small/f_beta'))} | {_pct(m.get(f'{VAL}/medium/f_beta'))} "
            f"| {_pct(m.get(f'{VAL}/large/f_beta'))} | {_pct(m.get(f'{VAL}/total/f_beta_max'))} "
            f"| {100 * m.get(f'{VAL}/total/far_fp', float('nan')):.2f} "
            f"| {_pct(m.get(f'{VAL}/total/crops_flagged'))} | {_pct(m.get(f'{SEG}/total/f_beta'))} "
            f"| {r['train_loss']:.3f} | {r['sec_per_it']:.2f} |")
    return "\n".join(lines)


def _mean(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def continuation_table(results: dict[str, dict], order: list[str]) -> str:
    """One line per row: the mean over its seeds (each seed's F_β in brackets)."""
    head = ("| row | change | seeds | F_β scene-val: mean (each seed) | small | medium | large | max-F_β "
            "| far-FP % | crops flagged % | F_β SmokeSeg val | F_β of the weight average (EMA 0.99) | s/it |")
    lines = [head, "|" + "---|" * 13]
    start = results.get("start")
    if start is not None:
        m = start["metrics"]
        lines.append(
            f"| start | {start['change']} | – | **{_pct(m.get(f'{VAL}/total/f_beta'))}** "
            f"| {_pct(m.get(f'{VAL}/small/f_beta'))} | {_pct(m.get(f'{VAL}/medium/f_beta'))} "
            f"| {_pct(m.get(f'{VAL}/large/f_beta'))} | {_pct(m.get(f'{VAL}/total/f_beta_max'))} "
            f"| {100 * m.get(f'{VAL}/total/far_fp', float('nan')):.2f} "
            f"| {_pct(m.get(f'{VAL}/total/crops_flagged'))} | {_pct(m.get(f'{SEG}/total/f_beta'))} | – | – |")
    for key in order:
        runs = sorted((r for k, r in results.items() if k.split(":")[0] == key), key=lambda r: r["seed"])
        if not runs:
            continue

        def mean(metric: str, runs: list[dict] = runs) -> float | None:
            return _mean([r["metrics"].get(metric) for r in runs])

        each = " / ".join(_pct(r["metrics"].get(f"{VAL}/total/f_beta")) for r in runs)
        far = mean(f"{VAL}/total/far_fp")
        ema = mean(f"ema/{VAL}/total/f_beta")
        ema_each = " / ".join(_pct(r["metrics"].get(f"ema/{VAL}/total/f_beta")) for r in runs)
        lines.append(
            f"| {key} | {runs[0]['change']} | {', '.join(str(r['seed']) for r in runs)} "
            f"| **{_pct(mean(f'{VAL}/total/f_beta'))}** ({each}) "
            f"| {_pct(mean(f'{VAL}/small/f_beta'))} | {_pct(mean(f'{VAL}/medium/f_beta'))} "
            f"| {_pct(mean(f'{VAL}/large/f_beta'))} | {_pct(mean(f'{VAL}/total/f_beta_max'))} "
            f"| {'–' if far is None else f'{100 * far:.2f}'} | {_pct(mean(f'{VAL}/total/crops_flagged'))} "
            f"| {_pct(mean(f'{SEG}/total/f_beta'))} | {_pct(ema)} ({ema_each}) "
            f"| {_mean([r['sec_per_it'] for r in runs]):.2f} |")
    return "\n".join(lines)


CONTINUATION_INTRO = (
    "## Second round: continuations of the default model\n\n"
    "Generated by `python bench/train_ablation.py --continuation --seeds 0,1`; numbers in\n"
    "`training-ablation-continuation.json`. Each row continues the stage-4 default (commit\n"
    f"`{CONTINUE_FROM}`, scene-val F_β 49.1) for {CONTINUE_BUDGET.describe()}, {CONTINUE_LR.split('=')[1]}\n"
    "(head ×10), changing one thing against `c0`, with every seed listed; each run is validated once, at its\n"
    "last iteration. A row's gain counts only when it is larger than the spread between the seeds of\n"
    "`c0`. Every run also keeps an exponential moving average of its weights (`train.ema_decay=0.99`,\n"
    "timm's decay warm-up), validated beside the raw weights at the end: the last column is a paired\n"
    "test of weight averaging on the same training run.\n\n")


TABLE4_INTRO = (
    "## Third round: FoSp against SegFormer-B0 from scratch (paper Table 4)\n\n"
    "Generated by `python bench/train_ablation.py --table4 --seeds 0,1`; numbers in\n"
    f"`training-ablation-table4.json`. Both models train from random weights for {TABLE4_BUDGET.describe()},\n"
    "with the small-cpu recipe and nothing else changed (FoSp with the frozen, pre-trained inpainter), every seed\n"
    "listed, validated once at the last iteration; each run also keeps a weight average (EMA 0.99), shown in the\n"
    "last column. SegFormer-B0 is about 2.5× as fast an iteration; this round compares equal iterations.\n\n")


def write_table(results: dict[str, dict], order: list[str], budget: Budget,
                cont: dict[str, dict] | None = None, cont_order: list[str] | None = None,
                third: dict[str, dict] | None = None, third_order: list[str] | None = None) -> str:
    """Rewrite docs/training-ablation.md with the tables of every round that has results; returns
    the first round's table."""
    text = table(results, order)
    second = ""
    if cont:
        second = "\n" + CONTINUATION_INTRO + continuation_table(cont, cont_order or []) + "\n"
    if third:
        second += "\n" + TABLE4_INTRO + continuation_table(third, third_order or []) + "\n"
    doc = (
        "# Fixed-budget training comparison (issue 11)\n\n"
        "Generated by `python bench/train_ablation.py`; numbers in `training-ablation.json`.\n\n"
        f"Budget per row: {budget.describe()}, from random weights (FoSp rows with the frozen, pre-trained\n"
        "inpainter of `fosp train-inpainter`, as the small-cpu recipe does), seed 0 (row S: 1), 2 CPU cores.\n"
        "Each run is validated once, at its last iteration, on the 164 scene-held-out SMOKE5K photos\n"
        "(per-image F_β, β² = 0.3, threshold 0.5; by smoke size) and the SmokeSeg val images. far-FP: share\n"
        "of pixels ≥ 32 px from labelled smoke that are flagged; crops flagged: share of smoke-free crops\n"
        "with > 0.5 % of pixels flagged. max-F_β: the mean per-image F_β curve at its best threshold\n"
        "(threshold-free: whether smoke is ranked above background before the probabilities reach 0.5).\n"
        "One seed per row; rows A and S differ only in the seed, so their gap is the noise at this\n"
        "budget: a difference between two rows smaller than that gap shows nothing.\n\n"
        f"{text}\n{second}"
    )
    tmp = TABLE.with_suffix(".md.tmp")
    tmp.write_text(doc)
    os.replace(tmp, TABLE)
    return text
