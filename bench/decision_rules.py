"""How a model's probability map becomes a mask: the plain 0.5 threshold against rules that drop weak
components (issue 11's false alarms), measured on cached probability maps.

    python bench/decision_rules.py CANDIDATE --pool POOL [--pool POOL ...] [--data ../shared/data]
        [--cache ~/.cache/fosp/probs] [--threads 2] [--json OUT] [--rules RULE ...] [--set KEY=VALUE ...]

CANDIDATE is `label=FILE` as in `bench/validate_checkpoint.py`; `label=SPEC|SPEC[|...]` is an ensemble,
the mean of its members' probability maps (each SPEC a FILE or a soup `FILE+FILE`, cached on its own);
`label=SPEC&SPEC>T` is a veto: the first member's map where the second's is above T, 0 elsewhere
(stage 29). A member `SPEC@N` is run at input long side N instead of `train.val_size` (the maps are
compared at label resolution, so members at different inputs combine).
A POOL is one of
- `train`: the recipe's real training photos (`data.train.0`, the scene-train split) - the model saw
  them, so they flatter it, but a post-processing rule can be *chosen* on them;
- `pick`: the held-out training scenes of `bench/make_pick_split.py` (stage 32): a stage whose runs
  train on `scene-fit` never saw them, though the model they started from may have;
- `selection`: the 20 SmokeSeg train images (`bench/select_checkpoint.py`'s selection set);
- `val`: the 164 scene-held-out photos; `seg-val`: the 10 SmokeSeg val images - report only.

Each image is run once as validation runs it (long side `train.val_size`, fp32) and its probability
map (float32, label resolution) is cached per checkpoint file and pool, so the rules cost seconds.
A RULE (see `fosp_core.metrics.decision`): `plain` (probability > 0.5), `core:T` (a component of the
0.5 mask is kept only if some pixel in it is above T: hysteresis), `mean:T` (only if its mean
probability is above T), `area:A` (only if it has at least A pixels at the 512 input). Dropped
components get probability 0 and the pooled scores (F_β, far-FP, crops flagged, by size) are those
of `fosp_core.metrics.MetricAccumulator` at threshold 0.5, in validation's order (crop seeds match
`bench/validate_checkpoint.py`, so `plain` reproduces its numbers).

Choose a rule on `train` / `pick` / `selection`; `val` and `seg-val` are for reporting what was chosen.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.select_checkpoint import load_candidate  # noqa: E402

DEFAULT_RULES = ("plain", "core:0.6", "core:0.7", "core:0.8", "core:0.9", "core:0.95",
                 "mean:0.6", "mean:0.7", "area:64", "area:256")
POOLS = {"train": ("train", 0), "val": ("val", 0), "seg-val": ("val", 1), "selection": ("val", 2),
         "pick": ("pick", 0)}


def file_key(path: str) -> str:
    """A short content key of the checkpoint file(s) in a candidate spec."""
    h = hashlib.sha256()
    for part in path.split("+"):
        p = Path(part.rsplit(":", 1)[0] if part.endswith((":raw", ":average")) else part).expanduser()
        st = p.stat()
        h.update(f"{p.resolve()}|{st.st_size}|{int(st.st_mtime)}|{part}".encode())
    return h.hexdigest()[:12]


def probabilities(spec: str, pool: str, cfg, cache: Path) -> tuple[list[str], list[np.ndarray], list[np.ndarray], dict | None]:  # noqa: ANN001
    """(ids, float32 probability maps, labels, scene map) of one candidate on one pool, cached."""
    import contextlib

    import torch

    from fosp_core.train.data import iter_eval_samples, open_source, resize_for_eval
    from fosp_core.train.evaluate import predict_probability

    label, path = spec.split("=", 1)
    path, size = split_size(path)
    if size is not None and size != cfg.train.val_size:
        cfg = dataclasses.replace(cfg, train=dataclasses.replace(cfg.train, val_size=size))
    spec = f"{label}={path}"  # without its @N (also when N is the default size)
    group, index = POOLS[pool]
    if group == "pick":
        from fosp_core.train.config import DatasetSpec

        source = open_source(cfg, DatasetSpec(path="smoke5k-train", split="scene-pick"), "pick")
    else:
        spec_list = cfg.data.train if group == "train" else cfg.data.val
        source = open_source(cfg, spec_list[index], f"data.{group}.{index}")
    out = cache / f"{file_key(path)}-{pool}-{cfg.train.val_size}-f32.npz"
    if out.is_file():
        with np.load(out) as z:
            ids = [str(i) for i in z["ids"]]
            return ids, [z[f"p{i}"] for i in range(len(ids))], [z[f"l{i}"] for i in range(len(ids))], source.scene_of
    _, model = load_candidate(spec)
    ids, probs, labels = [], [], []
    start = time.monotonic()
    for _, sample in iter_eval_samples([source], 0):
        h, w = sample.mask.shape
        image = resize_for_eval(sample.image, cfg.train.val_size)
        prob = predict_probability(model, image, (h, w), torch.device("cpu"), contextlib.nullcontext)
        ids.append(sample.id)
        probs.append(prob.astype(np.float32))  # fp16 would move values near 0.5 across it
        labels.append(np.asarray(sample.mask, dtype=np.uint8))
        if len(ids) % 50 == 0:
            print(f"\r{label} {pool}: {len(ids)} images ({(time.monotonic() - start) / len(ids):.2f} s each)",
                  end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    arrays = {"ids": np.array(ids)}
    arrays.update({f"p{i}": p for i, p in enumerate(probs)})
    arrays.update({f"l{i}": m for i, m in enumerate(labels)})
    np.savez(tmp, **arrays)
    tmp.replace(out)
    return ids, probs, labels, source.scene_of


def split_size(path: str) -> tuple[str, int | None]:
    """(`FILE`, N) of a member `FILE@N` (its own input long side), or (`path`, None)."""
    head, sep, tail = path.rpartition("@")
    if sep and tail.isdigit():
        return head, int(tail)
    return path, None


def parse_veto(rest: str) -> tuple[str, str, float] | None:
    """(primary, veto, T) of `SPEC&SPEC>T`, or None when `rest` is not a veto."""
    if "&" not in rest:
        return None
    primary, _, second = rest.partition("&")
    veto, sep, threshold = second.rpartition(">")
    if not sep or not primary or not veto:
        raise SystemExit(f"a veto is SPEC&SPEC>T, got {rest!r}")
    try:
        t = float(threshold)
    except ValueError:
        raise SystemExit(f"a veto's T must be a number, got {threshold!r}") from None
    if not 0.0 <= t < 1.0:
        raise SystemExit(f"a veto's T must be in [0, 1), got {t}")
    return primary, veto, t


def ensemble_probabilities(spec: str, pool: str, cfg, cache: Path):  # noqa: ANN001, ANN201
    """`probabilities` of a candidate, the mean map of an ensemble `label=SPEC|SPEC[|...]`, or the
    first map where the second is above T for a veto `label=SPEC&SPEC>T`."""
    label, rest = spec.split("=", 1)
    veto = parse_veto(rest)
    members = [veto[0], veto[1]] if veto is not None else rest.split("|")
    if len(members) == 1:
        return probabilities(spec, pool, cfg, cache)
    found = [probabilities(f"{label}[{i}]={member}", pool, cfg, cache) for i, member in enumerate(members)]
    ids, _, labels, scene_of = found[0]
    for other in found[1:]:
        if other[0] != ids:
            raise SystemExit(f"{label}: the members saw different images on {pool}")
    if veto is not None:
        t = veto[2]
        probs = [np.where(found[1][1][k] > t, found[0][1][k], np.float32(0.0)).astype(np.float32)
                 for k in range(len(ids))]
    else:
        probs = [np.mean([f[1][k] for f in found], axis=0, dtype=np.float32) for k in range(len(ids))]
    return ids, probs, labels, scene_of


def score(ids, probs, labels, scene_of, rule: str) -> dict[str, float]:  # noqa: ANN001
    from fosp_core.metrics import MetricAccumulator
    from fosp_core.metrics.decision import apply_rule

    acc = MetricAccumulator("smokeseg", threshold=0.5, false_alarms=True, scene_of=scene_of)
    for sid, p, m in zip(ids, probs, labels, strict=True):
        acc.add(apply_rule(p.astype(np.float32), rule), m, sid)
    out = {}
    for split, row in acc.result().items():
        data = row.to_json()
        for key in ("f_beta", "precision", "recall", "far_fp", "crops_flagged", "crops_flagged_scenes", "n"):
            v = data.get(key)
            out[f"{split}/{key}"] = float("nan") if v is None else float(v)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidate", metavar="CANDIDATE")
    parser.add_argument("--pool", action="append", choices=sorted(POOLS), required=True)
    parser.add_argument("--rules", nargs="+", default=list(DEFAULT_RULES))
    parser.add_argument("--recipe", default="small-cpu")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=Path("~/.cache/fosp/probs").expanduser())
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="overrides",
                        help="recipe override (repeatable), e.g. train.val_size=448 (the network input's long side)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    import torch

    from fosp_core.train.config import load_config

    if not args.data.is_dir():
        raise SystemExit(f"data folder {args.data} not found (pass --data)")
    torch.set_num_threads(args.threads)
    cfg = load_config(args.recipe, [f"data.root={args.data.resolve()}", *args.overrides])
    results: dict[str, dict[str, dict[str, float]]] = {}
    for pool in args.pool:
        ids, probs, labels, scene_of = ensemble_probabilities(args.candidate, pool, cfg, args.cache)
        results[pool] = {}
        print(f"\n{pool} ({len(ids)} images, long side {cfg.train.val_size})\n")
        print("| rule | F_β | small | medium | large | far-FP % | crops flagged % | per scene % |")
        print("|---|---|---|---|---|---|---|---|")
        for rule in args.rules:
            r = score(ids, probs, labels, scene_of, rule)
            results[pool][rule] = r

            def pct(key: str, r: dict = r) -> str:
                v = r.get(key, float("nan"))
                return "–" if v != v else f"{100 * v:.1f}"

            print(f"| {rule} | {pct('total/f_beta')} | {pct('small/f_beta')} | {pct('medium/f_beta')} "
                  f"| {pct('large/f_beta')} | {100 * r['total/far_fp']:.2f} | {pct('total/crops_flagged')} "
                  f"| {pct('total/crops_flagged_scenes')} |",
                  flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
