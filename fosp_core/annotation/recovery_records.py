"""The recovery log's records: what a commit appends to ``masks/<id>.png.recovery`` and how a log is
read back (the format; `fosp_core.annotation.recovery` tells what the log is for and how opening
applies it).

A record is one line of JSON: ``{"format": 1, "shape": [H, W], "rect": [y0, y1, x0, x1] | null,
"status": "edited", "smoke": b64, "ignore": b64}`` - the mask's pixels in the rectangle the commit
changed, as two `np.packbits` planes (smoke = 1, ignore = 255, else background 0), no PNG encoding.
``rect`` null: a status change alone. Records hold absolute pixel values, so applying records
k..n in order over any mask state S_j with j >= k-1 gives S_n. A torn last line (a kill inside the
append) is the commit that had not returned: it is left out, silently. Reading starts at the last
record that holds the whole mask (what came before it does not matter).
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import read_json
from fosp_core.annotation.history import Rect
from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE
from fosp_core.io.long_names import fit_name

__all__ = ["FORMAT", "RECOVERY_SUFFIX", "LogReading", "Record", "apply_records", "encode_record", "is_whole",
           "legacy_log_path", "log_path", "read_log", "read_log_checked", "status_record"]

FORMAT = 1
RECOVERY_SUFFIX = ".recovery"


def log_path(mask_path: Path) -> Path:
    """The recovery log beside an image's mask file (``masks/<id>.png.recovery``; for an id too long
    for that name, its short form ``<id cut>~<digest>.png.recovery``, the digest the id's own even when
    the id ends as a short form does: one log per image, `fosp_core.io.long_names`)."""
    return _log_path(mask_path, keep_digest=False)


def legacy_log_path(mask_path: Path) -> Path:
    """The name earlier versions gave `log_path`: the same but for a long id ending in ``~`` and 12 hex
    digits, whose log kept those digits (and could be another such image's too); found at opening."""
    return _log_path(mask_path, keep_digest=True)


def _log_path(mask_path: Path, *, keep_digest: bool) -> Path:
    name = mask_path.name
    stem, png = (name[:-4], ".png") if name.endswith(".png") else (name, "")
    return mask_path.with_name(fit_name(stem, png + RECOVERY_SUFFIX, keep_digest=keep_digest))


@dataclass(frozen=True)
class Record:
    """One committed edit: the mask's (H, W) `shape`, the `rect` (y0, y1, x0, x1) it changed and
    that rectangle's pixels (uint8 0/1/255, `pixels`), or None for a status change alone; the image's
    `status` after it (a `Status` value)."""

    shape: tuple[int, int]
    rect: Rect | None
    status: str
    pixels: np.ndarray | None


_BAND = 1 << 18  #: pixels of a band of `_planes` (rows a multiple of 24: whole bytes, whole base64 quanta)


@functools.lru_cache(maxsize=8)
def _zeros_b64(size: int) -> bytes:
    """The base64 text of `size` zero bytes (a plane with no pixel set)."""
    return base64.b64encode(bytes(size))


def _planes(mask: np.ndarray, rect: Rect) -> tuple[list[bytes], list[bytes]]:
    """The base64 text of the smoke and ignore planes (`np.packbits`, row-major) of ``mask[y0:y1,
    x0:x1]`` in pieces to join, made band by band (in the CPU's cache, no copy of the rectangle):
    each band but the last is a multiple of 3 bytes, so the pieces join into the whole's base64.
    A band's maximum tells the common cases at the cost of one read: all background (both planes
    zero bytes, no packing), or no ignore pixel (the smoke plane packed from the band itself, whose
    non-zero pixels are the smoke ones); only a band with ignore pixels is compared twice (and every
    band of a mask of another dtype than uint8 or bool)."""
    y0, y1, x0, x1 = rect
    rows = max(24, (_BAND // max(x1 - x0, 1)) // 24 * 24)
    smoke: list[bytes] = []
    ignore: list[bytes] = []
    unsigned = mask.dtype in (np.uint8, np.bool_)  # no value below background (int64: -1 is not smoke)
    for r in range(y0, y1, rows):
        band = mask[r:min(r + rows, y1), x0:x1]
        top = int(band.max()) if unsigned and band.size else -1
        if top == BACKGROUND:
            zeros = _zeros_b64((band.size + 7) // 8)
            smoke.append(zeros)
            ignore.append(zeros)
        elif top == SMOKE:
            smoke.append(base64.b64encode(np.packbits(band)))
            ignore.append(_zeros_b64((band.size + 7) // 8))
        else:
            smoke.append(base64.b64encode(np.packbits(band == SMOKE)))
            ignore.append(base64.b64encode(np.packbits(band == IGNORE)))
    return smoke, ignore


def encode_record(mask: np.ndarray, rect: Rect | None, status: str) -> bytes:
    """The log line of a commit: `mask` uint8 (H, W) 0/1/255 (the document's, after the commit),
    `rect` the rectangle to keep (None: status only), `status` the image's status value. The bytes
    of ``json.dumps`` of the record, the planes' base64 joined in, not passed through the encoder."""
    data: dict[str, object] = {"format": FORMAT, "shape": [int(mask.shape[0]), int(mask.shape[1])],
                               "rect": None, "status": str(status)}
    if rect is None:
        return json.dumps(data, separators=(",", ":")).encode("ascii") + b"\n"
    y0, y1, x0, x1 = (int(v) for v in rect)
    data["rect"] = [y0, y1, x0, x1]
    head = json.dumps(data, separators=(",", ":")).encode("ascii")[:-1]  # without its closing brace
    smoke, ignore = _planes(mask, (y0, y1, x0, x1))
    return b"".join([head, b',"smoke":"', *smoke, b'","ignore":"', *ignore, b'"}\n'])


def status_record(shape: tuple[int, int], status: str) -> bytes:
    """The log line of a status change alone (``rect`` null) of an image whose mask is (H, W) `shape`."""
    data = {"format": FORMAT, "shape": [int(shape[0]), int(shape[1])], "rect": None, "status": str(status)}
    return json.dumps(data, separators=(",", ":")).encode("ascii") + b"\n"


def _decode(line: bytes) -> Record:
    data = read_json(line)  # too deeply nested: ValueError, a record that cannot be read
    if not isinstance(data, dict):
        raise ValueError("not a recovery record")
    version = data.get("format")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        raise ValueError(f"written by a newer FoSp Studio (recovery log format {version}; this one "
                         f"reads {FORMAT})")
    if version != FORMAT:
        raise ValueError(f"not a recovery record of format {FORMAT}")
    h, w = (int(v) for v in data["shape"])
    if h <= 0 or w <= 0:
        raise ValueError("bad shape")
    status = Status(str(data["status"])).value  # ValueError for one this version does not know
    if data["rect"] is None:
        return Record((h, w), None, status, None)
    y0, y1, x0, x1 = (int(v) for v in data["rect"])
    if not (0 <= y0 < y1 <= h and 0 <= x0 < x1 <= w):
        raise ValueError(f"rectangle {[y0, y1, x0, x1]} outside its {w} x {h} mask")
    size = (y1 - y0) * (x1 - x0)
    planes = []
    for name in ("smoke", "ignore"):
        packed = np.frombuffer(base64.b64decode(data[name], validate=True), np.uint8)
        if packed.size * 8 < size:
            raise ValueError(f"{name} plane of {packed.size * 8} pixels for a {size}-pixel rectangle")
        planes.append(np.unpackbits(packed, count=size).astype(bool))
    pixels = np.full(size, BACKGROUND, np.uint8)
    pixels[planes[0]] = SMOKE
    pixels[planes[1]] = IGNORE
    return Record((h, w), (y0, y1, x0, x1), status, pixels.reshape(y1 - y0, x1 - x0))


def is_whole(record: Record) -> bool:
    """Whether `record` holds its whole mask (the state before it does not matter)."""
    return record.rect == (0, record.shape[0], 0, record.shape[1])


@dataclass(frozen=True)
class LogReading:
    """What a recovery log holds: `records` to apply in order (from its last whole-mask record on:
    what came before does not matter) and why part of it could not be read (`problem`, None when
    all of it was read, or all but a torn last line: the append a kill cut short)."""

    records: list[Record]
    problem: str | None = None
    #: where a torn last line (the append a kill cut short) begins, None when there is none
    torn_at: int | None = None


def read_log_checked(path: Path) -> LogReading:
    """The log at `path` (`LogReading`); no records and no problem when there is no log."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LogReading([])
    except OSError as exc:
        return LogReading([], f"cannot read it: {exc.strerror or exc}")
    lines = data.split(b"\n")
    torn_at: int | None = None
    decoded: list[tuple[int, Record | str]] = []  # (line number, record or why it is not one)
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            decoded.append((number, _decode(line)))
        except (ValueError, KeyError, TypeError) as exc:
            if number == len(lines):  # no newline after it: the torn append of a commit that had not returned
                torn_at = len(data) - len(line)
                break
            why = str(exc) if isinstance(exc, ValueError) else f"not a recovery record (no {exc})"
            decoded.append((number, why))
    start = max((i for i, (_, item) in enumerate(decoded) if isinstance(item, Record) and is_whole(item)), default=0)
    records: list[Record] = []
    for number, item in decoded[start:]:
        if isinstance(item, str):
            return LogReading(records, f"record {number}: {item}", torn_at)
        if records and item.shape != records[0].shape:
            return LogReading(records, f"record {number}: a mask of another size", torn_at)
        records.append(item)
    return LogReading(records, None, torn_at)


def read_log(path: Path) -> list[Record]:
    """The records of the log at `path` to apply in order (`read_log_checked`, up to a line that
    cannot be read); [] when there is no log. All records have the first one's shape."""
    return read_log_checked(path).records


def apply_records(base: np.ndarray | None, records: Sequence[Record]) -> tuple[np.ndarray, str]:
    """The mask and status after `records` (non-empty) applied in order over `base` (the mask
    file's uint8 (H, W) mask, None: all background; one of another shape is not used)."""
    shape = records[0].shape
    mask = np.zeros(shape, np.uint8) if base is None or base.shape != shape else np.array(base, np.uint8)
    for record in records:
        if record.rect is not None and record.pixels is not None:
            y0, y1, x0, x1 = record.rect
            mask[y0:y1, x0:x1] = record.pixels
    return mask, records[-1].status
