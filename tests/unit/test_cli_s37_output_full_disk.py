"""A `fosp` command whose own output cannot be written (session 37, helper N3, odd invocations).

``fosp project status photos --json > status.json`` on a full disk (or ``> /dev/full``) ended in a Python
traceback ("OSError: [Errno 28] No space left on device" from print). It now says that its output could
not be written, and why, on stderr, and exits 1 (a write error, README's table), with no traceback nor
"Exception ignored" at the interpreter's end."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core.cli import ExitCode, main

ROOT = Path(__file__).resolve().parents[2]


class _FullDisk:
    """A stdout on a full disk: every write and flush fails with ENOSPC."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "no descriptor")


def test_output_on_a_full_disk_is_said_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    code = main(["info"])  # was: OSError raised out of main
    err = capsys.readouterr().err
    assert code == ExitCode.FAILED, err
    assert "cannot write the command's output" in err and "No space left on device" in err, err


def test_other_os_errors_are_not_taken_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.cli import info

    def broken(_args: object) -> int:
        raise OSError(errno.ENOSPC, "a bug's own error, stdout fine")

    monkeypatch.setattr(info, "run", broken)
    with pytest.raises(OSError, match="a bug's own error"):
        main(["info"])


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full (not Linux)")
def test_dev_full(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "fosp_core", "project", "status", str(tmp_path), "--json"],
                              stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == ExitCode.USAGE, done.stderr  # no project there: said on stderr, nothing on stdout
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "fosp_core", "info", "--json"], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == ExitCode.FAILED, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
    assert "cannot write the command's output" in done.stderr, done.stderr
