"""Choose a run's checkpoint without touching the validation split.

    python bench/select_checkpoint.py CANDIDATE [CANDIDATE ...] [--data ../shared/data]
        [--dataset smokeseg-samples --split train] [--threads 2] [--json OUT]

A CANDIDATE is `label=FILE`: a FoSp `.safetensors`, or a saved training state (`last.pt`, or a copy
taken right after a validation) with `:raw` or `:average` after it for which of its weights; or
`label=FILE+FILE[+...]`, the uniform average of those weights (a "model soup": checkpoints
fine-tuned from one start, such as two continuations of the default, averaged tensor by tensor).
`--save-chosen OUT` writes the chosen candidate as a FoSp checkpoint (fp32).

Issue 11 says never to select on the validation images, so picking the best of a run's validated
checkpoints by their validation score is out. This scores every candidate on a **selection set**
that no run trains on and that is not part of the validation split: by default the 20 SmokeSeg
images of `smokeseg-samples/train.txt` (the recipes train on SMOKE5K only; the validation split is
the scene-held-out SMOKE5K photos plus `smokeseg-samples/val.txt`). It prints per-image F_β
(β² = 0.3, threshold 0.5, the app's inference path at input 512) by smoke size and names the best;
the chosen checkpoint's validation score is then an unbiased estimate. Twenty images are few: the
standard error of such a mean is several points, so a close call is a coin toss, and the table says
how close it was.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def open_validation(recipe: str, data: Path, threads: int, overrides: list[str] | None = None):
    """(config, validation sources) of `recipe` with `data.root = data` and `overrides` (KEY=VALUE,
    e.g. `train.val_size=448`), torch on `threads` threads; exits with a message when the data
    folder is missing."""
    import torch

    from fosp_core.train.config import load_config
    from fosp_core.train.data import open_sources

    if not data.is_dir():
        raise SystemExit(f"data folder {data} not found (pass --data)")
    torch.set_num_threads(threads)
    cfg = load_config(recipe, [f"data.root={data.resolve()}", *(overrides or [])])
    return cfg, open_sources(cfg, "val")


def open_selection_set(root: Path, split: str, threads: int):
    """The selection set's dataset (torch on `threads` threads), or None after a message when the
    folder is missing."""
    import torch

    from fosp_core.data.datasets import open_dataset

    torch.set_num_threads(threads)
    if not root.is_dir():
        print(f"selection set {root} not found (pass --data)", file=sys.stderr)
        return None
    return open_dataset(root, split)


def load_candidate(spec: str):
    """(label, nn.Module) from `label=FILE[:raw|:average][+FILE...]`."""
    if "=" not in spec:
        raise SystemExit(f"candidate {spec!r}: write it as label=FILE[:raw|:average][+FILE...]")
    label, rest = spec.split("=", 1)
    parts = [load_one(label, part) for part in rest.split("+")]
    model = parts[0]
    if len(parts) > 1:
        from fosp_core.train.export import uniform_soup

        try:
            model.load_state_dict(uniform_soup([m.state_dict() for m in parts]))
        except ValueError as exc:
            raise SystemExit(f"candidate {label}: {exc}") from None
    return label, model


def load_one(label: str, rest: str):
    """The nn.Module of one `FILE[:raw|:average]` (fp32, eval mode)."""
    from fosp_core.checkpoint import load_checkpoint
    from fosp_core.train.config import config_from_dict
    from fosp_core.train.export import model_of_state
    from fosp_core.train.state import load_state

    weights = "auto"
    if rest.endswith((":raw", ":average")):
        rest, weights = rest.rsplit(":", 1)
    path = Path(rest).expanduser()
    if not path.is_file():
        raise SystemExit(f"candidate {label}: {path} not found")
    if path.suffix == ".safetensors":
        return load_checkpoint(path).float().eval()
    state = load_state(path)
    cfg = config_from_dict(state["config"], source=str(path))
    return model_of_state(state, cfg, weights).float().eval()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidates", nargs="+", metavar="CANDIDATE")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--dataset", default="smokeseg-samples")
    parser.add_argument("--split", default="train")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path, default=None, help="write the scores here")
    parser.add_argument("--save-chosen", type=Path, default=None, metavar="OUT",
                        help="write the chosen candidate here (FoSp safetensors, fp32)")
    args = parser.parse_args()

    from fosp_core.infer import probability_fn
    from fosp_core.metrics.evaluate import evaluate

    dataset = open_selection_set(args.data / args.dataset, args.split, args.threads)
    if dataset is None:
        return 2
    root = dataset.root
    rows = []
    models = {}
    for spec in args.candidates:
        label, model = load_candidate(spec)
        models[label] = model
        result = evaluate(dataset, probability_fn(model, device="cpu"))
        t = {k: v.to_json() for k, v in result.tables.items()}
        rows.append((label, t))
        print(f"{label}: F_beta {100 * t['total']['f_beta']:.2f}", flush=True)
    print(f"\nselection set: {root.name}, split {args.split}, {len(dataset)} images\n")
    print("| candidate | F_β | small | medium | large | mIoU |")
    print("|---|---|---|---|---|---|")

    def pct(t: dict, split: str, key: str = "f_beta") -> str:
        v = t.get(split, {}).get(key)
        return "–" if v is None or not t[split].get("n") else f"{100 * v:.1f}"

    for label, t in rows:
        print(f"| {label} | {pct(t, 'total')} | {pct(t, 'small')} | {pct(t, 'medium')} | {pct(t, 'large')} "
              f"| {pct(t, 'total', 'miou')} |")
    best = max(rows, key=lambda r: r[1]["total"]["f_beta"])
    print(f"\nchosen: {best[0]}")
    if args.save_chosen:
        from fosp_core.checkpoint import save_checkpoint

        save_checkpoint(models[best[0]], args.save_chosen,
                        extra_metadata={"selected_from": [s.split("=", 1)[0] for s in args.candidates],
                                        "selection": best[0]})
        print(f"wrote {args.save_chosen}")
    if args.json:
        args.json.write_text(json.dumps({"selection_set": f"{root.name}[{args.split}]", "n": len(dataset),
                                         "scores": dict(rows), "chosen": best[0]}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
