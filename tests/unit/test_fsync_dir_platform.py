"""Which folder-fsync errors mean "this system cannot fsync a folder" (skipped) and which mean "it
failed" (`NotDurableError`), per platform (`fosp_core.io.atomic.fsync_dir`, `os.name` faked).

Windows cannot open a folder at all (EACCES, EISDIR): nothing to fsync there. On POSIX a folder we
just renamed a file into but cannot open read-only (EACCES, EPERM: a folder of mode 0300, an LSM
denial) is odd, and its rename may not be durable: told, not skipped. Before, EACCES/EPERM/EISDIR
were skipped on every platform.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from fosp_core.io import atomic
from fosp_core.io.atomic import NotDurableError, cannot_sync_folder, fsync_dir


class _Platform:
    """`os` as `fosp_core.io.atomic` sees it, with `name` faked (the real `os.name` left alone:
    pathlib and pytest read it)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


def _platform(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(atomic, "os", _Platform(name))


def _fail_opening_folders(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    real = os.open

    def open_(path: object, flags: int, *args: object) -> int:
        if os.path.isdir(path):  # type: ignore[arg-type]
            raise OSError(code, os.strerror(code))
        return real(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(atomic.os, "open", open_)


def _fail_fsync_of_folders(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    real = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EPERM, errno.EISDIR])
@pytest.mark.parametrize("where", ["open", "fsync"])
def test_on_posix_a_folder_that_cannot_be_opened_or_fsynced_for_lack_of_permission_is_told(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, where: str) -> None:
    _platform(monkeypatch, "posix")
    (_fail_opening_folders if where == "open" else _fail_fsync_of_folders)(monkeypatch, code)
    with pytest.raises(NotDurableError) as raised:
        fsync_dir(tmp_path)
    assert raised.value.errno == code and not cannot_sync_folder(code)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EISDIR])
def test_on_windows_a_folder_that_cannot_be_opened_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              code: int) -> None:
    _platform(monkeypatch, "nt")
    _fail_opening_folders(monkeypatch, code)
    fsync_dir(tmp_path)  # nothing raised: Windows cannot fsync a folder
    assert cannot_sync_folder(code)


@pytest.mark.parametrize("name", ["posix", "nt"])
@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF, errno.ENOSYS])
def test_a_file_system_without_folder_fsync_is_skipped_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  name: str, code: int) -> None:
    _platform(monkeypatch, name)
    _fail_fsync_of_folders(monkeypatch, code)
    fsync_dir(tmp_path)
    assert cannot_sync_folder(code)


@pytest.mark.parametrize("name", ["posix", "nt"])
@pytest.mark.parametrize("code", [errno.EIO, errno.ENOSPC, errno.EDQUOT, errno.ENOENT])
def test_an_io_error_is_told_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, code: int) -> None:
    _platform(monkeypatch, name)
    _fail_fsync_of_folders(monkeypatch, code)
    with pytest.raises(NotDurableError):
        fsync_dir(tmp_path)
