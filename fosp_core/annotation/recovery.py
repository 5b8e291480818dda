"""The recovery log: a committed edit written on the GUI thread (it outlives the process) before its mask PNG.

With `Project.save_in_background` (the app) a commit does not write the mask PNG on the GUI thread
(~110 ms at 4000×3000): it appends one record to the image's recovery log, ``masks/<id>.png.recovery``
(`log_path`) with one write() (`fosp_core.annotation.log_sync`), and a worker fsyncs it and then writes the
PNG (`fosp_core.annotation.mask_saves`). The log is removed once the PNG and the journal line
of the newest commit are on disk. A kill at any moment after the commit returned leaves the log;
opening the project (`recover`) applies it and writes the PNG and the state, as the save would have.
(An OS crash or power loss before the worker's fsync may lose the records not yet fsynced: `log_sync`.)

A record is one line of JSON: ``{"format": 1, "shape": [H, W], "rect": [y0, y1, x0, x1] | null,
"status": "edited", "smoke": b64, "ignore": b64}`` - the mask's pixels in the rectangle the commit
changed, as two `np.packbits` planes (smoke = 1, ignore = 255, else background 0), no PNG encoding.
``rect`` null: a status change alone. Records hold absolute pixel values, so applying records
k..n in order over any mask state S_j with j >= k-1 gives S_n: the log's first record is written
only over a PNG known to hold the state before it (else the record covers the whole image), and a
PNG written while the log exists (a later save) only moves that state forward. A torn last line (a
kill inside the append) is the commit that had not returned: it is left out, silently. Reading
starts at the last record that holds the whole mask (what came before it does not matter).

Bad input loses nothing and makes no mask up (`recover`): a log that cannot be read (a newer
format, not a log), or whose first record keeps only a rectangle while the mask file under it is
missing, unreadable or of another size, is not applied and is set aside (``<log>.unapplied``); a
bad record after good ones: those applied, the log's bytes set aside (a hard link, made before the
save removes the log); a log whose save fails now stays for the next opening, its good records
with it (cut back to them when it ends with a torn append, so that a record appended to it later
is read). A log set aside while it stays gets a copy of its own (`unshare_log`) before it is cut
or appended to, so the set-aside file keeps the bytes it was set aside with; no room for that copy:
the write fails as a full disk's would, and both stay as they were. Each is a `RecoveryProblem`
(`Project.recovery_problems`, told by the app and the CLI). A log set aside stays until the user
discards it (`unapplied_logs`; ``fosp project discard-log``). Logs that opening did not apply (a
read-only project: the app holding it is still saving; or a save that failed) are
`Project.pending_logs`: `Project.load_mask` applies them in memory.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fosp_core.annotation.document import Status
from fosp_core.annotation.history import Rect
from fosp_core.data.types import BACKGROUND, IGNORE, SMOKE
from fosp_core.io.atomic import write_atomic

__all__ = ["FORMAT", "RECOVERY_SUFFIX", "UNAPPLIED_SUFFIX", "LogReading", "Record", "RecoveryProblem",
           "RecoveryReport", "UnappliedLog", "apply_records", "encode_record", "is_whole", "log_path", "read_log",
           "read_log_checked", "recover", "set_aside", "status_record", "unapplied_logs", "unshare_log"]

FORMAT = 1
RECOVERY_SUFFIX = ".recovery"
#: what `set_aside` adds to a log's name (then ``-2``, ``-3``, ... when one is kept there already)
UNAPPLIED_SUFFIX = ".unapplied"


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


_BAND = 1 << 18  #: pixels of a band of `_planes` (rows a multiple of 24: whole bytes, whole base64 quanta)


def _planes(mask: np.ndarray, rect: Rect) -> tuple[list[bytes], list[bytes]]:
    """The base64 text of the smoke and ignore planes (`np.packbits`, row-major) of ``mask[y0:y1,
    x0:x1]`` in pieces to join, made band by band (in the CPU's cache, no copy of the rectangle):
    each band but the last is a multiple of 3 bytes, so the pieces join into the whole's base64."""
    y0, y1, x0, x1 = rect
    rows = max(24, (_BAND // max(x1 - x0, 1)) // 24 * 24)
    smoke: list[bytes] = []
    ignore: list[bytes] = []
    for r in range(y0, y1, rows):
        band = mask[r:min(r + rows, y1), x0:x1]
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
    data = json.loads(line)
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


@dataclass(frozen=True)
class RecoveryProblem:
    """A recovery log that opening the project could not apply, or not all of it: image
    `image_id`, where the log is kept now (`log`: left where it was to be applied at the next
    opening, or set aside under a name no opening applies, never deleted), and why (`reason`)."""

    image_id: str
    log: Path | None
    reason: str

    def describe(self) -> str:
        """One sentence for the user."""
        kept = f" (its recovery log is kept at {self.log})" if self.log is not None else ""
        return f"{self.image_id}: {self.reason}{kept}"


@dataclass
class RecoveryReport:
    """What `recover` did: the ids of the images rebuilt from their logs, and the problems."""

    recovered: list[str] = field(default_factory=list)
    problems: list[RecoveryProblem] = field(default_factory=list)


def set_aside(log: Path, *, keep: bool = False) -> Path:
    """Rename `log` to ``<name>.unapplied`` (``.unapplied-2``, ...: never over one kept before),
    which no opening applies, so that new records never follow its own; the path it has now.
    `keep`: a hard link under that name instead (no room needed), `log` staying where it is until
    the save of its records removes it; one set aside before that is this very file, or holds all of
    its bytes (`unshare_log` gave the log a copy of its own since), is reused (an opening whose save
    failed, then another); where no link can be made, renamed all the same."""
    for n in range(1, 1000):
        aside = log.with_name(f"{log.name}{UNAPPLIED_SUFFIX}" + ("" if n == 1 else f"-{n}"))
        if keep and aside.exists():
            if _holds(aside, log):
                return aside
            continue
        if not aside.exists():
            if keep:
                with contextlib.suppress(OSError):
                    os.link(log, aside)
                    return aside
            try:
                log.rename(aside)
            except OSError:
                return log
            return aside
    return log


def _holds(aside: Path, log: Path) -> bool:
    """Whether `aside` is `log` (one inode) or begins with all of `log`'s bytes."""
    try:
        return os.path.samefile(aside, log) or aside.read_bytes().startswith(log.read_bytes())
    except OSError:
        return False


def unshare_log(log: Path) -> bool:
    """Before a write or a cut of the live log `log`: when it shares its inode with a copy set
    aside (`set_aside(keep=True)`, a hard link), give it one of its own - its bytes, up to a torn
    last line (`LogReading.torn_at`), written to a temporary file, fsynced and renamed over `log` -
    so that the set-aside file keeps the bytes it was set aside with. Whether a copy was made
    (False: `log` is its only name, or missing). Raises OSError (disk full: no room for the copy),
    `log` and the set-aside file then as they were."""
    try:
        if os.stat(log).st_nlink <= 1:
            return False
        data = log.read_bytes()
    except FileNotFoundError:
        return False
    torn_at = read_log_checked(log).torn_at
    write_atomic(log, data if torn_at is None else data[:torn_at])
    return True


@dataclass(frozen=True)
class UnappliedLog:
    """A recovery log set aside (`set_aside`): image `image_id`'s, kept at `path`. No opening reads
    it again; it stays until the user discards it (``fosp project discard-log``), never silently."""

    image_id: str
    path: Path


def unapplied_logs(masks: Path) -> list[UnappliedLog]:
    """The logs set aside in the mask folder `masks` (``<id>.png.recovery.unapplied[-N]``), by
    path; [] when there is none or the folder cannot be listed."""
    marker = f".png{RECOVERY_SUFFIX}{UNAPPLIED_SUFFIX}"
    try:
        paths = sorted(masks.glob(f"*{marker}*"))
    except OSError:
        return []
    found = []
    for path in paths:
        image_id, _, rest = path.name.rpartition(marker)
        if image_id and (rest == "" or (rest[:1] == "-" and rest[1:].isdigit())):
            found.append(UnappliedLog(image_id, path))
    return found


def _size(shape: tuple[int, ...]) -> str:
    return f"{shape[1]} x {shape[0]}"


def _base_problem(records: Sequence[Record], load_mask: Callable[[str], np.ndarray | None],
                  image_id: str) -> tuple[np.ndarray | None, str | None]:
    """The mask file's mask to apply `records` over, or why they cannot be: their first record
    keeps only a rectangle and the file that held the rest is missing, unreadable or of another size."""
    try:
        base = load_mask(image_id)
    except Exception as exc:  # noqa: BLE001 - MaskReadError, OSError: told
        base, why = None, f"its mask file cannot be read ({getattr(exc, 'reason', exc)})"
    else:
        why = None
        if base is None:
            why = "its mask file is missing"
        elif base.shape != records[0].shape:
            why = f"its mask file is {_size(base.shape)}, the log's mask {_size(records[0].shape)}"
    if is_whole(records[0]):
        return (base if why is None else None), None
    if why is not None:
        return None, f"not applied: {why} and the log holds only the rectangles the strokes changed"
    return base, None


def recover(mask_paths: dict[Path, str], load_mask: Callable[[str], np.ndarray | None],
            save_mask: Callable[[str, np.ndarray, str], None],
            image_shape: Callable[[str], tuple[int, int] | None] | None = None) -> RecoveryReport:
    """Apply the recovery logs found in the mask folders of `mask_paths` (mask file -> image id):
    each image's mask and status rebuilt (`apply_records` over `load_mask(id)`) and saved with
    `save_mask(id, mask, status)`, which removes the log (`RecoveryReport`). A log of an unknown
    image is left alone, an empty one (or a torn first append alone) removed. Never a mask made up:
    a log that cannot be read (a newer format, not a log), or whose rectangles have no mask file of
    its size under them, is not applied and set aside (`set_aside`); one with a bad record after
    good ones gets those applied and is set aside; one that cannot be saved now (disk full) is left
    for the next opening; each told (`RecoveryProblem`), as an image now of another size than its
    recovered mask (`image_shape(id)`, (H, W) or None when unknown)."""
    report = RecoveryReport()
    folders = {path.parent for path in mask_paths}
    for folder in folders:
        for log in sorted(folder.glob(f"*{RECOVERY_SUFFIX}")):
            mask_file = log.with_name(log.name[: -len(RECOVERY_SUFFIX)])
            image_id = mask_paths.get(mask_file)
            if image_id is None:
                continue
            reading = read_log_checked(log)
            if not reading.records:
                if reading.problem is None:
                    log.unlink(missing_ok=True)
                else:
                    report.problems.append(RecoveryProblem(image_id, set_aside(log), f"not applied: {reading.problem}"))
                continue
            base, why = _base_problem(reading.records, load_mask, image_id)
            if why is not None:
                report.problems.append(RecoveryProblem(image_id, set_aside(log), why))
                continue
            mask, status = apply_records(base, reading.records)
            aside = log
            if reading.problem is not None:  # first: saving the mask removes the log (kept until then)
                aside = set_aside(log, keep=True)
                log = log if log.exists() else aside  # no link could be made: renamed
            try:
                save_mask(image_id, mask, status)
            except Exception as exc:  # noqa: BLE001 - kept for the next opening; the project still opens
                reason = getattr(exc, "reason", None) or str(exc)
                if log.name.endswith(RECOVERY_SUFFIX) and reading.torn_at is not None:
                    with contextlib.suppress(OSError):  # the kill's torn append: what is appended next is read
                        if not unshare_log(log):  # shared: its own copy is cut back (no room: by the next write's)
                            os.truncate(log, reading.torn_at)
                again = "applied when the project is opened again" if log.name.endswith(RECOVERY_SUFFIX) else "set aside"
                report.problems.append(RecoveryProblem(image_id, log, f"not applied now ({reason}): {again}"))
                continue
            report.recovered.append(image_id)
            if reading.problem is not None:
                report.problems.append(RecoveryProblem(
                    image_id, aside, f"applied up to an unreadable record ({reading.problem}); the commits after it are not"))
            shape = image_shape(image_id) if image_shape is not None else None
            if shape is not None and tuple(shape) != mask.shape:
                report.problems.append(RecoveryProblem(
                    image_id, None, f"recovered at {_size(mask.shape)}; the image is {_size(shape)} now"))
    return report
