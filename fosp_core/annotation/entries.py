"""The project file format: ``project.json`` and its per-image entries, validated on load.

Format (``"format": "fosp-project"``, ``"version": 1``)::

    {
      "format": "fosp-project", "version": 1,
      "images_root": "..",                  # relative to the project folder, or absolute
      "source": {"kind": "smokeseg" | "smoke5k" | "folder", "path": "..."},
      "created": 1712345678.0, "updated": 1712345679.5,
      "journal": 3,                         # the generation of changes.jsonl lines that apply
      "images": [
        {"id": "img001", "image": "JPEGImages/img001.jpg",   # relative to images_root (posix)
         "status": "unlabeled" | "predicted" | "edited" | "reviewed",
         "updated": 1712345679.5 | null,                       # last save of the mask
         "label": "SegmentationClass/img001.png" | null,       # reference mask (dataset's)
         "split": "train" | null,                              # split in the source dataset
         "size": [H, W] | null,                                # known after the first load
         "smoke_ratio": 0.012 | null,                          # of the saved mask
         "prediction": {"threshold": .5, "uncertainty": .03, "uncertain_share": .01,
                        "smoke_ratio": .01, "error_vs_label": .2 | null} | null}
      ]
    }

Unknown keys, at the top level and in entries, are kept and written back unchanged. A file that
does not follow the format raises `ProjectFormatError` naming the path and the field.

The journal, ``changes.jsonl`` beside it: one line per change to one image, ``{"generation": G,
"entry": {...}}`` with that image's whole entry as in ``"images"``, appended and fsynced at each
save so that a save costs the same in a project of 50 images or 100 000 (`dump_change`). Opening a
project applies, in order, the lines of the generation ``project.json`` names (its ``"journal"``
key, 0 when absent) over its entries (`apply_changes`); a line of another generation (written
before ``project.json`` was last rewritten) or one that is not a valid entry of an image of the
project (the torn last line of a crash mid-append) is skipped. The project rewrites
``project.json`` in full, with the next generation, and empties the journal now and then (see
`fosp_core.annotation.project`). Versions before generations wrote each line as the bare entry and
never a ``"journal"`` key: such a line is one of generation 0, so a project they left with a journal
(closed without folding it) opens with those saves.
"""

from __future__ import annotations

import json
import json.encoder
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fosp_core.annotation.document import Status
from fosp_core.io.links import not_a_file_reason

__all__ = ["FORMAT", "FORMAT_VERSION", "ImageEntry", "ProjectError", "ProjectFormatError", "ProjectReadOnlyError",
           "ProjectSaveError", "apply_changes", "check_entries", "dump_change", "dump_project", "entry_json",
           "is_bare_entry", "journal_generation", "journal_lines", "parse_project", "project_parts", "read_json"]

FORMAT = "fosp-project"
FORMAT_VERSION = 1
_ENTRY_KEYS = ("id", "image", "status", "updated", "label", "split", "size", "smoke_ratio", "prediction")
_KNOWN_KEYS = frozenset(_ENTRY_KEYS)
_STATUS_OF = {s.value: s for s in Status}
_DEFAULT_STATUS = Status.UNLABELED.value


