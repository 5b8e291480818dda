"""The recovery log: a committed edit made durable on the GUI thread before its mask PNG is written.

With `Project.save_in_background` (the app) a commit does not write the mask PNG on the GUI thread
(~110 ms at 4000×3000): it appends one record to the image's recovery log, ``masks/<id>.png.recovery``
(`log_path`), with `fosp_core.annotation.storage.append_record` (one fsynced write), and a worker writes the
PNG later (`fosp_core.annotation.mask_saves`). The log is removed once the PNG and the journal line
of the newest commit are on disk. A kill at any moment after the commit returned leaves the log;
opening the project (`recover`) applies it and writes the PNG and the state, as the save would have.

A record is one line of JSON: ``{"format": 1, "shape": [H, W], "rect": [y0, y1, x0, x1] | null,
"status": "edited", "smoke": b64, "ignore": b64}`` - the mask's pixels in the rectangle the commit
changed, as two `np.packbits` planes (smoke = 1, ignore = 255, else background 0), no PNG encoding.
``rect`` null: a status change alone. Records hold absolute pixel values, so applying records
k..n in order over any mask state S_j with j >= k-1 gives S_n: the log's first record is written
only over a PNG known to hold the state before it (else the record covers the whole image), and a
PNG written while the log exists (a later save) only moves that state forward. A torn last line (a
kill inside the append) is the commit that had not returned: reading stops at the first line that
does not parse.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from fosp_core.annotation.history import Rect
from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE

__all__ = ["FORMAT", "RECOVERY_SUFFIX", "Record", "apply_records", "encode_record", "log_path", "read_log",
           "recover"]

FORMAT = 1
RECOVERY_SUFFIX = ".recovery"


def log_path(mask_path: Path) -> Path:
    """The recovery log beside an image's mask file (``masks/<id>.png.recovery``)."""
    return mask_path.with_name(mask_path.name + RECOVERY_SUFFIX)


@dataclass(frozen=True)
class Record:
    """One committed edit: the mask's (H, W) `shape`, the `rect` (y0, y1, x0, x1) it changed and
    that rectangle's pixels (uint8 0/1/255, `pixels`), or None for a status change alone; the image's
    `status` after it (a `Status` value)."""

    shape: tuple[int, int]
    rect: Rect | None
    status: str
    pixels: np.ndarray | None


def _planes(crop: np.ndarray) -> tuple[str, str]:
    smoke = np.packbits(crop == SMOKE)
    ignore = np.packbits(crop == IGNORE)
    return base64.b64encode(smoke).decode("ascii"), base64.b64encode(ignore).decode("ascii")


def encode_record(mask: np.ndarray, rect: Rect | None, status: str) -> bytes:
    """The log line of a commit: `mask` uint8 (H, W) 0/1/255 (the document's, after the commit),
    `rect` the rectangle to keep (None: status only), `status` the image's status value."""
    data: dict[str, object] = {"format": FORMAT, "shape": [int(mask.shape[0]), int(mask.shape[1])],
                               "rect": None, "status": str(status)}
    if rect is not None:
        y0, y1, x0, x1 = (int(v) for v in rect)
        data["rect"] = [y0, y1, x0, x1]
        data["smoke"], data["ignore"] = _planes(np.ascontiguousarray(mask[y0:y1, x0:x1]))
    return json.dumps(data, separators=(",", ":")).encode("ascii") + b"\n"


def _decode(line: bytes) -> Record:
    data = json.loads(line)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a recovery record of format 1")
    h, w = (int(v) for v in data["shape"])
    if h <= 0 or w <= 0:
        raise ValueError("bad shape")
    status = str(data["status"])
    if data["rect"] is None:
        return Record((h, w), None, status, None)
    y0, y1, x0, x1 = (int(v) for v in data["rect"])
    if not (0 <= y0 < y1 <= h and 0 <= x0 < x1 <= w):
        raise ValueError("rect outside the mask")
    size = (y1 - y0) * (x1 - x0)
    smoke = np.unpackbits(np.frombuffer(base64.b64decode(data["smoke"], validate=True), np.uint8), count=size)
    ignore = np.unpackbits(np.frombuffer(base64.b64decode(data["ignore"], validate=True), np.uint8), count=size)
    pixels = np.full(size, BACKGROUND, np.uint8)
    pixels[smoke.astype(bool)] = SMOKE
    pixels[ignore.astype(bool)] = IGNORE
    return Record((h, w), (y0, y1, x0, x1), status, pixels.reshape(y1 - y0, x1 - x0))


def read_log(path: Path) -> list[Record]:
    """The records of the log at `path` in order, up to the first line that does not parse (a
    torn last line); [] when there is no log. All records have the first one's shape."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    records: list[Record] = []
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            record = _decode(line)
        except (ValueError, KeyError, TypeError):
            break
        if records and record.shape != records[0].shape:
            break
        records.append(record)
    return records


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


def recover(mask_paths: dict[Path, str], load_mask: Callable[[str], np.ndarray | None],
            save_mask: Callable[[str, np.ndarray, str], None]) -> list[str]:
    """Apply the recovery logs found in the mask folders of `mask_paths` (mask file -> image id):
    each image's mask and status rebuilt (`apply_records` over `load_mask(id)`) and saved with
    `save_mask(id, mask, status)`, which removes the log. Returns the ids recovered. A log of an
    unknown image, or one that cannot be saved now, is left for the next opening; an empty or
    unreadable one is removed."""
    recovered: list[str] = []
    folders = {path.parent for path in mask_paths}
    for folder in folders:
        for log in sorted(folder.glob(f"*{RECOVERY_SUFFIX}")):
            mask_file = log.with_name(log.name[: -len(RECOVERY_SUFFIX)])
            image_id = mask_paths.get(mask_file)
            if image_id is None:
                continue
            records = read_log(log)
            if not records:
                log.unlink(missing_ok=True)
                continue
            try:
                mask, status = apply_records(load_mask(image_id), records)
                save_mask(image_id, mask, status)
            except Exception:  # noqa: BLE001 - kept for the next opening; the project still opens
                continue
            log.unlink(missing_ok=True)
            recovered.append(image_id)
    return recovered
