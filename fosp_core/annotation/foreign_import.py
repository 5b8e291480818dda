"""Importing labels made in other tools (`fosp_core.annotation.foreign_labels`) into a project as
starting masks, as `project_import.import_labels` does for PNG masks.

An image of the source is matched to the project's image of the same file name, or else of the same
stem, without case and whatever folders its path names (written on another computer maybe); a
labelme file also by its ``imagePath``. Its mask is drawn at the project image's size: a source
image labelled at another size is not taken (`ImportReport.failed`), nor one whose name matches
several images of the project. Images of the source that are not in the project are listed
(`ForeignImportReport.unmatched`). Images already edited or reviewed keep their masks unless
`overwrite`. The labels are chosen before any mask is written (`choose_labels`).

A source image with no shape of a smoke label (a labelme file with no shapes, or only other labels'; a
COCO or CVAT image without annotations) is imported as an empty mask: in labelme, CVAT and COCO an
image whose annotator found no object has a file or an entry and no shape, and an empty mask is
the "no smoke here" a SmokeSeg dataset holds for it. It is imported as any other (status edited, see
`fosp_core.annotation.import_loop`), and it is said: `ForeignImportReport.no_smoke` lists them and `no_smoke_note` says how
many, in the app's summary and the command line's output (an import meant for another label
shows up there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.foreign_shapes import ForeignImage, ForeignLabels, choose_labels, file_stem, render
from fosp_core.annotation.import_loop import IMPORTED_STATUS, CancelCheck, Progress, write_masks
from fosp_core.annotation.labels import ImportReport
from fosp_core.io.images import ImageReadError, read_size

if TYPE_CHECKING:
    from fosp_core.annotation.import_target import ImportTarget

__all__ = ["ForeignImportReport", "import_foreign", "match_images", "no_smoke_note"]


@dataclass
class ForeignImportReport(ImportReport):
    """`ImportReport` of a labelme/COCO/CVAT source, with its `format`, the labels taken as smoke
    and as ignore (255), the names of its images that are not in the project (`unmatched`),
    `notes` on shapes left out (no area) and the images imported as empty masks: no shape of a
    smoke label (`no_smoke`, image ids)."""

    format: str = ""
    smoke_labels: list[str] = field(default_factory=list)
    ignore_labels: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    no_smoke: list[str] = field(default_factory=list)


def no_smoke_note(report: ImportReport) -> str | None:
    """One line on the masks imported empty (no smoke shape in the source), None when there are none."""
    empty = getattr(report, "no_smoke", [])
    if not empty:
        return None
    names = ", ".join(empty[:5]) + (", ..." if len(empty) > 5 else "")
    return (f"{len(empty)} of the {len(report.imported)} images imported have no shape labelled "
            f"{' or '.join(getattr(report, 'smoke_labels', [])) or 'as smoke'} in the source: imported as empty "
            f"masks, no smoke ({names})")


def _base(name: str) -> str:
    return name.replace("\\", "/").rstrip("/").rpartition("/")[2].casefold()


def match_images(entries: Iterable[ImageEntry], images: Iterable[ForeignImage],
                 ) -> tuple[dict[str, ForeignImage], list[str], list[tuple[str, str]]]:
    """({image id: its source image}, names of source images matching none, (name or id, reason)
    of those that cannot be taken: matching several images, or an image matched already)."""
    by_name: dict[str, list[ImageEntry]] = {}
    by_stem: dict[str, list[ImageEntry]] = {}
    for entry in entries:
        by_name.setdefault(_base(entry.image), []).append(entry)
        by_stem.setdefault(file_stem(entry.image).casefold(), []).append(entry)
    matched: dict[str, ForeignImage] = {}
    unmatched: list[str] = []
    failed: list[tuple[str, str]] = []
    for image in images:
        names = [name for name in (image.name, image.also) if name]
        # file names first, of either name (a labelme file's own name a.json never is one, its imagePath
        # a.png is): only then stems, which a.jpg and a.png share
        found: list[ImageEntry] = next((by_name[_base(n)] for n in names if _base(n) in by_name), []) or next(
            (by_stem[file_stem(n).casefold()] for n in names if file_stem(n).casefold() in by_stem), [])
        if not found:
            unmatched.append(image.name)
        elif len(found) > 1:
            failed.append((image.name, f"matches {len(found)} images of the project: "
                                        f"{', '.join(e.image for e in found[:5])}; rename one"))
        elif found[0].id in matched:
            first = matched[found[0].id]
            failed.append((found[0].id, f"labelled twice in the source ({first.name} and {image.name}); "
                                        f"the first was taken"))
        else:
            matched[found[0].id] = image
    return matched, unmatched, failed


def _notes(labels: ForeignLabels, taken: set[str]) -> list[str]:
    return [f"left out {n} {kind} shape{'s' if n > 1 else ''} of {label!r} (no area)"
            for (label, kind), n in sorted(labels.left_out.items()) if label in taken]


def _wxh(size: tuple[int, int]) -> str:
    return f"{size[1]}x{size[0]}"


def import_foreign(project: ImportTarget, labels: ForeignLabels, *, smoke_labels: Iterable[str] | None = None,
                   overwrite: bool = False, ids: Iterable[str] | None = None, progress: Progress | None = None,
                   cancelled: CancelCheck | None = None, status: Status = IMPORTED_STATUS) -> ForeignImportReport:
    """Draw the masks of `labels` (read by `foreign_labels.read_foreign`) and save them as the
    matching images' masks, status `status` (EDITED: people's labels; see the module doc).

    smoke_labels: the label names that are smoke (None: chosen by `choose_labels`; raises its
    LabelChoiceError, nothing written, when it cannot choose); ids: only these images;
    progress/cancelled: as `fosp_core.annotation.import_loop.write_masks` (between masks)."""
    project.check_writable()
    smoke, ignore = choose_labels(labels.source, labels.labels, smoke_labels)
    wanted = None if ids is None else set(ids)
    matched, unmatched, failed = match_images(project.entries, labels.images)
    report = ForeignImportReport(failed=failed, format=labels.format, smoke_labels=sorted(smoke),
                                 ignore_labels=sorted(ignore), unmatched=unmatched,
                                 notes=_notes(labels, smoke | ignore))
    todo = [e for e in project.entries if e.id in matched and (wanted is None or e.id in wanted)]

    def make_mask(entry: ImageEntry) -> np.ndarray | str:
        image = matched[entry.id]
        try:
            size = entry.size or read_size(project.image_path(entry.id))
        except ImageReadError as exc:
            return f"unreadable image {exc.path}: {exc.reason}"
        if image.size is not None and tuple(image.size) != tuple(size):
            return f"labelled at {_wxh(image.size)} in {image.file}, the image is {_wxh(size)}"
        return render(image, (int(size[0]), int(size[1])), smoke, ignore)

    write_masks(project, todo, make_mask, report, overwrite=overwrite, progress=progress, cancelled=cancelled,
                status=status)
    report.no_smoke = [i for i in report.imported if not any(s.label in smoke for s in matched[i].shapes)]
    return report
