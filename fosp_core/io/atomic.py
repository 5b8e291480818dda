"""Atomic file writes, the one way every part of FoSp Studio saves a file.

The data goes to a temporary file in the target's folder, is flushed and (``durable``) fsync'ed,
then ``os.replace``d over the target, and the folder is fsync'ed: after a crash - ``kill -9`` or a
power cut after the call returned - the target holds either the old or the new bytes, never a
mixture, and a full disk leaves the old file untouched (the temporary file is removed). On Windows a
target held open by another program (an antivirus scan, a sync client, a reader) refuses the rename for a
while: it is tried again for about 2.5 s, then `TargetInUseError` says so (`replace_file`).

New files get the usual mode for the user's umask (0644 with umask 022), not ``mkstemp``'s 0600,
so a project folder shared by a group stays readable. Errors are plain ``OSError``s (errno kept);
callers wrap them into their own error types with the path and a sentence for the user.

Every fsync here is `full_fsync`: on macOS ``os.fsync`` leaves the data in the drive's own cache (a power
cut loses it), so ``fcntl(F_FULLFSYNC)`` is asked where ``fcntl`` has it, and ``os.fsync`` is the fallback
when the file system refuses it (SMB, some USB drives) and everywhere else.

The folder's fsync (`fsync_dir`) is skipped where the file system cannot do it (EINVAL, ENOTSUP,
EBADF; EACCES/EISDIR opening a folder on Windows only); any other failure of it (EIO, ENOSPC, EDQUOT;
EACCES/EPERM on POSIX, a folder that cannot be opened read-only) raises `NotDurableError`: the change is in place - the target replaced, the file created - but may
not survive an OS crash or a power loss, and the caller must say so.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from fosp_core.io.long_names import fit_name

try:
    import fcntl as _fcntl
except ImportError:  # Windows
    _fcntl = None  # type: ignore[assignment]

__all__ = ["BINARY", "IN_USE", "REPLACE_TRIES", "NotDurableError", "TargetInUseError", "append_durable", "atomic_target",
           "cannot_sync_folder", "create_folder", "file_mode", "fsync_dir", "full_fsync", "replace_file", "write_atomic"]

CHUNK = 1 << 20
#: ``os.open``'s flag for binary files: Windows opens a file in text mode without it (each b"\n" written as
#: b"\r\n", a read stopping at Ctrl-Z); 0 elsewhere
BINARY = getattr(os, "O_BINARY", 0)


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()  # read once: os.umask is process-wide and not thread-safe to query later


def file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file under this process's umask."""
    return 0o666 & ~_UMASK


def full_fsync(fd: int) -> None:
    """Flush `fd` to the medium: ``fcntl(fd, F_FULLFSYNC)`` where the platform has it (macOS, whose
    ``fsync`` stops at the drive's cache), ``os.fsync`` when that is refused (a file system that cannot:
    any OSError) and on every other platform. Raises what ``os.fsync`` raises."""
    full = getattr(_fcntl, "F_FULLFSYNC", None) if _fcntl is not None else None
    if full is not None:
        try:
            _fcntl.fcntl(fd, full)
            return
        except OSError:
            pass  # not supported here: the plain fsync, whose own error is the one told
    os.fsync(fd)


def _write_chunk(fd: int, data: memoryview) -> int:
    """One os.write call (a seam for tests that simulate a full disk)."""
    return os.write(fd, data)


def create_folder(folder: Path, fill: Callable[[Path], object], *, tag: str = "creating") -> bool:
    """Make the new folder `folder` whole or not at all: `fill(staging)` fills a hidden temporary
    folder beside it (``.<name>.<random>.<tag>``), which is then renamed into place in one step and
    the parent fsync'ed. False, with nothing of ours left, when a folder of that name appeared
    meanwhile (another process); on any error the temporary folder is removed and the error raised
    (`NotDurableError`: the folder is in place, maybe not durably)."""
    staging = folder.parent / fit_name(folder.name, f".{uuid.uuid4().hex[:12]}.{tag}", ".")  # a long name: cut
    staging.mkdir()  # the umask's usual folder mode
    try:
        fill(staging)
        try:
            staging.rename(folder)
        except OSError:
            if not folder.is_dir():
                raise
            return False
        fsync_dir(folder.parent)
        return True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


