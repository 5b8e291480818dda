"""A greedy model soup (Wortsman et al. 2022, recipe 1), chosen on the selection set alone.

    python bench/greedy_soup.py RUN_DIR [RUN_DIR ...] --save OUT.safetensors [--json OUT.json]
        [--weights average|raw] [--data ../shared/data] [--dataset smokeseg-samples --split train]
        [--threads 2]

Every RUN_DIR's `last.pt` (its weight average by default) is an ingredient; they must be fine-tunes
of one start, of one architecture. Each is scored alone on the selection set (`bench/select_checkpoint.py`'s:
the 20 SmokeSeg train images that no recipe trains on, per-image F_β at threshold 0.5 through the
app's inference path); then, best first, an ingredient joins the soup when the uniform average of
the soup with it scores at least as well as the soup without it. The validation split is never
read: `bench/validate_checkpoint.py` reports the result.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.select_checkpoint import load_one, open_selection_set  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("runs", nargs="+", type=Path, metavar="RUN_DIR")
    parser.add_argument("--save", type=Path, required=True, metavar="OUT.safetensors")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--weights", choices=["average", "raw"], default="average")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--dataset", default="smokeseg-samples")
    parser.add_argument("--split", default="train")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import torch

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.infer import probability_fn
    from fosp_core.metrics.evaluate import evaluate
    from fosp_core.train.export import uniform_soup

    root = args.data / args.dataset
    dataset = open_selection_set(root, args.split, args.threads)
    if dataset is None:
        return 2
    missing = [r for r in args.runs if not (r / "last.pt").is_file()]
    if missing:
        print(f"no last.pt in {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    start = time.monotonic()
    model = None
    states: dict[str, dict[str, torch.Tensor]] = {}

    def score(state: dict[str, torch.Tensor]) -> float:
        model.load_state_dict(state)  # type: ignore[union-attr]
        result = evaluate(dataset, probability_fn(model, device="cpu"))
        return float(result.tables["total"].to_json()["f_beta"])

    alone: dict[str, float] = {}
    for run in args.runs:
        label = run.name
        m = load_one(label, f"{run / 'last.pt'}:{args.weights}")
        if model is None:
            model = m
        states[label] = {k: v.detach().clone() for k, v in m.state_dict().items()}
        alone[label] = score(states[label])
        print(f"{label}: F_beta {100 * alone[label]:.2f}  ({time.monotonic() - start:.0f} s)", flush=True)
    order = sorted(alone, key=lambda k: -alone[k])
    soup = [order[0]]
    best = alone[order[0]]
    trace = [{"ingredient": order[0], "alone": alone[order[0]], "soup": best, "added": True}]
    for label in order[1:]:
        trial = score(uniform_soup([states[k] for k in [*soup, label]]))
        added = trial >= best
        if added:
            soup.append(label)
            best = trial
        trace.append({"ingredient": label, "alone": alone[label], "soup": trial, "added": added})
        print(f"{'+' if added else ' '} {label}: alone {100 * alone[label]:.2f}, with the soup {100 * trial:.2f} "
              f"-> soup of {len(soup)}: {100 * best:.2f}", flush=True)
    model.load_state_dict(uniform_soup([states[k] for k in soup]))  # type: ignore[union-attr]
    save_checkpoint(model, args.save, extra_metadata={"greedy_soup": soup, "selection_set": f"{root.name}[{args.split}]",
                                                      "selection_f_beta": best})
    print(f"\ngreedy soup of {len(soup)} of {len(order)} ingredients, selection-set F_β {100 * best:.2f} "
          f"(best alone {100 * alone[order[0]]:.2f}); wrote {args.save} in {time.monotonic() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"selection_set": f"{root.name}[{args.split}]", "n": len(dataset),
                                         "soup": soup, "f_beta": best, "trace": trace}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
