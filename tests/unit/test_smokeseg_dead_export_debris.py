"""An export killed mid-way leaves its hidden temporary folder beside the destination; the next export
to the same place removes it when its writer is gone, and never one a live export is writing."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import write_smokeseg
from fosp_core.data.types import Sample

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")

_KILLED_WRITER = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    from pathlib import Path
    from fosp_core.data.smokeseg import write_smokeseg
    from fosp_core.data.types import Sample

    def samples():
        for i in range(5):
            if i == 3:  # three images written into the temporary folder: killed, as by the OOM killer
                os.kill(os.getpid(), signal.SIGKILL)
            image = np.full((32, 32, 3), 40 * i, np.uint8)
            mask = np.zeros((32, 32), np.uint8)
            mask[: 4 * i, :] = 1
            yield Sample(f"img{i}", image, mask)

    write_smokeseg(samples(), Path(sys.argv[1]))
""")


def _samples(n: int = 2) -> list[Sample]:
    return [Sample(f"s{i}", np.full((16, 16, 3), 9 * i, np.uint8), np.eye(16, dtype=np.uint8)) for i in range(n)]


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _kill_an_export(dst: Path) -> Path:
    """Run an export to `dst` in a child process killed after three images; its debris."""
    done = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(dst)], capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    debris = [p for p in dst.parent.iterdir() if p.name.startswith(f".{dst.name}.tmp-")]
    assert len(debris) == 1 and len(list((debris[0] / "JPEGImages").iterdir())) == 3
    return debris[0]


def test_the_next_export_removes_a_killed_exports_folder_and_says_so(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    dst = tmp_path / "out"
    debris = _kill_an_export(dst)
    with caplog.at_level(logging.WARNING, logger="fosp_core.data.smokeseg"):
        write_smokeseg(_samples(), dst)
    assert not debris.exists()
    assert _hidden(tmp_path) == []
    assert sorted(p.name for p in (dst / "JPEGImages").iterdir()) == ["s0.jpg", "s1.jpg"]
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1 and str(debris) in said[0], said


def test_a_live_exports_folder_is_kept(tmp_path: Path) -> None:
    """A temporary folder named for a process still running (this one, or any live pid) is kept, as is
    one of another machine (a shared folder: its writer cannot be seen from here)."""
    from fosp_core.data.smokeseg_debris import tmp_prefix

    dst = tmp_path / "out"
    mine = tmp_path / f"{tmp_prefix(dst)}abcd1234"
    mine.mkdir()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        other = tmp_path / (tmp_prefix(dst).replace(f".{os.getpid()}.", f".{sleeper.pid}.") + "zz99")
        other.mkdir()
        elsewhere = tmp_path / f".out.tmp-another_host.{sleeper.pid + 1}.qq11"
        elsewhere.mkdir()
        older = tmp_path / ".out.tmp-k3j4h5g6"  # named by an earlier version: no writer to ask
        older.mkdir()
        foreign = tmp_path / ".other.tmp-x.1.ab"  # another destination's
        foreign.mkdir()
        write_smokeseg(_samples(), dst)
        assert all(p.is_dir() for p in (mine, other, elsewhere, older, foreign))
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_dead_writers_folder_of_this_machine_is_removed_and_listed(tmp_path: Path) -> None:
    from fosp_core.data.smokeseg_debris import clean_dead_exports, tmp_prefix

    dst = tmp_path / "out"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = tmp_path / (tmp_prefix(dst).replace(f".{os.getpid()}.", f".{gone.pid}.") + "dd00")
    (dead / "JPEGImages").mkdir(parents=True)
    (dead / "JPEGImages" / "a.jpg").write_bytes(b"x" * 100)
    link = tmp_path / (tmp_prefix(dst).replace(f".{os.getpid()}.", f".{gone.pid}.") + "ln00")
    link.symlink_to(tmp_path / "elsewhere")  # a link is nobody's temporary folder: left alone
    assert clean_dead_exports(dst) == [dead]
    assert not dead.exists() and link.is_symlink()


def test_a_long_destination_name_still_exports(tmp_path: Path) -> None:
    """A name too long for the writer's host and pid beside it (255 bytes at most) gets the unnamed
    temporary folder of before (never removed by a later export: no writer to ask) instead of failing."""
    dst = tmp_path / ("d" * 240)  # 254 bytes with the unnamed folder's ".tmp-" and 8 random characters
    write_smokeseg(_samples(), dst)
    assert sorted(p.name for p in (dst / "JPEGImages").iterdir()) == ["s0.jpg", "s1.jpg"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="a zombie is told by /proc")
def test_a_writer_killed_and_not_yet_reaped_is_gone(tmp_path: Path) -> None:
    # an export run in a child process and killed (the OOM killer) before its parent waited for it: a
    # zombie, which kill(pid, 0) still finds; its folder was kept until the parent reaped it
    from fosp_core.data.smokeseg_debris import clean_dead_exports, tmp_prefix

    dst = tmp_path / "out"
    zombie = subprocess.Popen([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"])
    try:
        os.waitid(os.P_PID, zombie.pid, os.WEXITED | os.WNOWAIT)  # exited, left unreaped: a zombie
        dead = tmp_path / (tmp_prefix(dst).replace(f".{os.getpid()}.", f".{zombie.pid}.") + "zz00")
        (dead / "JPEGImages").mkdir(parents=True)
        assert clean_dead_exports(dst) == [dead]
        assert not dead.exists()
    finally:
        zombie.wait()
