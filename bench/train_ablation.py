"""Short training runs at one fixed budget, compared on the scene-held-out split (issue 11).

    python bench/train_ablation.py --data ../shared/data [--only A,D] [--list] [--table-only]
    python bench/train_ablation.py --continuation --seeds 0,1 [--only c0,cE]

Two rounds live here. The first (default) trains from random weights. `--continuation` runs the
second kind: short continuations of one pinned default model (the stage-4 weights of commit
`CONTINUE_FROM`, read from git history, so the start never moves when a newer default ships),
each row changing one thing against the plain continuation `c0`, every row with the seeds given.

Every row trains `fosp-s` (or the SegFormer-B0 baseline) from random weights with the `small-cpu`
recipe, changing one thing, for the same budget (iterations x batch x crop), then validates once at
the end on the held-out scenes (`scene-val`, 164 real SMOKE5K photos) and the SmokeSeg val images.
Nothing is selected on the validation images: each run is validated exactly once, at its last step.

Runs live in the runs folder (`ablation-<row>`); a finished run is not trained again. Results are
kept in `docs/training-ablation.json` (committed, so rows measured in earlier sessions survive a
fresh machine) and the Markdown table is rewritten to `docs/training-ablation.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fosp_core.paths import runs_dir  # noqa: E402
from fosp_core.train.progress import json_safe  # noqa: E402

RESULTS = ROOT / "docs" / "training-ablation.json"
RESULTS_CONTINUE = ROOT / "docs" / "training-ablation-continuation.json"
RESULTS_TABLE4 = ROOT / "docs" / "training-ablation-table4.json"
TABLE = ROOT / "docs" / "training-ablation.md"
VAL = "smoke5k-train[scene-val]"
SEG = "smokeseg-samples[val]"


@dataclass(frozen=True)
class Budget:
    iterations: int = 400
    crop: int = 160
    batch: int = 8
    warmup: int = 40

    def describe(self) -> str:
        return (f"{self.iterations} iterations x batch {self.batch} x {self.crop}² crops "
                f"({self.iterations * self.batch} samples), warm-up {self.warmup}, poly decay to 0")


@dataclass(frozen=True)
class Row:
    key: str
    change: str
    overrides: tuple[str, ...] = ()
    inpainter: bool = True  # FoSp rows use the pre-trained (frozen) inpainter, as the recipe does
    needs: tuple[str, ...] = field(default_factory=tuple)  # files that must exist (SSL weights)
    iterations: int = 0  # 0 = the budget's; another count for an equal-wall-time comparison


def rows(ssl_backbone: str) -> list[Row]:
    """The comparison rows; A is the small-cpu recipe at this budget, every other row changes one thing."""
    return [
        Row("A", "small-cpu recipe: fosp-s, lr 6e-4 (head x10), BCE, 70 % smoke-centred crops, real+synthetic"),
        Row("S", "A again with another seed (data order, crops, init): how far one seed's noise reaches",
            ("train.seed=1",)),
        Row("B", "paper's fine-tuning lr 6e-5", ("optim.lr=6e-5",)),
        Row("C", "higher lr 1.5e-3", ("optim.lr=1.5e-3",)),
        Row("D", "loss BCE + Dice", ("model.overrides.loss=bce+dice",)),
        Row("E", "loss BCE + Lovász hinge", ("model.overrides.loss=bce+lovasz",)),
        Row("F", "loss focal + Dice", ("model.overrides.loss=focal+dice",)),
        Row("G", "uniform random crops (no smoke-centred crops)", ("data.smoke_crop_prob=0.0",)),
        Row("H", "smoke-free crops kept (cat_max_ratio 1.0: a crop that is all sky or all smoke is not redrawn)",
            ("data.cat_max_ratio=1.0",)),
        Row("I", "native-resolution crops (data.scale 0: crops of the full-size photo x 0.5-1.5, not of a 640 px copy)",
            ("data.scale=0",)),
        Row("J", "no stochastic depth (drop_path_rate 0 instead of 0.1)", ("model.overrides.drop_path_rate=0.0",)),
        Row("K", "real photos only (no synthetic smoke)",
            ('data.train=[{path = "smoke5k-train", split = "scene-train"}]',)),
        Row("L", "SegFormer-B0 (Table 4 row a: no Focus, no Separation), same recipe",
            ("model.name=segformer-b0",), inpainter=False),
        Row("N", "SegFormer-B0 for the same wall time as A (800 iterations: it is twice as fast)",
            ("model.name=segformer-b0",), inpainter=False, iterations=800),
        Row("P", "bf16 autocast instead of fp32 (AMX on this CPU; validation stays fp32)",
            ("train.precision=bf16",)),
        Row("M", "MiT-B0 initialised by masked-image-modelling pre-training (`fosp train-ssl`, 400 it at 160², 1.6 min)",
            (f"model.pretrained_backbone={ssl_backbone}",), needs=(ssl_backbone,)),
    ]


CONTINUE_FROM = "4506e81"  # commit whose resources/models/fosp-default.safetensors is stage 4 (F_β 49.1)
CONTINUE_BUDGET = Budget(iterations=300, crop=256, batch=8, warmup=20)
CONTINUE_LR = "optim.lr=1e-4"
CONTINUE_EMA = "train.ema_decay=0.99"  # every continuation also keeps a weight average: a paired EMA test


def continuation_rows() -> list[Row]:
    """Second round: 300-iteration continuations of the stage-4 default; c0 is the plain one."""
    return [
        Row("c0", "plain continuation: small-cpu at 256² crops, lr 1e-4, warm-up 20"),
        Row("cH", "all-background crops kept (cat_max_ratio 1.0): more smoke-free training crops",
            ("data.cat_max_ratio=1.0",)),
        Row("cK", "real photos only (no synthetic smoke)",
            ('data.train=[{path = "smoke5k-train", split = "scene-train"}]',)),
        Row("cB", "lower lr 3e-5", ("optim.lr=3e-5",)),
        Row("cD", "loss BCE + Dice", ("model.overrides.loss=bce+dice",)),
        Row("cG", "fewer smoke-centred crops (30 % instead of 70 %)", ("data.smoke_crop_prob=0.3",)),
        Row("cP", "bf16 autocast instead of fp32 (AMX on this CPU; validation stays fp32)",
            ("train.precision=bf16",)),
        # rows added after cP run in bf16 (the recipe's precision "auto" on this CPU); cP ~ c0 in score
        Row("cI", "native-resolution crops (data.scale 0: 256² crops of the full-size photo x 0.5-1.5, "
                  "not of a 640 px copy), bf16", ("data.scale=0",)),
        Row("cR", "progressive resizing: 192² crops (of a 480 px copy) for the first 150 iterations, "
                  "then 256², bf16", ("data.crop_schedule=[[0, 192], [150, 256]]",)),
        # which synthetic smoke: the recipe draws both kinds (SMOKE5K's own synthetic images 0.25,
        # early smoke composited on the fly by Eq. 1 over the train-split photos 0.30); each row keeps
        # the real photos at 0.45 and gives all the synthetic draws to one kind
        Row("cS", "synthetic draws all composited on the fly (Eq. 1 over real train photos), none of "
                  "SMOKE5K's synthetic images; bf16",
            ('data.train=[{path = "smoke5k-train", split = "scene-train", weight = 0.45}, '
             '{path = "smoke5k-train", split = "scene-train", kind = "synthetic", weight = 0.55}]',)),
        Row("cT", "synthetic draws all SMOKE5K's synthetic images, no smoke composited on the fly; bf16",
            ('data.train=[{path = "smoke5k-train", split = "scene-train", weight = 0.45}, '
             '{path = "smoke5k-train", subset = "synthetic", weight = 0.55}]',)),
    ]


TABLE4_BUDGET = Budget(iterations=1500, crop=160, batch=8, warmup=60)


SSL_LONG = "ssl-mit_b0-5000"  # run folder of the long masked-image-modelling pre-training (row tM)


def table4_rows(ssl_long: str = "") -> list[Row]:
    """Third round: the paper's Table 4 question (do Focus and Separation help?) from scratch, at a
    budget where both models have learned something, with seeds."""
    ssl_long = ssl_long or str(runs_dir() / SSL_LONG / "backbone.safetensors")
    return [
        Row("tF", "FoSp (fosp-s: MiT-B0 + Focus + Separation), small-cpu recipe from random weights"),
        Row("tS", "SegFormer-B0 (Table 4 row a: no Focus, no Separation), same recipe",
            ("model.name=segformer-b0",), inpainter=False),
        # initialisation and normalisation, from random weights (each changes one thing against tF)
        Row("tQ", "FoSp with PyTorch's default initialisation instead of SegFormer's "
                  "(trunc-normal 0.02 linears, He-normal convs)", ("model.overrides.init=torch",)),
        Row("tG", "FoSp with GroupNorm instead of BatchNorm in the decoder (batch 8: BatchNorm's "
                  "statistics come from 8 crops)", ("model.overrides.norm=gn",)),
        # self-supervised pre-training, longer than round one's row M (400 iterations)
        Row("tM", "FoSp whose MiT-B0 starts from 5000 iterations of masked-image-modelling pre-training "
                  "on every image at hand (`fosp train-ssl --iterations 5000 --crop 160`; no labels, "
                  "scene-val left out)",
            (f"model.pretrained_backbone={ssl_long}",), needs=(ssl_long,)),
    ]


def continuation_start() -> Path:
    """The pinned start weights, extracted once from git history into the runs folder."""
    path = runs_dir() / f"ablation-start-{CONTINUE_FROM}.safetensors"
    if not path.is_file():
        blob = subprocess.run(["git", "-C", str(ROOT), "show",
                               f"{CONTINUE_FROM}:resources/models/fosp-default.safetensors"],
                              check=True, capture_output=True).stdout
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    return path


def results_path(continuation: bool | str) -> Path:
    """The JSON of a round: False = first, True = continuations, "table4" = the third."""
    if continuation == "table4":
        return RESULTS_TABLE4
    return RESULTS_CONTINUE if continuation else RESULTS


def load_results(continuation: bool | str = False) -> dict[str, dict]:
    path = results_path(continuation)
    if path.is_file():
        # null is a score that could not be measured (strict JSON has no NaN): NaN again here, as the
        # tables expect
        return json.loads(path.read_text(), object_hook=lambda d: {k: float("nan") if v is None else v
                                                                   for k, v in d.items()})
    return {}


def save_results(results: dict[str, dict], continuation: bool | str = False) -> None:
    path = results_path(continuation)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(json_safe(results), indent=1, sort_keys=True, allow_nan=False) + "\n")
    os.replace(tmp, path)


def final_val(run: Path, iterations: int) -> dict | None:
    """The validation record written at the last iteration, or None when the run has not finished."""
    log = run / "log.jsonl"
    if not log.is_file():
        return None
    found = None
    for line in log.read_text().splitlines():
        rec = json.loads(line)
        if rec.get("type") == "val" and rec.get("iter") == iterations:
            found = rec
    return found


def train_stats(run: Path) -> tuple[float, float]:
    """Mean training loss over the last 50 iterations and the median s/it."""
    losses, times = [], []
    for line in (run / "log.jsonl").read_text().splitlines():
        rec = json.loads(line)
        if rec.get("type") == "train":
            losses.append((rec["iter"], rec["loss"]))
            times.append((rec["iter"], rec["time"]))
    end = losses[-1][0]
    tail = [loss for it, loss in losses if it > end - 50]
    rates = sorted((t1 - t0) / (i1 - i0) for (i0, t0), (i1, t1) in zip(times, times[1:], strict=False) if i1 > i0)
    return sum(tail) / len(tail), rates[len(rates) // 2] if rates else float("nan")


def _validate(cfg, weights: Path | None = None) -> dict[str, float]:
    """Validate the model of `cfg` (with `weights` loaded, when given) as training does."""
    import torch

    from fosp_core.train import model_io
    from fosp_core.train.data import open_sources
    from fosp_core.train.evaluate import validate

    torch.set_num_threads(max(1, cfg.train.threads))
    model = model_io.build(cfg, log=lambda *_: None)
    if weights is not None:
        model_io.load_fosp_weights(model, weights)
    metrics, _ = validate(model, open_sources(cfg, "val"), cfg, torch.device("cpu"))
    return metrics


def revalidate(run: Path) -> dict[str, float]:
    """Validate a finished run's weights again (for scores added to validation after it ran)."""
    from fosp_core.train.config import load_config

    return _validate(load_config(run / "config.toml"), run / "best.safetensors")


