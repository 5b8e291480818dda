"""Durable file writes of a project and their error (`fosp_core.annotation.storage` re-exports them).

`atomic_write` writes to a temporary file in the target's folder, fsyncs it, `os.replace`s it over
the target and fsyncs the folder: after a crash (even ``kill -9`` or a power cut after the call
returned) the target holds either the old or the new bytes, never a mixture. A failed write
(disk full, read-only folder) removes the temporary file, leaves the old target untouched and
raises `StorageError`. `PreviousFile` keeps a file's old version aside (a hard link) while a
save that replaces it goes on, to put it back when a later step of that save fails.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from fosp_core.io.atomic import NotDurableError, write_atomic
from fosp_core.io.long_names import fit_name, too_long
from fosp_core.windows_names import path_too_long_words

__all__ = ["PreviousFile", "StorageError", "atomic_write", "write_error"]


class StorageError(OSError):
    """A file could not be written; carries the path and the reason (errno kept when known).
    `in_place`: the new file is there all the same, only its folder's fsync failed (an I/O error:
    it may not survive a power loss; `fosp_core.io.atomic.NotDurableError`)."""

    def __init__(self, path: str | os.PathLike, reason: str, err: int | None = None, *,
                 in_place: bool = False) -> None:
        super().__init__(err or 0, f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.errno = err
        self.in_place = in_place

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def write_error(path: Path, exc: OSError) -> StorageError:
    """`exc`, raised writing `path`, as a `StorageError` saying "cannot write: <why>" (a failed
    folder fsync: "written, but cannot make it durable: <why>", `in_place`)."""
    reason = "disk full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
    if exc.errno == errno.ENAMETOOLONG and (long := too_long(path.name, verb="is")) is not None:
        reason = long
    elif (deep := path_too_long_words(exc, "")) is not None:  # Windows without long paths: said after the path
        reason = deep
    if isinstance(exc, NotDurableError):
        return StorageError(path, f"written, but cannot make it durable (its folder's fsync failed: {reason}; "
                                  "it may not survive a power loss)", exc.errno, in_place=True)
    return StorageError(path, f"cannot write: {reason}", exc.errno)


def atomic_write(path: str | os.PathLike, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` atomically (see module doc). durable: fsync file and folder."""
    path = Path(path)
    try:
        write_atomic(path, data, durable=durable)
    except OSError as exc:
        raise write_error(path, exc) from exc


class PreviousFile:
    """The file at `path` as it is now, kept aside while a save replaces it: `restore` puts it
    back (or removes the new file when there was none), `discard` lets it go. Kept as a hard link
    named like an atomic write's temporary file (``.<name>.<random>.tmp``, removed when a crash
    leaves it); where hard links cannot be made, its bytes are kept in memory instead."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self._aside: Path | None = None
        self._data: bytes | None = None
        self.existed = self.path.is_file()
        if not self.existed:
            return
        aside = self.path.with_name(fit_name(self.path.name, f".{secrets.token_hex(4)}.tmp", "."))  # a long name: cut
        try:
            os.link(self.path, aside)
            self._aside = aside
        except OSError:
            try:
                self._data = self.path.read_bytes()
            except OSError:
                pass

    def restore(self) -> bool:
        """Put the old file back, as far as possible (a rename: needs no room on the disk); whether
        it is back (False: the new file stays)."""
        try:
            if self._aside is not None:
                os.replace(self._aside, self.path)
                self._aside = None
            elif self._data is not None:
                write_atomic(self.path, self._data)
            elif not self.existed:
                self.path.unlink(missing_ok=True)
            else:
                return False
        except OSError:
            return False  # the new file stays: it is the user's newer work
        return True

    def discard(self) -> None:
        """The save went through: forget the old file."""
        if self._aside is not None:
            try:
                self._aside.unlink()
            except OSError:
                pass
            self._aside = None
        self._data = None