class ProjectError(Exception):
    """A project cannot be opened, saved or used; carries the path and the reason."""

    def __init__(self, path: str | os.PathLike, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


class ProjectFormatError(ProjectError):
    """``project.json`` does not follow the format; `field` names the offending field."""

    def __init__(self, path: str | os.PathLike, field: str, reason: str) -> None:
        super().__init__(path, f"field {field!r}: {reason}")
        self.field = field


class ProjectReadOnlyError(ProjectError):
    """A change was asked of a project opened read-only (locked elsewhere, or unwritable folder)."""


class ProjectSaveError(ProjectError):
    """A save failed (disk full, permissions); what was saved before is intact."""


@dataclass(slots=True)
class ImageEntry:
    """One image of a project (see the module doc for the fields)."""

    id: str
    image: str
    status: Status = Status.UNLABELED
    updated: float | None = None
    label: str | None = None
    split: str | None = None
    size: tuple[int, int] | None = None
    smoke_ratio: float | None = None
    prediction: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out.update(id=self.id, image=self.image, status=self.status.value, updated=self.updated,
                   label=self.label, split=self.split, size=list(self.size) if self.size else None,
                   smoke_ratio=self.smoke_ratio, prediction=self.prediction)
        return out


def _need(cond: bool, path: Path, field_name: str, reason: str) -> None:
    if not cond:
        raise ProjectFormatError(path, field_name, reason)


def _opt_number(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def _parse_entry(raw: Any, i: int, path: Path) -> ImageEntry:
    """One entry of ``"images"`` (or of a journal line), validated; `i` names it in errors."""
    return _parse_plain(raw) or _parse_checked(raw, i, path)


def _parse_plain(raw: Any) -> ImageEntry | None:
    """The entry when every field has its plain type (what this program writes), else None: the
    fast path of `_parse_entry`, accepting only what `_parse_checked` accepts, with the same result."""
    if type(raw) is not dict:
        return None
    get = raw.get
    image_id, image = get("id"), get("image")
    status = get("status", _DEFAULT_STATUS)
    updated, smoke_ratio = get("updated"), get("smoke_ratio")
    label, split, size, prediction = get("label"), get("split"), get("size"), get("prediction")
    if (type(image_id) is not str or not image_id or type(image) is not str or not image
            or type(status) is not str or status not in _STATUS_OF
            or (updated is not None and type(updated) is not float and type(updated) is not int)
            or (smoke_ratio is not None and type(smoke_ratio) is not float and type(smoke_ratio) is not int)
            or (label is not None and type(label) is not str) or (split is not None and type(split) is not str)
            or (prediction is not None and type(prediction) is not dict)):
        return None
    if size is not None:
        if type(size) is not list or len(size) != 2:
            return None
        height, width = size
        if type(height) is not int or type(width) is not int or height <= 0 or width <= 0:
            return None
        size = (height, width)
    extra = {} if raw.keys() <= _KNOWN_KEYS else {k: v for k, v in raw.items() if k not in _KNOWN_KEYS}
    return ImageEntry(image_id, image, _STATUS_OF[status], updated, label, split, size, smoke_ratio, prediction,
                      extra)


def _parse_checked(raw: Any, i: int, path: Path) -> ImageEntry:
    """`_parse_entry` field by field, raising `ProjectFormatError` at the first bad one."""
    where = f"images[{i}]"
    _need(isinstance(raw, dict), path, where, "must be an object")
    for key in ("id", "image"):
        _need(isinstance(raw.get(key), str) and raw[key] != "", path, f"{where}.{key}", "must be a non-empty string")
    try:
        status = Status(raw.get("status", Status.UNLABELED.value))
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise ProjectFormatError(path, f"{where}.status", f"unknown status {raw.get('status')!r} (known: {known})") \
            from None
    for key in ("updated", "smoke_ratio"):
        _need(_opt_number(raw.get(key)), path, f"{where}.{key}", "must be a number or null")
    for key in ("label", "split"):
        _need(raw.get(key) is None or isinstance(raw[key], str), path, f"{where}.{key}", "must be a string or null")
    size = raw.get("size")
    if size is not None:
        _need(isinstance(size, list) and len(size) == 2 and all(isinstance(v, int) and v > 0 for v in size),
              path, f"{where}.size", "must be [height, width] with positive integers, or null")
    prediction = raw.get("prediction")
    _need(prediction is None or isinstance(prediction, dict), path, f"{where}.prediction", "must be an object or null")
    return ImageEntry(id=raw["id"], image=raw["image"], status=status, updated=raw.get("updated"),
                      label=raw.get("label"), split=raw.get("split"),
                      size=(size[0], size[1]) if size else None, smoke_ratio=raw.get("smoke_ratio"),
                      prediction=prediction, extra={k: v for k, v in raw.items() if k not in _ENTRY_KEYS})


def check_entries(entries: list[ImageEntry], path: Path) -> None:
    """Raise `ProjectFormatError`, as `parse_project` would on reading them back, when `entries`
    (made in memory for a new ``project.json`` at `path`) have an empty id or image path or a
    duplicate id."""
    bad = [i for i, e in enumerate(entries) if not (type(e.id) is str and e.id and type(e.image) is str and e.image)]
    for i in bad:  # the first one that parse_project would refuse raises
        for key, value in (("id", entries[i].id), ("image", entries[i].image)):
            _need(isinstance(value, str) and value != "", path, f"images[{i}].{key}", "must be a non-empty string")
    _check_unique(entries, path)


def _check_unique(entries: list[ImageEntry], path: Path) -> None:
    if len({e.id for e in entries}) == len(entries):
        return
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        _need(entry.id not in seen, path, f"images[{i}].id", f"duplicate id {entry.id!r}")
        seen.add(entry.id)


def read_json(data: bytes | str) -> Any:
    """``json.loads(data)``; JSON nested deeper than the reader goes (damaged bytes such as a run of ``[``),
    which raises RecursionError there, raises ValueError as any JSON that does not parse."""
    try:
        return json.loads(data)
    except RecursionError:
        raise ValueError("nested too deeply to be read") from None


def parse_project(path: Path) -> tuple[dict[str, Any], list[ImageEntry]]:
    """Read and validate ``project.json``: (top-level fields without "images", entries)."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark an editor put first: read past
    except OSError as exc:
        raise ProjectError(path, f"cannot read: {exc.strerror or exc}") from exc
    try:
        data = read_json(text)
    except ValueError as exc:
        raise ProjectFormatError(path, "<file>", f"not valid JSON ({exc})") from exc
    _need(isinstance(data, dict), path, "<file>", "must be a JSON object")
    _need(data.get("format") == FORMAT, path, "format", f"must be {FORMAT!r}, got {data.get('format')!r}")
    version = data.get("version")
    _need(isinstance(version, int), path, "version", "must be an integer")
    _need(version <= FORMAT_VERSION, path, "version",
          f"{version} is newer than this program reads ({FORMAT_VERSION}); update FoSp Studio")
    _need(isinstance(data.get("images_root"), str), path, "images_root", "must be a string")
    images = data.get("images")
    _need(isinstance(images, list), path, "images", "must be a list")
    entries = [_parse_plain(raw) or _parse_checked(raw, i, path) for i, raw in enumerate(images)]
    _check_unique(entries, path)
    header = {k: v for k, v in data.items() if k != "images"}
    return header, entries


def dump_project(header: dict[str, Any], entries: list[ImageEntry]) -> bytes:
    """The bytes of ``project.json``: UTF-8, the header's keys first, one line per key and one
    per image (readable and diffable; each line is what json's C encoder writes for the value, an
    entry's line put together from its fields' JSON when they have their plain types: 100 000
    images in about a fifth of the time of one encoder call per image)."""
    images = ",\n".join(f"  {entry_json(e)}" for e in entries)
    return b"".join(project_parts(header, [images.encode("utf-8")] if entries else []))


def entry_json(entry: ImageEntry) -> str:
    """One entry as a line of ``project.json`` writes it (without the indent and the comma)."""
    return _entry_line(entry) or _encode(entry.to_json())


def project_parts(header: dict[str, Any], images: list[bytes]) -> list[bytes]:
    """`dump_project`'s bytes in parts (joined with ``b""``): the header's lines, then `images` -
    the entries' lines, each indented by two spaces, joined by ``b",\\n"`` within a part and split
    into parts anywhere between two entries - between the brackets of ``"images"``."""
    data = dict(header)
    data.pop("images", None)
    data["format"], data["version"] = FORMAT, max(int(header.get("version", FORMAT_VERSION)), FORMAT_VERSION)
    lines = [f" {_encode(key)}: {_encode(value)}," for key, value in data.items()]
    head = "{\n" + "\n".join(lines) + "\n"
    if not images:
        return [(head + ' "images": []\n}\n').encode("utf-8")]
    parts = [(head + ' "images": [\n').encode("utf-8")]
    for i, part in enumerate(images):
        parts += [b",\n", part] if i else [part]
    return [*parts, b"\n ]\n}\n"]


_encode = json.JSONEncoder(ensure_ascii=False).encode
_string = json.encoder.encode_basestring  # what that encoder writes a str with (ensure_ascii=False)
_STATUS_JSON = {s: _string(s.value) for s in Status}
_NOT_FINITE = frozenset(("nan", "inf", "-inf"))  # json writes these NaN, Infinity, -Infinity


def _number_json(value: Any) -> str | None:
    if value is None:
        return "null"
    kind = type(value)
    if kind is float:
        text = float.__repr__(value)  # as json writes a finite float
        return None if text in _NOT_FINITE else text
    return int.__repr__(value) if kind is int else None


def _text_json(value: Any) -> str | None:
    if value is None:
        return "null"
    return _string(value) if type(value) is str else None


def _entry_line(entry: ImageEntry) -> str | None:
    """``_encode(entry.to_json())``, the same text, when every field has its plain type and there
    are no unknown keys; None otherwise (the caller encodes the dict then)."""
    if entry.extra or type(entry.id) is not str or type(entry.image) is not str:
        return None
    status, label, split = _STATUS_JSON.get(entry.status), _text_json(entry.label), _text_json(entry.split)
    updated, smoke_ratio = _number_json(entry.updated), _number_json(entry.smoke_ratio)
    if status is None or label is None or split is None or updated is None or smoke_ratio is None:
        return None
    size = "null"
    if entry.size is not None:
        if type(entry.size) is not tuple or len(entry.size) != 2:
            return None
        height, width = entry.size
        if type(height) is not int or type(width) is not int:
            return None
        size = f"[{height}, {width}]"
    prediction = "null" if entry.prediction is None else _encode(entry.prediction)
    return (f'{{"id": {_string(entry.id)}, "image": {_string(entry.image)}, "status": {status}, '
            f'"updated": {updated}, "label": {label}, "split": {split}, "size": {size}, '
            f'"smoke_ratio": {smoke_ratio}, "prediction": {prediction}}}')


def journal_generation(header: dict[str, Any]) -> int:
    """The generation of journal lines that apply over ``project.json`` with this header."""
    value = header.get("journal", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def dump_change(entry: ImageEntry, generation: int) -> bytes:
    """One journal line: the entry as in ``project.json``, on one line, newline-terminated."""
    line = json.dumps({"generation": generation, "entry": entry.to_json()}, ensure_ascii=False)
    return line.encode("utf-8") + b"\n"


def is_bare_entry(record: object) -> bool:
    """True for a journal line (parsed) written by a version before generations: the bare entry,
    no ``"generation"`` (see the module doc; `fosp_core.annotation.project_upgrade` backs such a
    journal up before it is folded)."""
    return isinstance(record, dict) and "generation" not in record and "entry" not in record


def journal_lines(data: bytes) -> list[bytes]:
    """The journal's bytes `data` cut into lines: at each newline and at each run of NULs (a page the kernel
    dropped after a failed fsync reads back as NULs, and may run straight into the next good line with no
    newline between), so that a line is never lost because NULs precede it (the text a run cuts is torn:
    skipped as JSON that does not parse). Blank pieces are left out. ``bytes.split``, not a regex (a
    fortieth of its time on a journal of 500 lines: bench/bench_journal_lines.py); a NUL run cut at each
    NUL gives the same lines, the empty pieces between its NULs left out as blank."""
    lines = data.split(b"\n")
    if b"\0" not in data:  # the journal of every save that was not cut short: one memchr
        return [line for line in lines if line.strip()]
    return [piece for line in lines for piece in (line.split(b"\0") if b"\0" in line else (line,)) if piece.strip()]


def apply_changes(path: Path, entries: list[ImageEntry], generation: int) -> int:
    """Apply the journal at `path` to `entries` in place, in order, the lines of `generation` only
    (see the module doc); returns how many lines were applied (0 when there is no journal). A line of an
    image `entries` lack adds it (joined while the project was open: `Project.add_listed`)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        # a link leading nowhere is no missing journal: its saves would be folded away unread
        if (why := not_a_file_reason(path, "the project's journal", "go on without its saves")) is not None:
            raise ProjectError(path, why) from exc
        if isinstance(exc, FileNotFoundError):
            return 0
        raise ProjectError(path, f"cannot read: {exc.strerror or exc}") from exc
    index = {e.id: i for i, e in enumerate(entries)}
    applied = 0
    for n, line in enumerate(journal_lines(data)):
        try:
            record = read_json(line)
            if is_bare_entry(record):
                record = {"generation": 0, "entry": record}  # a bare entry: a version before generations
            if not isinstance(record, dict) or record.get("generation") != generation:
                continue  # written before project.json was last rewritten: already in it
            entry = _parse_entry(record.get("entry"), n, path)
        except (ValueError, ProjectFormatError):
            continue  # torn by a crash mid-append, or not ours: skipped
        i = index.get(entry.id)
        if i is not None:
            entries[i] = entry
        else:  # an image joined while the project was open (`Project.add_listed`), not in project.json yet
            index[entry.id] = len(entries)
            entries.append(entry)
        applied += 1
    return applied
