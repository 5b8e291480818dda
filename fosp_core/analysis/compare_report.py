"""What a comparison of two checkpoints ran, in words and as a self-describing CSV. No Qt.

:class:`CompareRequest` is what Analysis ▸ Compare Two Checkpoints asks for: two checkpoints, the
images, and the Model panel's decision settings (device, precision, input, threshold, Regions, Focus τ).
:func:`compare_csv` writes the rows of :func:`fosp_core.analysis.compare.rows_to_csv` followed by
columns naming that request (checkpoint A and B with their variants, the images, the settings, when
it ran), the same on every row, so a CSV saved on Monday still says on Friday what it compares and
loads as is in pandas (``pd.read_csv(path)``), Excel or ``csv.DictReader``: no comment lines to
skip, and files of several comparisons can be concatenated. Checkpoints are named by their path, as
``fosp eval --checkpoint`` names them; the regions rule is spelled as ``fosp eval --keep`` takes it.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fosp_core import __version__
from fosp_core.analysis.compare import CompareRow, rows_to_csv
from fosp_core.analysis.compare_truth import ProjectTruth
from fosp_core.analysis.settings import (
    DEFAULT_INPUT_SIZE,
    INPUT_CHOICES,
    KEEP_CHOICES,
    keep_words,
    predictor_input,
)
from fosp_core.metrics.report import setting_text

__all__ = ["SCOPES", "SETUP_COLUMNS", "CompareRequest", "compare_csv", "compare_csv_name", "image_folder",
           "input_text", "settings_text"]

#: The images a comparison runs on, by `CompareRequest.labelled_only`.
SCOPES: dict[bool, str] = {False: "all open images", True: "only images with a ground truth"}

#: The columns :func:`compare_csv` adds after the rows' own, in this order.
SETUP_COLUMNS = ("checkpoint A", "checkpoint B", "variant A", "variant B", "images", "image folder", "input",
                 "input size", "threshold", "regions", "tau", "device", "precision", "compared at",
                 "fosp_core version")


@dataclass(frozen=True)
class CompareRequest:
    """What to compare: two checkpoints on some images, as the analysis view would run them.

    input: the Model panel's input choice (:data:`~fosp_core.analysis.settings.INPUT_CHOICES`) with
    `input_size` its size in pixels; keep: its Regions rule (a :mod:`fosp_core.metrics.decision` rule);
    labelled_only: skip the images without a ground truth; tau: the Focus threshold both run at (the
    panel's τ, as ``fosp eval --tau``), None = each checkpoint's own; truth: the annotation projects'
    masks that are ground truth where an image has no dataset label
    (:class:`~fosp_core.analysis.compare_truth.ProjectTruth`; None: dataset labels only).
    """

    paths: tuple[Path, ...]
    checkpoint_a: Path
    checkpoint_b: Path
    device: str = "auto"
    precision: str = "fp32"
    threshold: float = 0.5
    input_size: int = 512
    labelled_only: bool = False
    input: str = "default"
    keep: str = "plain"
    tau: float | None = None
    truth: ProjectTruth | None = None


def input_text(choice: str, input_size: int = DEFAULT_INPUT_SIZE) -> str:
    """What the network sees, in words: "512 px, as trained", "384 px", "512 px tiles, full resolution"
    (the size the run used, not the choice's usual one)."""
    try:
        size = int(predictor_input(choice, input_size)["input_size"])
    except ValueError:
        return choice
    if choice == "tiled":
        return f"{size} px tiles, full resolution"
    if choice == "default" and size != DEFAULT_INPUT_SIZE:
        return f"{size} px"
    return dict(INPUT_CHOICES).get(choice, f"{size} px")


def settings_text(input: str, input_size: int, threshold: float, keep: str, tau: float | None = None) -> str:
    """The decision settings of a comparison in words: "512 px, as trained, mask threshold 0.50,
    regions with a core above 0.7" (the rule in :func:`~fosp_core.analysis.settings.keep_words`'s words,
    "all regions" for none), then ", τ 0.30" when a Focus threshold `tau` is given."""
    regions = keep_words(keep) or dict(KEEP_CHOICES)["plain"].lower()
    focus = "" if tau is None else f", τ {setting_text(tau)}"
    return f"{input_text(input, input_size)}, mask threshold {setting_text(threshold)}, {regions}{focus}"


def image_folder(paths: Sequence[Path]) -> str:
    """The folder holding all the images (their deepest common one), or "" when they share none."""
    if not paths:
        return ""
    try:
        return os.path.commonpath([str(Path(p).absolute().parent) for p in paths])
    except ValueError:  # different drives, or relative and absolute mixed
        return ""


def compare_csv(rows: Sequence[CompareRow], request: CompareRequest, variants: tuple[str, str] = ("", ""),
                started: datetime | None = None, scope: str | None = None) -> str:
    """The rows as CSV text (:func:`~fosp_core.analysis.compare.rows_to_csv`'s columns), then the
    :data:`SETUP_COLUMNS` naming `request` on every row: "image folder" is the folder of the rows'
    images (those a labelled-only run left out do not count). variants: the model variant of checkpoint
    A and B ("" where unknown); started: when the comparison ran (ISO 8601 to the second). "tau" is
    empty when each checkpoint ran at its own τ. scope: the "images" cell (default :data:`SCOPES`' words,
    the dialog's; ``fosp compare`` says which images its command line gave)."""
    table = list(csv.reader(io.StringIO(rows_to_csv(rows))))
    try:
        size = str(predictor_input(request.input, request.input_size)["input_size"])
    except ValueError:
        size = str(request.input_size)
    setup = [str(request.checkpoint_a.absolute()), str(request.checkpoint_b.absolute()), variants[0], variants[1],
             SCOPES[bool(request.labelled_only)] if scope is None else scope, image_folder([r.path for r in rows] or request.paths),
             input_text(request.input, request.input_size), size, f"{request.threshold:g}", request.keep,
             "" if request.tau is None else f"{request.tau:g}", request.device, request.precision,
             started.isoformat(timespec="seconds") if started else "", __version__]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(table[0] + list(SETUP_COLUMNS))
    for cells in table[1:]:
        w.writerow(cells + setup)
    return out.getvalue()


def compare_csv_name(request: CompareRequest) -> str:
    """A file name for the CSV that names both checkpoints: "compare_start_vs_model.csv"; with the same
    file name twice (two runs' best.safetensors, or fine-tunes from before they were named after
    their run: model.safetensors), their folders name them."""
    a, b = request.checkpoint_a, request.checkpoint_b
    names = (a.stem, b.stem) if a.stem != b.stem else (f"{a.parent.name}-{a.stem}", f"{b.parent.name}-{b.stem}")
    return f"compare_{names[0]}_vs_{names[1]}.csv"
