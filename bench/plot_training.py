"""Training curves of the default model, across the stages it was trained in, as a PNG for the card.

    python bench/plot_training.py --append RUN_DIR [--stage "stage 4"]   # add a finished stage
    python bench/plot_training.py --append RUN_DIR --soup RUN_DIR ... --scores JSON --stage "stage 8"
    python bench/plot_training.py                                          # redraw from the CSV

The run folders live outside the work tree and may not survive a new machine, so each stage's
curve is appended to `docs/training-curves.csv` (committed; iterations counted from the first
stage), and the plot `docs/images/training-curves.png` is drawn from that file: training loss
(raw, and an exponential moving average) and the per-image F_β on the scene-held-out validation
split and on the SmokeSeg val images, with the stage boundaries marked. A stage that shipped a
uniform soup of several runs (`fosp train-export RUN --soup RUN ...`) is drawn as the runs' mean
training loss and one validation point at its end: the soup's scores, as
`bench/validate_checkpoint.py --json` measured them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "docs" / "training-curves.csv"
PNG = ROOT / "docs" / "images" / "training-curves.png"
FIELDS = ("stage", "iter", "loss", "lr", "fbeta_scene_val", "fbeta_smokeseg_val", "far_fp", "crops_flagged")
VAL = "smoke5k-train[scene-val]/total/"
SEG = "smokeseg-samples[val]/total/f_beta"


def read_rows() -> list[dict[str, str]]:
    if not CSV.is_file():
        return []
    with CSV.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _records(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines() if line.strip()]


def soup_records(runs: list[Path], scores: dict) -> list[dict]:
    """One record list for a soup of `runs`: the mean training loss of the runs at each logged
    iteration they share, then the soup's measured `scores` as a validation at the last one."""
    logs = [{int(r["iter"]): r for r in _records(run) if r.get("type") == "train"} for run in runs]
    shared = sorted(set.intersection(*(set(log) for log in logs)))
    if not shared:
        raise SystemExit("the runs of the soup share no logged iteration")
    out = [{"type": "train", "iter": it, "loss": sum(log[it]["loss"] for log in logs) / len(logs),
            "lr": logs[0][it].get("lr", "")} for it in shared]
    return [*out, {"type": "val", "iter": shared[-1], **scores}]


def append_run(run: Path, stage: str, records: list[dict] | None = None) -> int:
    """Append a run's train/val records (or the given ones) to the CSV, offset after the last
    iteration already there."""
    rows = read_rows()
    if any(r["stage"] == stage for r in rows):
        raise SystemExit(f"stage {stage!r} is already in {CSV}")
    offset = max((int(r["iter"]) for r in rows), default=0)
    added = 0
    for rec in records if records is not None else _records(run):
        it = offset + int(rec.get("iter", 0))
        if rec.get("type") == "train":
            lr = rec.get("lr", {})
            lr_value = lr.get("backbone", "") if isinstance(lr, dict) else lr
            rows.append({"stage": stage, "iter": str(it), "loss": f"{rec['loss']:.5f}", "lr": f"{lr_value}",
                         "fbeta_scene_val": "", "fbeta_smokeseg_val": "", "far_fp": "", "crops_flagged": ""})
            added += 1
        elif rec.get("type") == "val" and f"{VAL}f_beta" in rec:
            rows.append({"stage": stage, "iter": str(it), "loss": "", "lr": "",
                         "fbeta_scene_val": f"{rec[VAL + 'f_beta']:.5f}",
                         "fbeta_smokeseg_val": f"{rec.get(SEG) or 0:.5f}",
                         "far_fp": f"{rec.get(VAL + 'far_fp', 0):.5f}",
                         "crops_flagged": f"{rec.get(VAL + 'crops_flagged', 0):.5f}"})
            added += 1
    tmp = CSV.with_suffix(".csv.tmp")
    with tmp.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, CSV)
    return added