def run_row(row: Row, budget: Budget, data: Path, inpainter: str, recipe: str, seed: int = 0,
            start: Path | None = None, seeded: bool = False) -> dict:
    """Train one row (or take its finished run) and return its record. `start`: continue those
    weights (second round); `seeded`: one run per seed from scratch with a weight average (third)."""
    seeded = seeded or start is not None
    name = f"ablation-{row.key}" + (f"-s{seed}" if seeded else "")
    run = runs_dir() / name
    iterations = row.iterations or budget.iterations
    rec = final_val(run, iterations)
    if rec is None:
        cmd = ["fosp", "train", recipe, f"data.root={data}", f"name={name}",
               f"train.iterations={iterations}", f"train.val_every={iterations}",
               f"train.save_every={iterations // 4}", f"train.batch_size={budget.batch}",
               f"data.crop={budget.crop}", f"optim.warmup_iters={budget.warmup}", f"train.seed={seed}",
               "train.log_every=10"]
        if row.inpainter and inpainter:
            cmd.append(f"model.inpainter={inpainter}")
        if start is not None:
            cmd += [f"model.init_from={start}", CONTINUE_LR]
        if seeded:
            cmd.append(CONTINUE_EMA)
        cmd += list(row.overrides)
        if (run / "last.pt").is_file():
            cmd.append("--resume")
        print("$", " ".join(cmd), flush=True)
        t0 = time.time()
        subprocess.run(cmd, check=True, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
        print(f"row {row.key}: {(time.time() - t0) / 60:.1f} min", flush=True)
        rec = final_val(run, iterations)
        if rec is None:
            raise RuntimeError(f"run {run} finished without a validation at iteration {iterations}")
    loss, sec_it = train_stats(run)
    keep = {k: v for k, v in rec.items() if k.startswith((VAL, SEG))}
    if f"{VAL}/total/f_beta_max" not in keep:
        print(f"row {row.key}: validating {run} again for the threshold-free F_beta", flush=True)
        keep.update({k: v for k, v in revalidate(run).items() if k.endswith("f_beta_max")})
    described = budget.describe() if not row.iterations else budget.describe().replace(
        f"{budget.iterations} iterations", f"{iterations} iterations")
    if start is not None:
        described += f", continued from the default of commit {CONTINUE_FROM}, {CONTINUE_LR}"
    if seeded:  # the raw weights are the row's scores; the average's go under ema/
        described += f", seed {seed}"
        keep = {**{k[4:]: v for k, v in rec.items() if k.startswith(("raw/" + VAL, "raw/" + SEG))},
                **{"ema/" + k: v for k, v in keep.items()}}
    return {"change": row.change, "overrides": list(row.overrides), "budget": described, "seed": seed,
            "train_loss": loss, "sec_per_it": sec_it, "metrics": keep,
            "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
            "date": time.strftime("%Y-%m-%d")}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def table(results: dict[str, dict], order: list[str]) -> str:
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


def validate_start(start: Path, data: Path, inpainter: str, recipe: str) -> dict:
    """Scores of the pinned start weights themselves, with the same validation as every row."""
    from fosp_core.train.config import load_config

    overrides = [f"data.root={data}", f"model.init_from={start}"]
    if inpainter:
        overrides.append(f"model.inpainter={inpainter}")
    metrics = _validate(load_config(recipe, overrides))
    keep = {k: v for k, v in metrics.items() if k.startswith((VAL, SEG))}
    return {"change": f"the stage-4 default of commit {CONTINUE_FROM}, before any continuation",
            "metrics": keep, "date": time.strftime("%Y-%m-%d")}


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


def missing_inputs(row: Row) -> bool:
    """Whether a file the row needs (SSL weights) is missing; says so, the row is then skipped."""
    missing = [p for p in row.needs if not Path(p).is_file()]
    if missing:
        print(f"row {row.key} skipped: {', '.join(missing)} not found", file=sys.stderr)
    return bool(missing)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--only", default="", help="comma-separated rows to run (default: all)")
    parser.add_argument("--continuation", action="store_true",
                        help=f"the second round: continuations of the default of commit {CONTINUE_FROM}")
    parser.add_argument("--table4", action="store_true",
                        help="the third round: FoSp against SegFormer-B0 from scratch at "
                             f"{TABLE4_BUDGET.iterations} iterations, with seeds")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds (continuation and table4 rows)")
    parser.add_argument("--recipe", default="small-cpu")
    parser.add_argument("--inpainter", default=None,
                        help="pre-trained inpainter weights (fosp train-inpainter); default: the "
                             "inpainter-small run for rows from scratch, and for --continuation the frozen "
                             "inpainter the start checkpoint already carries")
    parser.add_argument("--ssl-backbone", default=str(runs_dir() / "ssl-mit_b0" / "backbone.safetensors"))
    parser.add_argument("--list", action="store_true", help="print the rows and exit")
    parser.add_argument("--table-only", action="store_true", help="rewrite the table from the JSON, train nothing")
    args = parser.parse_args()
    if args.inpainter is None:
        args.inpainter = "" if args.continuation else str(runs_dir() / "inpainter-small" / "best.safetensors")

    budget = Budget()
    first_rows, cont_rows, t4_rows = rows(args.ssl_backbone), continuation_rows(), table4_rows()
    order, cont_order, t4_order = [r.key for r in first_rows], [r.key for r in cont_rows], [r.key for r in t4_rows]
    all_rows = cont_rows if args.continuation else t4_rows if args.table4 else first_rows
    if args.list:
        for r in all_rows:
            print(f"{r.key}: {r.change}  {' '.join(r.overrides)}")
        return 0
    results, cont, third = load_results(), load_results(continuation=True), load_results("table4")
    if not args.table_only:
        if not args.data.is_dir():
            print(f"data folder {args.data} not found (pass --data)", file=sys.stderr)
            return 2
        if args.inpainter and not Path(args.inpainter).is_file():
            print(f"inpainter weights {args.inpainter} not found: run `fosp train-inpainter inpainter-small` "
                  "first or pass --inpainter", file=sys.stderr)
            return 2
        by_key = {r.key: r for r in all_rows}
        wanted = [k.strip() for k in args.only.split(",") if k.strip()] or list(by_key)
        if not args.continuation and not args.table4:
            wanted = [k.upper() for k in wanted]
        unknown = [k for k in wanted if k not in by_key]
        if unknown:
            print(f"unknown rows {unknown}; rows are {', '.join(by_key)}", file=sys.stderr)
            return 2
        seeds = [int(x) for x in args.seeds.split(",") if x.strip()]
        data = args.data.resolve()
        if args.continuation:
            start = continuation_start()
            if "start" not in cont:
                print(f"validating the start weights {start}", flush=True)
                cont["start"] = validate_start(start, data, args.inpainter, args.recipe)
                save_results(cont, continuation=True)
            for seed in seeds:  # every row once before any row's second seed
                for row in (by_key[k] for k in wanted):
                    cont[f"{row.key}:s{seed}"] = run_row(row, CONTINUE_BUDGET, data, args.inpainter,
                                                         args.recipe, seed=seed, start=start)
                    save_results(cont, continuation=True)
                    print(continuation_table(cont, cont_order), flush=True)
        elif args.table4:
            for seed in seeds:
                for row in (by_key[k] for k in wanted):
                    if missing_inputs(row):
                        continue
                    third[f"{row.key}:s{seed}"] = run_row(row, TABLE4_BUDGET, data, args.inpainter, args.recipe,
                                                          seed=seed, seeded=True)
                    save_results(third, "table4")
                    print(continuation_table(third, t4_order), flush=True)
        else:
            for row in (by_key[k] for k in wanted):  # in the order given
                if missing_inputs(row):
                    continue
                results[row.key] = run_row(row, budget, data, args.inpainter, args.recipe)
                save_results(results)
                print(table(results, order), flush=True)
    print(write_table(results, order, budget, cont, cont_order, third, t4_order))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
