"""`fosp eval --per-image FILE.csv`: every image's scores, the numbers the app's "this image" row shows.

One row per (source, image) in the dataset's order: the checkpoint (or predictions folder) as the
table's title names it, the image id, its size bucket, the smoke ratio δ of its label, and the
protocol's per-image scores as fractions with every digit (the table's rows are their means over
images; ``mIoU`` is the mean of ``iou``). ``m`` is the protocol's M: the squared error between the
probability and the label for smokeseg, the absolute error for sod. Images left out (all-ignore
labels, skipped files) have no row. ``trained_on`` says whether the checkpoint was trained on the
image ("yes" / "no"; empty: unknown, e.g. a checkpoint that records no training images, or
predictions), as :mod:`fosp_core.trained_on` reads its metadata.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from fosp_core.metrics.evaluate import EvalResult
from fosp_core.trained_on import trained_word

__all__ = ["PER_IMAGE_COLUMNS", "per_image_csv"]

#: The columns of the per-image CSV, in order.
PER_IMAGE_COLUMNS = ("source", "id", "bucket", "delta", "f_beta", "iou", "precision", "recall", "f1", "m",
                     "trained_on")


def per_image_csv(results: Sequence[tuple[str, EvalResult]],
                  trained: Sequence[Mapping[str, bool | None]] | None = None) -> str:
    """CSV text of the per-image records of each (source name, result), in order; `trained`: per
    result, {image id: trained on} (`fosp_core.cli.eval_trained.image_verdicts`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PER_IMAGE_COLUMNS)
    for i, (source, result) in enumerate(results):
        m_key = "mse" if result.protocol == "smokeseg" else "mae"
        said = trained[i] if trained is not None else {}
        for record in result.images:
            writer.writerow([source, record["id"], record["bucket"], repr(float(record["delta"])),
                             *(repr(float(record[k])) for k in ("f_beta", "iou", "precision", "recall", "f1", m_key)),
                             trained_word(said.get(record["id"]))])
    return out.getvalue()