def chart_window(width: int, height: int):  # noqa: ANN201 (pyqtgraph's GraphicsLayoutWidget)
    """An offscreen pyqtgraph layout on a white background, for charts saved as PNG (`export_png`)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    win = pg.GraphicsLayoutWidget()
    win.resize(width, height)
    return win


def export_png(win, out: Path, width: int) -> None:  # noqa: ANN001
    """Lay `win` out and write it to `out` (a temporary file, then renamed: never a half-written PNG)."""
    import pyqtgraph.exporters
    from PySide6.QtWidgets import QApplication

    win.show()
    for _ in range(3):
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    exporter = pyqtgraph.exporters.ImageExporter(win.scene())
    exporter.parameters()["width"] = width
    tmp = out.with_name(out.stem + ".tmp.png")
    exporter.export(str(tmp))
    os.replace(tmp, out)


def plot(out: Path) -> None:
    import numpy as np
    import pyqtgraph as pg

    rows = read_rows()
    if not rows:
        raise SystemExit(f"{CSV} is empty: append a run first (--append RUN_DIR)")
    win = chart_window(1100, 700)
    train = [(int(r["iter"]), float(r["loss"])) for r in rows if r["loss"]]
    it = np.array([t[0] for t in train], dtype=float)
    loss = np.array([t[1] for t in train])
    ema = np.empty_like(loss)
    acc = loss[0]
    for k, v in enumerate(loss):
        acc = 0.9 * acc + 0.1 * v
        ema[k] = acc
    boundaries: list[tuple[int, str]] = []
    for r in rows:
        if not boundaries or boundaries[-1][1] != r["stage"]:
            boundaries.append((int(r["iter"]), r["stage"]))

    p1 = win.addPlot(row=0, col=0, title="training loss (Eq. 8-9), fosp-s from random weights, 2 CPU cores")
    p1.getAxis("left").enableAutoSIPrefix(False)  # before plotting: a loss of 0.2 must not read "200" (milli)
    p1.plot(it, loss, pen=pg.mkPen((170, 190, 220), width=1))
    p1.plot(it, ema, pen=pg.mkPen((30, 80, 160), width=2), name="EMA")
    p1.setLabel("left", "loss")
    p1.showGrid(x=True, y=True, alpha=0.3)
    p2 = win.addPlot(row=1, col=0, title="per-image F_β (β² = 0.3, threshold 0.5) on images never trained on")
    p2.getAxis("left").enableAutoSIPrefix(False)
    p2.addLegend(offset=(10, 10))
    val = [r for r in rows if r["fbeta_scene_val"]]
    vit = np.array([int(r["iter"]) for r in val], dtype=float)
    for key, colour, name in (("fbeta_scene_val", (200, 60, 40), "scene-held-out SMOKE5K val (164)"),
                              ("fbeta_smokeseg_val", (40, 140, 60), "SmokeSeg val")):
        ys = np.array([100 * float(r[key]) for r in val])
        p2.plot(vit, ys, pen=pg.mkPen(colour, width=2), symbol="o", symbolBrush=colour, symbolSize=7, name=name)
    p2.setLabel("left", "F_β")
    p2.setLabel("bottom", "iteration (batch 8)")
    p2.showGrid(x=True, y=True, alpha=0.3)
    p2.setXLink(p1)
    for start, stage in boundaries[1:]:
        for p in (p1, p2):
            p.addItem(pg.InfiniteLine(start, angle=90, pen=pg.mkPen((120, 120, 120), style=pg.QtCore.Qt.PenStyle.DashLine)))
        label = pg.TextItem(stage, color=(90, 90, 90), anchor=(0, 0))
        p1.addItem(label)
        label.setPos(start, float(loss.max()))
    first = pg.TextItem(boundaries[0][1], color=(90, 90, 90), anchor=(0, 0))
    p1.addItem(first)
    first.setPos(0, float(loss.max()))
    p1.setXRange(0, float(it.max()) * 1.04, padding=0)
    p2.setYRange(0, max(50.0, float(np.nanmax([100 * float(r["fbeta_scene_val"]) for r in val])) + 5), padding=0)
    export_png(win, out, 1100)
    print(f"wrote {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--append", type=Path, help="a finished run folder to add as the next stage")
    parser.add_argument("--stage", default="", help="its label (default: the run folder's name)")
    parser.add_argument("--soup", type=Path, action="append", default=[], metavar="RUN_DIR",
                        help="with --append: more runs whose uniform soup was shipped (repeatable)")
    parser.add_argument("--scores", type=Path, default=None,
                        help="with --soup: the soup's scores ({label: metrics}, bench/validate_checkpoint.py --json)")
    parser.add_argument("--out", type=Path, default=PNG)
    args = parser.parse_args()
    if args.soup and args.scores is None:
        print("--soup needs --scores (no run validated the soup itself)", file=sys.stderr)
        return 2
    if args.append:
        for run in [args.append, *args.soup]:
            if not (run / "log.jsonl").is_file():
                print(f"{run} has no log.jsonl", file=sys.stderr)
                return 2
        records = None
        if args.soup:
            scores = json.loads(args.scores.read_text())
            if len(scores) != 1:
                print(f"{args.scores}: expected the scores of one candidate", file=sys.stderr)
                return 2
            records = soup_records([args.append, *args.soup], next(iter(scores.values())))
        n = append_run(args.append, args.stage or args.append.name, records)
        print(f"appended {n} records from {args.append}")
    plot(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