class NotDurableError(OSError):
    """A folder's fsync failed (an I/O error, errno kept): the change in it is made, and visible,
    but may not survive an OS crash or a power loss (`fsync_dir`)."""


#: errors of opening a folder or fsyncing it that say the file system cannot fsync a folder (the
#: rename is still atomic), not that it failed to: Linux's EINVAL on some file systems, ENOTSUP /
#: EOPNOTSUPP, EBADF on some, ENOSYS
CANNOT_SYNC_FOLDER = frozenset((errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF, errno.ENOSYS))

#: Windows cannot open a folder at all (EACCES, EISDIR): no folder fsync there. On POSIX the same
#: errors (and EPERM) say a folder we just renamed a file into cannot be opened read-only (mode 0300,
#: an LSM denial): odd, and the rename may not be durable, so they are told (`NotDurableError`)
CANNOT_OPEN_FOLDER_ON_WINDOWS = frozenset((errno.EACCES, errno.EISDIR))


def cannot_sync_folder(code: int | None) -> bool:
    """Whether the folder fsync error `code` says that this system cannot fsync a folder (skipped),
    not that the fsync failed (`CANNOT_SYNC_FOLDER`; on Windows, ``os.name == "nt"``, also
    `CANNOT_OPEN_FOLDER_ON_WINDOWS`)."""
    return code in CANNOT_SYNC_FOLDER or (os.name == "nt" and code in CANNOT_OPEN_FOLDER_ON_WINDOWS)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in `folder` durable where the file system can. Raises
    `NotDurableError` when the fsync (or opening the folder for it) fails with any error that
    `cannot_sync_folder` does not skip (EIO, ENOSPC, EDQUOT, a folder gone; on POSIX EACCES/EPERM)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        if cannot_sync_folder(exc.errno):
            return
        raise NotDurableError(exc.errno, exc.strerror or str(exc), str(folder)) from exc
    try:
        full_fsync(fd)
    except OSError as exc:
        if not cannot_sync_folder(exc.errno):
            raise NotDurableError(exc.errno, exc.strerror or str(exc), str(folder)) from exc
    finally:
        os.close(fd)


class TargetInUseError(PermissionError):
    """Windows refused, again and again for `REPLACE_TRIES` tries, to put a new file in place of the target:
    another program holds the target open (an antivirus scan, a sync client, a viewer, this program's own
    reader), or it is read-only. ``filename``: the target; errno EACCES; the new file was not put in place."""


#: the words of `TargetInUseError` that say what holds the file (what a caller's advice looks for)
IN_USE = "another program has it open"


#: Windows: how often `replace_file` tries ``os.replace`` while the target is held open, first waiting 20 ms,
#: then twice as long each time (about 2.5 s in all, the time an antivirus scan or a sync client's look takes)
REPLACE_TRIES = 8
_REPLACE_FIRST_WAIT_S = 0.02


def _sleep(seconds: float) -> None:
    """time.sleep (a seam for tests that simulate a file held open on Windows)."""
    time.sleep(seconds)


