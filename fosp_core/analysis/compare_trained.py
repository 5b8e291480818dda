"""Compare Two Checkpoints on images a checkpoint was trained on: which rows, and the scores over the
others (`fosp_core.trained_on`). No Qt.

Each compared image gets a pair of verdicts (checkpoint A's, B's): True (trained on it), False
(held out) or None (unknown: the checkpoint records no training images). :func:`mark_text` is the
table's "trained on" cell, :func:`trained_summary_lines` the summary's account - how many images
each was trained on and the scores over the held-out rest (those neither checkpoint was trained
on) - and :func:`with_trained_columns` adds "trained on A" / "trained on B" to the comparison CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from fosp_core.analysis.compare import CompareRow, summarize, summary_lines
from fosp_core.analysis.compare_truth import ProjectTruth
from fosp_core.trained_on import TrainedImages, trained_on, trained_word

__all__ = ["Marks", "TRAINED_COLUMNS", "exported_digest", "image_verdicts", "mark_text", "trained_summary_lines",
           "with_trained_columns"]

#: image path -> (checkpoint A trained on it, checkpoint B trained on it); None: unknown.
Marks = Mapping[Path, tuple[bool | None, bool | None]]
#: The columns :func:`with_trained_columns` adds after the rows' own.
TRAINED_COLUMNS = ("trained on A", "trained on B")


def exported_digest(path: Path) -> str | None:
    """The digest (`fosp_core.trained_on.file_digest`'s) of the JPEG an export to SmokeSeg writes for
    the image at `path` when it re-encodes it (a PNG, a rotated JPEG: `fosp_core.data.smokeseg`), or
    None when the export copies the file's bytes (their digest is the file's) or it cannot be read."""
    from fosp_core.data.smokeseg import SmokeSegWriteError, exported_jpeg
    from fosp_core.io.images import ImageReadError, read_image
    from fosp_core.trained_on import bytes_digest

    try:
        data = exported_jpeg(read_image(path).rgb, path, path)
    except (ImageReadError, SmokeSegWriteError, OSError, ValueError):
        return None
    return None if data is None else bytes_digest(data)


def image_verdicts(known: tuple[TrainedImages | None, TrainedImages | None], path: Path,
                   truth: ProjectTruth | None = None) -> tuple[bool | None, bool | None]:
    """Whether checkpoint A and B (their fingerprints `known`) were trained on the image at `path`
    (`fosp_core.trained_on.trained_on`). An image whose project mask is its ground truth (`truth`)
    counts as trained on also when the JPEG an export to SmokeSeg writes for it is among the training
    images (`exported_digest`): a fine-tune on the project's export trained on that JPEG, not on the
    file. An export resized to N x N is not recognised (held out then means: not as exported as is)."""
    pair = [trained_on(k, [path])[0] for k in known]
    if truth is not None and truth.status_of(path) is not None and any(
            v is not True and k is not None for v, k in zip(pair, known, strict=True)):
        digest = exported_digest(path)
        if digest is not None:
            pair = [True if k is not None and v is not True and k.verdict(digest) else v
                    for v, k in zip(pair, known, strict=True)]
    return pair[0], pair[1]


def mark_text(pair: tuple[bool | None, bool | None] | None, names: tuple[str, str] = ("A", "B")) -> str:
    """The table cell: "B", "A, B" (trained on by those), "no" (held out of both), "?" (unknown)."""
    if pair is None:
        return "?"
    trained = [name for name, verdict in zip(names, pair, strict=True) if verdict]
    if trained:
        return ", ".join(trained)
    return "no" if all(v is False for v in pair) else "?"


def _trained(marks: Marks, row: CompareRow) -> bool:
    return any(marks.get(row.path) or (None, None))


def trained_summary_lines(rows: Sequence[CompareRow], marks: Marks,
                          names: tuple[str, str] = ("A", "B")) -> list[str]:
    """The summary's lines on training images (none when no row was trained on): how many images
    each checkpoint was trained on, then `summary_lines` over the held-out rows. A checkpoint that
    records no training images is unknown on every image: held out then means of the other's."""
    ok = [r for r in rows if not r.error]
    recorded = [any((marks.get(r.path) or (None, None))[i] is not None for r in ok) for i in (0, 1)]
    counts = [sum(1 for r in ok if (marks.get(r.path) or (None, None))[i]) for i in (0, 1)]
    if not any(counts):
        return []
    said = ", ".join(f"{name} on {n}" for name, n in zip(names, counts, strict=True) if n)
    lines = [f"Trained on {sum(1 for r in ok if _trained(marks, r))} of these {len(ok)} images ({said}): "
             "their scores flatter the model."]
    unrecorded = [name for name, known in zip(names, recorded, strict=True) if not known]
    held = [r for r in ok if not _trained(marks, r)]
    # a checkpoint that records its images but cannot tell for some held-out ones (a fine-tune of the
    # shipped default: the default's own training images are not recorded, they may be among them)
    unsure = {name: n for i, (name, known) in enumerate(zip(names, recorded, strict=True))
              if known and (n := sum(1 for r in held if (marks.get(r.path) or (None, None))[i] is None))}
    if unrecorded:
        lines.append(f"{' and '.join(unrecorded)} records no training images"
                     + ("." if unsure else f": held out below means held out of "
                        f"{' and '.join(n for n in names if n not in unrecorded)}'s."))
    lines += [f"{name} cannot tell for {n} of the other image{'s' * (n != 1)} (not every image it was trained on "
              f"is recorded: a fine-tune's starting weights' are not): held out below means not among the images "
              f"{name} records." for name, n in unsure.items()]
    if not held:
        return [*lines, "Held out: no image."]
    inner = summary_lines(summarize(held), names)
    return [*lines, f"Held out: {inner[0]}", *inner[1:]]


def with_trained_columns(text: str, marks: Marks, after: str = "error") -> str:
    """Comparison CSV `text` (`compare_report.compare_csv`) with :data:`TRAINED_COLUMNS` inserted
    after its column `after`: "yes", "no", or empty (unknown) for each row's image."""
    table = list(csv.reader(io.StringIO(text)))
    if not table:
        return text
    head = table[0]
    at = head.index(after) + 1 if after in head else len(head)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(head[:at] + list(TRAINED_COLUMNS) + head[at:])
    for cells in table[1:]:
        pair = marks.get(Path(cells[0])) or (None, None)
        w.writerow(cells[:at] + [trained_word(pair[0]), trained_word(pair[1])] + cells[at:])
    return out.getvalue()
