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

The format and the reading of records: `fosp_core.annotation.recovery_records`; logs set aside:
`fosp_core.annotation.recovery_aside`; both re-exported here.

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

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fosp_core.annotation.recovery_aside import (
    UNAPPLIED_SUFFIX,
    UnappliedLog,
    set_aside,
    unapplied_logs,
    unshare_log,
)
from fosp_core.annotation.recovery_records import (
    FORMAT,
    RECOVERY_SUFFIX,
    LogReading,
    Record,
    apply_records,
    encode_record,
    is_whole,
    legacy_log_path,
    log_path,
    read_log,
    read_log_checked,
    status_record,
)
from fosp_core.io.long_names import digest_of, fits

__all__ = ["FORMAT", "RECOVERY_SUFFIX", "UNAPPLIED_SUFFIX", "LogReading", "Record", "RecoveryProblem",
           "RecoveryReport", "UnappliedLog", "apply_records", "encode_record", "is_whole", "log_path", "read_log",
           "read_log_checked", "recover", "set_aside", "status_record", "unapplied_logs", "unshare_log"]


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


def _short_logs(mask_paths: dict[Path, str]) -> tuple[dict[Path, tuple[str, Path]], dict[Path, list[str]]]:
    """The short-form log names of the long ids of `mask_paths` (mask file -> id): each log's id and the
    log's name now (`log_path`); an earlier version's name of a long id in short form's shape too
    (`legacy_log_path`: the id's own hex kept; never over a name of now). And the earlier names that
    several ids had (what those versions got wrong): name -> the ids, none of which a log so named is
    known to be."""
    by_log: dict[Path, tuple[str, Path]] = {}
    legacy: dict[Path, tuple[str, Path]] = {}
    claims: dict[Path, list[str]] = {}
    for path, image_id in mask_paths.items():
        if fits(path.name + RECOVERY_SUFFIX):
            continue
        own = log_path(path)
        by_log[own] = (image_id, own)
        if digest_of(image_id) is not None:
            name = legacy_log_path(path)
            legacy.setdefault(name, (image_id, own))
            claims.setdefault(name, []).append(image_id)
    shared = {name: ids for name, ids in claims.items() if len(ids) > 1 and name not in by_log}
    return legacy | by_log, shared


def _short(image_id: str) -> str:
    """An id for a sentence: a long one by its end (where two such ids differ)."""
    return image_id if len(image_id) <= 48 else "..." + image_id[-40:]


def _renamed(log: Path, own: Path, image_id: str, report: RecoveryReport) -> Path | None:
    """An earlier version's log `log` of `image_id` under the name it has now, `own` (renamed: every save
    finds it there); None when it cannot be (one is there already, the rename failed): `log` set aside,
    told (never applied over the log of now, nor left to be applied again after it)."""
    if not os.path.lexists(own):
        with contextlib.suppress(OSError):
            os.rename(log, own)
            return own
    report.problems.append(RecoveryProblem(image_id, set_aside(log), "not applied: an earlier version's log of "
                                           "the image, under the name it gave it, beside the image's log now"))
    return None


def _logs_in(folder: Path, names: list[str] | None) -> list[Path]:
    """The recovery logs in `folder`, sorted, from its listing `names` (None: listed now), as
    ``folder.glob("*.recovery")`` finds them."""
    if names is None:
        return sorted(folder.glob(f"*{RECOVERY_SUFFIX}"))
    return sorted(folder / n for n in names if n.endswith(RECOVERY_SUFFIX))


def recover(mask_paths: dict[Path, str], load_mask: Callable[[str], np.ndarray | None],
            save_mask: Callable[[str, np.ndarray, str], None],
            image_shape: Callable[[str], tuple[int, int] | None] | None = None,
            listed: Mapping[Path, list[str]] | None = None) -> RecoveryReport:
    """Apply the recovery logs found in the mask folders of `mask_paths` (mask file -> image id;
    `listed`: a folder's names when the caller has listed it, else it is listed here):
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
    by_log: dict[Path, tuple[str, Path]] | None = None  # short-form log -> long id and its log now, made once
    shared: dict[Path, list[str]] = {}  # earlier versions' names several ids had: whose log is not known
    for folder in folders:
        for log in _logs_in(folder, None if listed is None else listed.get(folder)):
            mask_file = log.with_name(log.name[: -len(RECOVERY_SUFFIX)])
            image_id = mask_paths.get(mask_file)  # ``<id>.png.recovery``: no work per image
            if image_id is None and digest_of(mask_file.stem) is not None:  # a long id's (`fosp_core.io.long_names`)
                if by_log is None:
                    by_log, shared = _short_logs(mask_paths)
                if (owners := shared.get(log)) is not None:  # never applied to a guess: one's edits over another's mask
                    report.problems.append(RecoveryProblem(owners[0], set_aside(log), (
                        "not applied: an earlier version's log under a name that images "
                        f"{' and '.join(_short(i) for i in owners)} all had; whose edits it holds cannot be told")))
                    continue
                image_id, own = by_log.get(log, (None, log))
                if image_id is not None and own != log and (log := _renamed(log, own, image_id, report)) is None:
                    continue
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
