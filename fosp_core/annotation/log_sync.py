"""The recovery log's append split in two: the write on the committing (GUI) thread, the fsync on the
project's save thread (`fosp_core.annotation.mask_saves`).

`append_record` writes a commit's record with write() before the commit returns: from then on the
record is in the kernel's page cache and outlives a crash of the process (a kill, a segfault). It
is not fsynced there: `sync_log`, run by the save thread before it writes the PNG that supersedes the
log (and before the log can be removed), makes it durable against an OS crash or a power loss. So
the window in which an OS crash or power loss can lose a commit that returned is from its return to
that fsync: the save thread reaches it once the saves queued before it have ended (one per image,
usually at most the one running: a PNG of ~0.2 / 0.35 s at 48 / 96 MP). A crash of the process loses
nothing at any moment. A failed fsync is a failed save (told; the PNG is not written, the log stays).

The background saves' records are written by the log's folder's append thread (`queue_record`: one per
folder, while it has work), never by the committing (GUI) thread: a disk that stops answering holds that
thread, not the window. The committing thread waits for its record `RECORD_WAIT_S` at most, so on a disk
that answers all stays as above (the record written when the commit returns, a failure raised there); once
a record has not been written in that time the folder is stalled and the next commits wait for nothing
until its thread ends a record again. The order holds all the same: the save thread's `sync_log` first
waits for every record queued for that log, so a commit is in its log (and fsynced) before its PNG is
written, let alone told saved. A queued record that fails after its commit returned is told by that
`sync_log` (the save fails), and every later record queued for the log is refused (not written) until the
project says the log started again (`log_restarted`: the log removed, or ended with a whole-mask record):
the log always holds a prefix of the commits, never a rectangle without the one before it. A kill of the
process loses the records still queued (only on a stalled disk).
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from fosp_core.annotation.storage import StorageError
from fosp_core.io.atomic import BINARY, file_mode, fsync_dir, full_fsync

__all__ = ["APPEND_THREAD", "RECORD_WAIT_S", "append_record", "appends_waiting", "log_restarted", "queue_record", "refuses",
           "sync_file", "sync_log", "take_back", "wait_appends", "wait_folder_appends"]


def _why(exc: OSError) -> str:
    return "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))


def _error(path: Path, exc: OSError) -> StorageError:
    return StorageError(path, f"cannot write: {_why(exc)}", exc.errno)


def _byte_at(fd: int, offset: int) -> bytes:
    """The byte at `offset` of `fd` (no ``os.pread``: Windows has none; an appending write goes to the end
    wherever the position is)."""
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, 1)


def append_record(path: Path, line: bytes, **_: object) -> None:
    """Append one newline-terminated record to the log `path` (created when missing) with write(),
    no fsync (`sync_log` does it, on the save thread). A record is never glued to a torn one before
    it (a newline first when the file does not end with one); a failed write (disk full) cuts the
    file back to its old length and raises `StorageError`."""
    if not line.endswith(b"\n"):
        line += b"\n"
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | BINARY, file_mode())
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        size = os.fstat(fd).st_size
        if size and _byte_at(fd, size - 1) != b"\n":
            line = b"\n" + line
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.ftruncate(fd, size)
        raise _error(path, exc) from exc
    finally:
        os.close(fd)


def sync_file(path: Path, *, folder: bool = True, failed: Callable[[str], str] | None = None) -> None:
    """Make the file `path` durable: fsync it, then (`folder`) its folder, where a file created since
    is an entry. A file gone meanwhile is nothing to do. Raises `StorageError`: "cannot write: <why>"
    when it cannot be opened or its folder's fsync fails (but where the file system cannot fsync a
    folder: `fosp_core.io.atomic.fsync_dir`); when the file's own fsync fails, ``failed(why)`` where
    given (the journal: `journal_settles.fsync_failed_reason`), else the same words. Opened for
    writing: Windows' fsync (FlushFileBuffers) fails on a handle opened read-only."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _error(path, exc) from exc
    try:
        full_fsync(fd)  # macOS: F_FULLFSYNC (its fsync stops at the drive's cache)
    except OSError as exc:
        if failed is None:
            raise _error(path, exc) from exc
        raise StorageError(path, failed(_why(exc)), exc.errno) from exc
    finally:
        os.close(fd)
    if not folder:
        return
    try:
        fsync_dir(path.parent)  # a failure of it (EIO): the file may not be in the folder after a power loss
    except OSError as exc:
        raise _error(path, exc) from exc


