"""The exported dataset's folder mode follows the process's umask, whatever it is.

test_smokeseg_writer_permissions runs under umask 022 only, where 0777 less the umask and a fixed
0755 agree: a writer that ignored the umask (0755 always) passed it. Under 027 (a group-only site)
and 002 (a shared group folder) the folder must be 0750 / 0775, as ``mkdir`` makes its subfolders;
and the umask is read without being set (``os.umask`` sets it: another thread's file would get it)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import write_smokeseg
from fosp_core.data.types import Sample


def _samples() -> list[Sample]:
    mask = np.zeros((8, 8), np.uint8)
    mask[2:5, 2:5] = 1
    return [Sample("a", np.full((8, 8, 3), 90, np.uint8), mask)]


@pytest.mark.parametrize(("umask", "mode"), [(0o027, 0o750), (0o002, 0o775), (0o077, 0o700)])
def test_the_folder_mode_is_mkdirs_under_any_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        calls: list[int] = []
        real = os.umask
        monkeypatch.setattr(os, "umask", lambda m: calls.append(m) or real(m))
        dst = write_smokeseg(_samples(), tmp_path / "ds")
        monkeypatch.undo()
    finally:
        os.umask(old)
    assert stat.S_IMODE(dst.stat().st_mode) == mode
    assert stat.S_IMODE((dst / "JPEGImages").stat().st_mode) == mode
    if Path("/proc/self/status").exists():
        assert calls == []  # read from /proc, never set