def replace_file(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """``os.replace(src, dst)``. On Windows a target that another program has open (without delete sharing:
    Python's own ``open``, most antivirus scanners and sync clients) cannot be replaced - ``PermissionError``
    (access denied, sharing violation) for as long as it is held; the rename is tried again, `REPLACE_TRIES`
    times in all, then `TargetInUseError` is raised saying so. Elsewhere a ``PermissionError`` is a folder's
    mode, raised at once. `src` is left in place on failure (the caller removes it)."""
    wait = _REPLACE_FIRST_WAIT_S
    for attempt in range(1, REPLACE_TRIES + 1):
        try:
            os.replace(src, dst)
            return
        except PermissionError as exc:
            if os.name != "nt" or isinstance(exc, TargetInUseError):
                raise
            if attempt == REPLACE_TRIES:
                raise TargetInUseError(
                    errno.EACCES, f"Windows refused to replace it for {attempt} tries: {IN_USE} "
                    "(an antivirus scan, a sync client such as OneDrive or Dropbox, a viewer, another FoSp Studio "
                    "window) or it is read-only; close it there and try again", os.fspath(dst)) from exc
            _sleep(wait)
            wait *= 2


#: The longest file name most file systems take (bytes), and what mkstemp adds to the prefix.
_NAME_MAX, _TEMP_EXTRA = 255, 8 + len(".tmp")


def _temp_prefix(name: str) -> str:
    """``.<name>.``, the name cut so that the temporary name fits in a name of 255 bytes (a target
    whose name is near the limit must still get its temporary file: was 'File name too long')."""
    prefix = f".{name}"
    while len(os.fsencode(prefix)) > _NAME_MAX - _TEMP_EXTRA - 1:
        prefix = prefix[:-1]  # whole characters: a cut UTF-8 sequence would not encode back
    return prefix + "."


def _temp_beside(path: Path) -> tuple[int, Path]:
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path.name), suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, file_mode())
    except OSError:
        pass
    return fd, Path(tmp)


def write_atomic(path: str | os.PathLike, data: bytes | Callable[[BinaryIO], None], *,
                 durable: bool = True) -> Path:
    """Replace ``path`` with ``data`` (bytes, or a function writing to a binary file object).

    durable: fsync the file and its folder (off for caches that may be lost). Returns the path.
    Raises OSError; the temporary file is removed and ``path`` is untouched on any failure but
    `NotDurableError` (raised after the rename: ``path`` holds the new bytes, maybe not durably).
    """
    path = Path(path)
    fd, tmp = _temp_beside(path)
    try:
        if isinstance(data, bytes | bytearray | memoryview):
            view = memoryview(data)
            while view:
                written = _write_chunk(fd, view[:CHUNK])
                view = view[written:]
            if durable:
                full_fsync(fd)
            os.close(fd)
        else:
            with os.fdopen(fd, "wb") as fh:
                data(fh)
                fh.flush()
                if durable:
                    full_fsync(fh.fileno())
        fd = -1
        replace_file(tmp, path)
    except BaseException:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)
    return path


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike, *, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside ``path`` for writers that want a file name (safetensors, OpenCV);
    when the block ends without an exception it is fsync'ed and renamed over ``path``, otherwise
    it is removed and ``path`` is untouched (`NotDurableError`: renamed, maybe not durably)."""
    path = Path(path)
    fd, tmp = _temp_beside(path)
    os.close(fd)
    try:
        yield tmp
        with contextlib.suppress(OSError):
            os.chmod(tmp, file_mode())  # some writers recreate the file with their own mode
        if durable:
            with open(tmp, "rb") as fh:
                full_fsync(fh.fileno())
        replace_file(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if durable:
        fsync_dir(path.parent)


def append_durable(path: str | os.PathLike, line: bytes, *, durable: bool = True) -> None:
    """Append one newline-terminated record to ``path`` (created when missing) and fsync it: a
    write-ahead journal's append, far cheaper than rewriting a big file.

    After a crash the file ends with every record whose call returned, and at most one torn
    record after them. A record is never glued to a torn one before it (a newline is written first
    when the file does not end with one), and a failed write (disk full) cuts the file back to its
    old length. Raises OSError. `durable` False: no fsync unless the call creates the file - the
    record outlives the process at once, a power loss only from the next durable append on.
    `NotDurableError`: the file was created and the record written, its folder's fsync failed.
    """
    path = Path(path)
    if not line.endswith(b"\n"):
        line += b"\n"
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | BINARY, file_mode())
    try:
        size = os.fstat(fd).st_size
        if size:
            with open(path, "rb") as fh:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    line = b"\n" + line
        try:
            view = memoryview(line)
            while view:
                view = view[_write_chunk(fd, view):]
            if durable or created:  # a durable record after this one must not rely on a file not on disk
                full_fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)
