"""Every default candidate on one chart: F_β against the smoke-free crops it flags (issue 11's two goals).

    python bench/plot_frontier.py --add "stage 14=~/.cache/fosp/stage14-soup.json" [--key LABEL]
        [--note "hard negatives 0.30 + positives 0.15"] [--shipped]
    python bench/plot_frontier.py                     # redraw from the committed table

Each candidate's scores come from the JSON `bench/validate_checkpoint.py --json` wrote for it (the
validation of record: fp32, the original photos); `--key` picks one entry of a file that holds
several. They are appended to `docs/training-candidates.csv` (committed: the validation files live
outside the work tree), and `docs/images/false-alarm-frontier.png` is drawn from that table: scene-val
F_β against the share of smoke-free crops flagged, the goal region (F_β ≥ 50, crops < 5 %) shaded,
the shipped defaults marked, each point labelled. A point up and to the left of another is better on
both goals; the chart shows which changes move the trade-off and which only slide along it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CSV = ROOT / "docs" / "training-candidates.csv"
PNG = ROOT / "docs" / "images" / "false-alarm-frontier.png"
SCENE = "smoke5k-train[scene-val]/"
SEG = "smokeseg-samples[val]/total/f_beta"
FIELDS = ("label", "note", "shipped", "f_beta", "small", "medium", "large", "precision", "recall",
          "far_fp", "crops_flagged", "crops_flagged_scenes", "f_beta_smokeseg_val")
GOAL_FBETA = 50.0
GOAL_CROPS = 5.0


def read_rows() -> list[dict[str, str]]:
    if not CSV.is_file():
        return []
    with CSV.open(newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(rows: list[dict[str, str]]) -> None:
    tmp = CSV.with_suffix(".csv.tmp")
    with tmp.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, CSV)


def scores_row(label: str, path: Path, key: str | None, note: str, shipped: bool) -> dict[str, str]:
    """One table row from a validate_checkpoint JSON ({label: metrics}); percentages, one decimal."""
    data = json.loads(path.expanduser().read_text())
    if key is None:
        if len(data) != 1:
            raise SystemExit(f"{path} holds {sorted(data)}: pick one with --key")
        key = next(iter(data))
    if key not in data:
        raise SystemExit(f"{path} has no entry {key!r} (it has {sorted(data)})")
    m = data[key]

    def pct(name: str, digits: int = 1) -> str:
        value = m.get(name)
        if value is None or value != value:
            return ""
        return f"{100 * value:.{digits}f}"

    return {
        "label": label, "note": note, "shipped": "yes" if shipped else "",
        "f_beta": pct(SCENE + "total/f_beta"), "small": pct(SCENE + "small/f_beta"),
        "medium": pct(SCENE + "medium/f_beta"), "large": pct(SCENE + "large/f_beta"),
        "precision": pct(SCENE + "total/precision"), "recall": pct(SCENE + "total/recall"),
        "far_fp": pct(SCENE + "total/far_fp", 2), "crops_flagged": pct(SCENE + "total/crops_flagged"),
        "crops_flagged_scenes": pct(SCENE + "total/crops_flagged_scenes"),
        "f_beta_smokeseg_val": pct(SEG),
    }


def plot(rows: list[dict[str, str]]) -> None:
    import pyqtgraph as pg

    from bench.plot_training import chart_window, export_png

    points = [r for r in rows if r["f_beta"] and r["crops_flagged"]]
    if not points:
        raise SystemExit(f"no candidates in {CSV}; add one with --add")
    win = chart_window(1000, 680)
    plot = win.addPlot(title=f"default-model candidates (fosp-s, 2 CPU cores); goal: F_β ≥ {GOAL_FBETA:.0f} "
                                 f"with under {GOAL_CROPS:.0f} % of smoke-free crops flagged")
    for axis in ("left", "bottom"):
        plot.getAxis(axis).enableAutoSIPrefix(False)
    xs = [float(r["crops_flagged"]) for r in points]
    ys = [float(r["f_beta"]) for r in points]
    x_hi = max(xs + [GOAL_CROPS]) * 1.15
    y_lo, y_hi = min(ys) - 3.0, max(ys + [GOAL_FBETA]) + 3.0
    plot.addLegend(offset=(-10, -10))
    goal = pg.PlotDataItem([0, GOAL_CROPS], [y_hi, y_hi], fillLevel=GOAL_FBETA, pen=None,
                           brush=pg.mkBrush(185, 224, 185, 200),
                           name="the issue's goal")
    plot.addItem(goal)
    shipped = [(x, y) for r, x, y in zip(points, xs, ys, strict=True) if r["shipped"] == "yes"]
    others = [(x, y) for r, x, y in zip(points, xs, ys, strict=True) if r["shipped"] != "yes"]
    if others:
        plot.plot([p[0] for p in others], [p[1] for p in others], pen=None, symbol="o", symbolSize=9,
                  symbolBrush=(44, 93, 138), symbolPen=None, name="candidate, not shipped")
    if shipped:
        plot.plot([p[0] for p in shipped], [p[1] for p in shipped], pen=None, symbol="star", symbolSize=16,
                  symbolBrush=(192, 57, 43), symbolPen=None, name="shipped as the default")
    for row, x, y in zip(points, xs, ys, strict=True):
        label = pg.TextItem(row["label"], color=(40, 40, 40), anchor=(-0.08, 1.0))
        plot.addItem(label)
        label.setPos(x, y)
    plot.setXRange(0, x_hi, padding=0)
    plot.setYRange(y_lo, y_hi, padding=0)
    plot.setLabel("bottom", "smoke-free crops flagged, % (scene-val photos)")
    plot.setLabel("left", "per-image F_β, scene-val (β² = 0.3, threshold 0.5)")
    plot.showGrid(x=True, y=True, alpha=0.2)
    export_png(win, PNG, 1000)
    print(f"wrote {PNG.relative_to(ROOT)} ({len(points)} candidates)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--add", metavar="LABEL=JSON", help="append a candidate's scores to the table")
    parser.add_argument("--key", help="the entry of the JSON to read (when it holds several)")
    parser.add_argument("--note", default="", help="what the candidate is, in a few words")
    parser.add_argument("--shipped", action="store_true", help="the candidate became the default")
    args = parser.parse_args()
    rows = read_rows()
    if args.add:
        label, sep, path = args.add.partition("=")
        if not sep or not label or not path:
            raise SystemExit("--add takes LABEL=JSON")
        if any(r["label"] == label for r in rows):
            raise SystemExit(f"{label!r} is already in {CSV.relative_to(ROOT)}")
        rows.append(scores_row(label, Path(path), args.key, args.note, args.shipped))
        write_rows(rows)
        print(f"added {label} to {CSV.relative_to(ROOT)}")
    plot(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