def sync_log(path: Path) -> None:
    """Make the recovery log `path` durable, the file and its folder (`sync_file`), once the records queued
    for it are written (`queue_record`); a log gone meanwhile (its edits saved by a PNG and a journal line)
    is nothing to do. Raises `StorageError` ("cannot write: <why>"): a queued record's failure, and while the
    log refuses records after one (`log_restarted` not called since), that failure again - the PNG after it
    would be left beside a log that lacks commits, which a re-opening applies over it."""
    wait_appends(path)
    with _cond:
        failed = _failed.pop(path, None)
        refused = _refusing.get(path)
        if refused is not None and refused[1] is not None and refused[1]() is None:
            del _refusing[path]  # the project that wrote that log is closed: it was taken up at its opening
            refused = None
    if failed is not None:
        raise failed
    if refused is not None:
        raise StorageError(path, refused[0])
    sync_file(path)


# ----------------------------------------------------------------------------- queued records
#: the append threads' name
APPEND_THREAD = "fosp-log-appends"
#: the longest the committing thread waits for its record to be written (a disk that answers: microseconds)
RECORD_WAIT_S = 0.5


@dataclass
class _Record:
    path: Path
    line: bytes
    prepare: Callable[[Path], object] | None
    whole: bool
    append: Callable[[Path, bytes], None]
    ended: bool = False
    error: StorageError | None = None
    refusing_before: bool = False  # its log refused records when it failed (a record missing before it)


_cond = threading.Condition()
_queues: dict[Path, deque[_Record]] = {}  # folder -> its records waiting (a folder is here while its thread runs)
_pending: dict[Path, int] = {}  # log -> its records queued or being written
_failed: dict[Path, StorageError] = {}  # log -> a queued record's failure, not told yet (`sync_log` tells it)
#: log -> why its records are refused (a record failed: `log_restarted` ends it), and whose records (the owner of
#: the failed record's `prepare`, a project: one opened again later starts from what the files hold)
_refusing: dict[Path, tuple[str, weakref.ref | None]] = {}
_stalled: set[Path] = set()  # folders whose thread has not ended a record in `RECORD_WAIT_S`: commits do not wait


def queue_record(path: Path, line: bytes, *, prepare: Callable[[Path], object] | None = None,
                 whole: bool = False, wait: float | None = None,
                 append: Callable[[Path, bytes], None] | None = None) -> bool:
    """Have `line` appended to the log `path` (`append_record`) by the append thread of its folder, after the
    records queued before it, and wait for it `wait` seconds at most (not at all while the folder is stalled;
    None: `RECORD_WAIT_S` as it is at the call). `prepare(path)` runs there first (an exception of it fails the record, nothing written). `whole`: a
    whole-mask record, written even while the log refuses records (a failure before), ending the refusal.
    `append`: what writes it (`append_record`; a seam for tests). True: written; False: still queued (its failure, if any, told by `sync_log`). Raises `StorageError` when
    it failed within the wait (the log as it was; later records are taken as before)."""
    record = _Record(path, line, prepare, whole, append or append_record)
    folder = path.parent
    with _cond:
        _pending[path] = _pending.get(path, 0) + 1
        queue = _queues.get(folder)
        if queue is not None:
            queue.append(record)
        else:
            _queues[folder] = deque([record])
            threading.Thread(target=_run, args=(folder,), name=APPEND_THREAD, daemon=True).start()
        if folder in _stalled or not _cond.wait_for(lambda: record.ended, RECORD_WAIT_S if wait is None else wait):
            _stalled.add(folder)  # the disk does not answer: the next commits do not wait
            return False
        if record.error is not None:  # told here, as a write on this thread would have been
            if _failed.get(path) is record.error:
                del _failed[path]
            if not record.refusing_before and not any(r.path == path for r in _queues.get(folder, ())):
                _refusing.pop(path, None)  # its own failure, none after it: the caller keeps its pixels to log
            raise record.error
        return True


