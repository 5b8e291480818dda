"""Stage 34's rule 4 (docs/training.md), applied mechanically to the pick-pool JSONs that
bench/stages/stage34.sh writes under ~/.cache/fosp; writes the choice to s34-chosen.txt there."""
import json
from pathlib import Path

C = Path.home() / ".cache/fosp"
rows = []
for w in ("stage8-fit", "s14-fit"):
    for n in (416, 448, 480, 512):
        f = C / f"s34-{w}-{n}-pick.json"
        if not f.is_file():
            print("missing", f)
            continue
        r = json.loads(f.read_text())["pick"]["plain"]
        rows.append((w, n, 100 * r["total/f_beta"], 100 * r["small/f_beta"], 100 * r["total/crops_flagged"],
                     100 * r["total/far_fp"]))
print("| weights | input | pick F_β | small | crops flagged | far-FP |\n|---|---|---|---|---|---|")
for w, n, fb, sm, cr, ff in rows:
    print(f"| `{w}` | {n} | {fb:.1f} | {sm:.1f} | {cr:.1f} % | {ff:.2f} % |")
base = [r for r in rows if r[0] == "stage8-fit" and r[1] == 512]
if len(rows) < 8 or not base:
    raise SystemExit("not every setting is scored: no choice")
bar = base[0][2] - 1.0
ok = [r for r in rows if r[2] >= bar - 1e-9]
best = sorted(ok, key=lambda r: (round(r[4], 6), -r[2]))[0]
print(f"\nF_β bar {bar:.2f} (stage8-fit at 512 less 1.0); qualifying: {[(r[0], r[1]) for r in ok]}")
(C / "s34-chosen.txt").write_text(f"{best[0]} {best[1]}\n")
if best[0] == "stage8-fit" and best[1] == 512:
    print("chosen: stage8-fit at 512: nothing changes, nothing is validated")
else:
    product = "stage 8 (the default)" if best[0] == "stage8-fit" else "the soup of s32a-s0..s3"
    print(f"chosen: {best[0]} at {best[1]} -> validate {product} at input {best[1]}")
