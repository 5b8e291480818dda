"""Finding and reading labels made in other tools: a labelme folder or file, a COCO instances JSON,
a CVAT for images XML (`read_foreign`), told apart by their content.

A folder is a labelme folder when it holds labelme ``.json`` files (beside the images, as labelme
saves them, or alone); else it is read as the one COCO file among its ``.json`` files, as the
``annotations.xml`` of a CVAT export, or as the one COCO file in its ``annotations/`` folder (a
COCO export). Any other folder, and a SmokeSeg/SMOKE5K dataset, is no foreign source (None): its
masks are PNG files (`fosp_core.annotation.labels.label_files`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fosp_core.annotation.coco import is_coco, read_coco
from fosp_core.annotation.cvat import is_cvat, read_cvat
from fosp_core.annotation.foreign_read import CancelCheck, ReadCancelled, load_json
from fosp_core.annotation.foreign_shapes import ForeignLabelError, ForeignLabels
from fosp_core.annotation.labelme import is_labelme, labelme_files, read_labelme
from fosp_core.data.datasets import DatasetError, detect_layout

__all__ = ["FORMAT_NAMES", "ReadCancelled", "is_foreign_file", "read_foreign"]

FORMAT_NAMES = {"labelme": "labelme", "coco": "COCO", "cvat": "CVAT for images"}


def is_foreign_file(path: Path) -> bool:
    """Whether `path` is a file a foreign source may be (``.json``, ``.xml``): the other sources are folders."""
    return path.suffix.lower() in (".json", ".xml") and not path.is_dir()


def _load_json(path: Path, cancelled: CancelCheck | None = None) -> Any:
    try:
        return load_json(path, cancelled)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ForeignLabelError(path, f"not readable as JSON: {exc}") from exc


def read_foreign(source: Path, cancelled: CancelCheck | None = None) -> ForeignLabels | None:
    """The labels of a labelme/COCO/CVAT `source` (a file or a folder), None for a source of PNG masks.

    Raises ForeignLabelError for a file that does not exist, is of none of these formats or does
    not follow its format (the file and the field named); nothing is read partly.
    cancelled(): asked while reading (between chunks of a file, elements of its top-level arrays,
    files of a folder; `fosp_core.annotation.foreign_read`): True gives the read up at once, raising
    ReadCancelled (a 200 MB COCO file is seconds of parsing)."""
    if is_foreign_file(source):
        if not source.is_file():
            raise ForeignLabelError(source, "no such file")
        if source.suffix.lower() == ".xml":
            if not is_cvat(source):
                raise ForeignLabelError(source, "not a CVAT for images XML file (its root is not <annotations>)")
            return read_cvat(source, cancelled)
        return _read_json_file(source, _load_json(source, cancelled), cancelled)
    if not source.is_dir():
        return None
    try:
        detect_layout(source)
        return None  # a SmokeSeg/SMOKE5K dataset
    except DatasetError:
        pass
    return _read_folder(source, cancelled)


def _read_json_file(source: Path, data: Any, cancelled: CancelCheck | None) -> ForeignLabels:
    """The labels of the JSON file `source`, parsed already (`data`)."""
    if is_coco(data):
        return read_coco(source, data, cancelled)
    if is_labelme(data):
        return read_labelme(source, [source], {source: data})
    raise ForeignLabelError(source, "neither a COCO instances file ('images', 'annotations') "
                                    "nor a labelme file ('shapes')")


def _one_coco(folder: Path, files: list[Path], parsed: dict[Path, Any],
              cancelled: CancelCheck | None) -> ForeignLabels | None:
    """The labels of the one COCO file among `files` (parsed already), None when there is none."""
    coco = [p for p in files if is_coco(parsed[p])]
    if len(coco) > 1:
        raise ForeignLabelError(folder, f"{len(coco)} COCO files: {', '.join(p.name for p in coco)}; choose one")
    return read_coco(coco[0], parsed[coco[0]], cancelled) if coco else None


def _read_folder(folder: Path, cancelled: CancelCheck | None) -> ForeignLabels | None:
    files = labelme_files(folder)
    parsed = {path: _load_json(path, cancelled) for path in files}
    labelme = [p for p in files if is_labelme(parsed[p])]
    if labelme:
        odd = [p.name for p in files if p not in labelme]
        if odd:
            raise ForeignLabelError(folder, f"a folder of labelme files holds JSON files that are not: "
                                            f"{', '.join(odd[:5])}{', ...' if len(odd) > 5 else ''}")
        return read_labelme(folder, labelme, parsed)
    found = _one_coco(folder, files, parsed, cancelled)
    if found is not None:
        return found
    cvat = folder / "annotations.xml"
    if cvat.is_file():
        return read_foreign(cvat, cancelled)
    inner = folder / "annotations"
    if inner.is_dir():  # a COCO export: each file parsed once, the COCO one read from what was parsed
        files = labelme_files(inner)
        return _one_coco(inner, files, {path: _load_json(path, cancelled) for path in files}, cancelled)
    return None