def wait_appends(path: Path | None = None, timeout: float | None = None) -> bool:
    """Until the records queued for the log `path` (None: any) are written or failed, or `timeout` seconds
    passed (None: no end; a disk that does not answer holds them for good). Whether none is left."""
    with _cond:
        return _cond.wait_for(lambda: not (_pending if path is None else path in _pending), timeout)


def wait_folder_appends(folders: Iterable[Path], timeout: float) -> bool:
    """Until the records queued for the logs under `folders` (one folder's spellings) are written or failed,
    `timeout` seconds at most (a reader of the folder that must see every commit that returned: a video's opening
    joining the shown one). Whether none is left."""
    folders = tuple(folders)

    def none_left() -> bool:
        return not any(path.is_relative_to(folder) for path in _pending for folder in folders)

    with _cond:
        return _cond.wait_for(none_left, timeout)


def appends_waiting(path: Path | None = None) -> int:
    """How many records queued for the log `path` (None: any log) are not written yet."""
    with _cond:
        return _pending.get(path, 0) if path is not None else sum(_pending.values())


def refuses(path: Path) -> bool:
    """Whether the log `path` refuses records (a queued one failed; `log_restarted` not called since): the next
    commit's record must be a whole-mask one, which is written all the same and ends the refusal."""
    with _cond:
        return path in _refusing


def log_restarted(path: Path) -> None:
    """The log `path` was removed, or ended with a whole-mask record written another way: its records are
    taken again (a queued failure not told yet is moot)."""
    with _cond:
        _refusing.pop(path, None)
        _failed.pop(path, None)


def _run(folder: Path) -> None:
    """The append thread of `folder`: writes its records in order until none waits, then ends."""
    while True:
        with _cond:
            queue = _queues[folder]
            if not queue:
                del _queues[folder]
                return
            record = queue.popleft()
        error: StorageError | None = None
        try:
            _write_record(record)
        except Exception as exc:  # noqa: BLE001 - told by the committing thread or the save thread's `sync_log`
            reason = getattr(exc, "reason", None) or f"cannot write: {exc}"
            error = exc if isinstance(exc, StorageError) else StorageError(record.path, reason,
                                                                              getattr(exc, "errno", None))
        with _cond:
            if error is not None:
                record.refusing_before = record.path in _refusing
                owner = getattr(record.prepare, "__self__", None)
                _refusing[record.path] = (error.reason, None if owner is None else weakref.ref(owner))
                _failed.setdefault(record.path, error)
            record.error, record.ended = error, True
            _stalled.discard(folder)  # it answered
            left = _pending.get(record.path, 1) - 1
            if left:
                _pending[record.path] = left
            else:
                _pending.pop(record.path, None)
            _cond.notify_all()


def _write_record(record: _Record) -> None:
    with _cond:
        refused = None if record.whole else _refusing.get(record.path)
        if refused is not None and refused[1] is not None and refused[1]() is not getattr(record.prepare, "__self__", None):
            del _refusing[record.path]  # another project's (closed since): this one wrote no record after it
            refused = None
    if refused is not None:
        raise StorageError(record.path, refused[0])  # a record before it is missing: not written
    if record.prepare is not None:
        record.prepare(record.path)
    record.append(record.path, record.line)
    if record.whole:  # the log ends with the whole mask: as `log_restarted`, a failure before it is moot
        with _cond:
            _refusing.pop(record.path, None)
            _failed.pop(record.path, None)


def take_back(path: Path, size: int) -> bool:
    """Cut the log at `path` back to `size` bytes, durably (a record of a save that failed taken
    back; no room needed); False when it cannot be."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return False
    try:
        os.ftruncate(fd, size)
        full_fsync(fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True
