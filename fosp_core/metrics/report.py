"""Print metric tables that name their protocol (plain ASCII, fits any terminal)."""

from __future__ import annotations

import math

from fosp_core.metrics.split_scores import SPLITS, SplitScores

__all__ = ["protocol_description", "format_table", "setting_text"]


def setting_text(value: float) -> str:
    """A threshold or τ as the app and the CLI print it: to the Model panel's step (0.001), at least
    2 decimals (0.5 -> "0.50", 0.487 -> "0.487"), so a label names the value the scores were made at."""
    text = f"{round(float(value), 3):.3f}"
    return text[:-1] if text.endswith("0") else text


def protocol_description(protocol: str, threshold: float = 0.5) -> str:
    """One line naming the protocol and how its numbers are computed."""
    if protocol == "smokeseg":
        return (f"protocol: smokeseg (paper Table 3; per-image means; smoke = prob > {threshold:g}; "
                "F_beta beta^2=0.3; mIoU = mean per-image smoke IoU; M = mean squared error; "
                "mIoU(2cls) alone pooled over the dataset's pixels)")
    if protocol == "sod":
        return ("protocol: sod (salient-object, paper Table 2 / Trans-BVM; F_beta beta^2=0.3 at the adaptive "
                "threshold min(2*mean,1) and max over 256 thresholds; M = mean absolute error)")
    raise ValueError(f"unknown protocol {protocol!r}")


def _pct(v: float | None) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{100 * v:.2f}"


def _m(v: float | None) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.4f}"


def format_table(results: dict[str, SplitScores], protocol: str, threshold: float = 0.5,
                 title: str | None = None) -> str:
    """The table of `MetricAccumulator.result()`: one row per split (total/small/medium/large),
    percentages except M; the first line names the protocol."""
    if protocol == "sod":
        header = ["split", "n", "F_beta(adp)", "F_beta(max)", "M(MAE)", "mIoU", "Prec.", "Recall", "F1"]
    else:
        header = ["split", "n", "F_beta", "mIoU", "M(MSE)", "Prec.", "Recall", "F1", "mIoU(2cls)"]
    extra = any(r.far_fp is not None for r in results.values())
    per_scene = any(r.crops_flagged_scenes is not None for r in results.values())
    if extra:
        header += ["far-FP", "crops>0.5%"]
    if per_scene:
        header += ["per scene"]
    rows = []
    for split in SPLITS:
        r = results.get(split)
        if r is None:
            continue
        if protocol == "sod":
            row = [split, str(r.n), _pct(r.f_beta), _pct(r.f_beta_max), _m(r.mse), _pct(r.miou),
                   _pct(r.precision), _pct(r.recall), _pct(r.f1)]
        else:
            row = [split, str(r.n), _pct(r.f_beta), _pct(r.miou), _m(r.mse), _pct(r.precision),
                   _pct(r.recall), _pct(r.f1), _pct(r.miou_2class)]
        if extra:
            row += [_pct(r.far_fp), _pct(r.crops_flagged)]
        if per_scene:
            row += [_pct(r.crops_flagged_scenes)]
        rows.append(row)
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    lines = []
    if title:
        lines.append(title)
    lines.append(protocol_description(protocol, threshold))
    lines.append("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(header, widths, strict=True))))
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    return "\n".join(lines)
