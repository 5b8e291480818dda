"""Stage 34's step 6 (docs/training.md): the eight product-side settings on scene-val next to
their fit-side pick scores, and the rank correlation (Spearman) between the two, from the JSONs
that bench/stages/stage34.sh writes under ~/.cache/fosp. Chooses nothing."""
import json
from pathlib import Path

C = Path.home() / ".cache/fosp"
SETTINGS = [(w, n) for w in ("stage8-fit", "s14-fit") for n in (416, 448, 480, 512)]


def ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else float("nan")


def main() -> None:
    rows = []
    for w, n in SETTINGS:
        pick = json.loads((C / f"s34-{w}-{n}-pick.json").read_text())["pick"]["plain"]
        rep = json.loads((C / f"s34-report-{w}-{n}.json").read_text())
        val, seg = rep["val"]["plain"], rep["seg-val"]["plain"]
        rows.append((w, n, pick, val, seg))
    print("| fit weights ↔ product weights | input | pick F_β | pick crops | scene-val F_β | small | medium "
          "| large | far-FP | crops flagged | SmokeSeg val F_β |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for w, n, pick, val, seg in rows:
        product = "stage 8 (default)" if w == "stage8-fit" else "s32a soup"
        print(f"| `{w}` ↔ {product} | {n} | {100 * pick['total/f_beta']:.1f} | "
              f"{100 * pick['total/crops_flagged']:.1f} % | {100 * val['total/f_beta']:.1f} | "
              f"{100 * val['small/f_beta']:.1f} | {100 * val['medium/f_beta']:.1f} | "
              f"{100 * val['large/f_beta']:.1f} | {100 * val['total/far_fp']:.2f} % | "
              f"{100 * val['total/crops_flagged']:.1f} % | {100 * seg['total/f_beta']:.1f} |")
    for key, name in (("total/f_beta", "F_β"), ("total/crops_flagged", "crops flagged"),
                      ("total/far_fp", "far-FP")):
        rho = spearman([r[2][key] for r in rows], [r[3][key] for r in rows])
        print(f"\nSpearman, pick vs scene-val {name}: {rho:+.2f}")


if __name__ == "__main__":
    main()
