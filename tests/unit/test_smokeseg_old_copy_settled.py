"""An export replacing a dataset moves the old one aside (``.DST.old-{host}.{pid}.{random}``), moves its own in,
then removes the old one. Killed between those steps it left the folder aside for good, and killed between the
two moves it left DST missing, the folder aside holding the only copy of the old dataset. The next export to
the same place settles it (`fosp_core.data.smokeseg_debris.settle_old_copies`): put back as DST when DST is
missing, removed when DST is in place; never one of a live writer or of another machine. Real child processes,
SIGKILLed at each point between the moves (they say where they are and wait there)."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import SmokeSegWriteError, write_smokeseg
from fosp_core.data.smokeseg_debris import DeadExport, old_prefix, settle_old_copies
from fosp_core.data.types import Sample
from tests.killed_child import kill_when_said

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")

#: a child replacing the dataset at argv[1], stopped at argv[2]: it says the point, then waits to be killed
_REPLACING_WRITER = textwrap.dedent("""
    import os, shutil, sys, time
    from pathlib import Path
    import numpy as np
    from fosp_core.data.smokeseg import write_smokeseg
    from fosp_core.data.types import Sample

    dst, point = Path(sys.argv[1]), sys.argv[2]
    real_replace, real_rmdir, real_rmtree = os.replace, os.rmdir, shutil.rmtree

    def stop():
        print(point, flush=True)
        time.sleep(600)

    def rmdir(path, *args, **kwargs):
        if point == "aside-named" and ".old-" in os.fspath(path):  # its name taken, nothing moved yet
            stop()
        real_rmdir(path, *args, **kwargs)

    def replace(src, to, *args, **kwargs):
        real_replace(src, to, *args, **kwargs)
        if point == "moved-aside" and ".old-" in os.fspath(to):  # DST missing: the old one only aside
            stop()
        if point == "moved-in" and ".tmp-" in os.fspath(src):  # the new one in place, the old one aside
            stop()

    def rmtree(path, *args, **kwargs):
        if point == "removing-old" and ".old-" in os.fspath(path):  # part of the old one removed
            os.remove(sorted(Path(path, "JPEGImages").iterdir())[0])
            stop()
        real_rmtree(path, *args, **kwargs)

    os.rmdir, os.replace, shutil.rmtree = rmdir, replace, rmtree
    write_smokeseg([Sample(f"new{i}", np.full((16, 16, 3), 60 * i, np.uint8), np.eye(16, dtype=np.uint8))
                    for i in range(3)], dst, overwrite=True)
    print("finished", flush=True)
""")

POINTS = ["aside-named", "moved-aside", "moved-in", "removing-old"]


def _samples(prefix: str, n: int) -> list[Sample]:
    return [Sample(f"{prefix}{i}", np.full((16, 16, 3), 30 * i, np.uint8), np.eye(16, dtype=np.uint8))
            for i in range(n)]


def _images(folder: Path) -> list[str]:
    return sorted(p.stem for p in (folder / "JPEGImages").iterdir())


def _hidden(folder: Path, kind: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(f".out.{kind}-"))


def _killed_while_replacing(tmp_path: Path, point: str) -> Path:
    """The dataset at tmp_path/out (old0, old1), replaced by a child killed at `point`; DST."""
    dst = tmp_path / "out"
    write_smokeseg(_samples("old", 2), dst)
    kill_when_said(_REPLACING_WRITER, [str(dst), point], [point])
    return dst


@pytest.mark.parametrize("point", POINTS)
def test_a_kill_between_the_moves_never_loses_both_datasets(tmp_path: Path, point: str) -> None:
    dst = _killed_while_replacing(tmp_path, point)
    olds = _hidden(tmp_path, "old")
    assert len(olds) == 1, sorted(p.name for p in tmp_path.iterdir())
    if point == "aside-named":
        assert _images(dst) == ["old0", "old1"] and not any(olds[0].iterdir())
    elif point == "moved-aside":  # the only copy of the old dataset is the one aside
        assert not dst.exists() and _images(olds[0]) == ["old0", "old1"]
    else:
        assert _images(dst) == ["new0", "new1", "new2"]


@pytest.mark.parametrize("point", POINTS)
def test_the_next_export_settles_what_the_killed_one_left(tmp_path: Path, point: str) -> None:
    dst = _killed_while_replacing(tmp_path, point)
    old = _hidden(tmp_path, "old")[0]
    cleaned: list[DeadExport] = []
    write_smokeseg(_samples("next", 1), dst, overwrite=True, cleaned=cleaned.append)
    assert _images(dst) == ["next0"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing hidden left
    fates = {d.path: d.fate for d in cleaned}
    assert fates[old] == ("restored" if point == "moved-aside" else "old")
    if point in ("aside-named", "moved-aside"):  # the killed one's temporary folder was there too
        assert sorted(fates.values()) == sorted([fates[old], "unfinished"])
    else:
        assert list(fates) == [old]


def test_an_export_that_does_not_replace_puts_the_old_dataset_back_and_says_so(tmp_path: Path) -> None:
    """DST missing, the old dataset aside: an export without overwrite finds it back in place (as it was
    before the killed export) and is refused, saying it put it back."""
    dst = _killed_while_replacing(tmp_path, "moved-aside")
    old = _hidden(tmp_path, "old")[0]
    with pytest.raises(SmokeSegWriteError) as raised:
        write_smokeseg(_samples("next", 1), dst)
    assert _images(dst) == ["old0", "old1"] and not old.exists()
    assert "folder is not empty" in raised.value.reason
    assert "before failing, it put back the dataset a dead export had moved aside" in raised.value.reason
    assert old.name in raised.value.reason


def test_a_live_writers_or_another_machines_old_copy_is_left_alone(tmp_path: Path) -> None:
    dst = tmp_path / "out"
    mine = tmp_path / f"{old_prefix(dst)}abcd1234"  # this process: alive
    (mine / "JPEGImages").mkdir(parents=True)
    elsewhere = tmp_path / ".out.old-another_host.1.qq11"
    elsewhere.mkdir()
    older = tmp_path / ".out.old-k3j4h5g6"  # named by an earlier version: no writer to ask
    older.mkdir()
    assert settle_old_copies(dst) == [] and not dst.exists()
    write_smokeseg(_samples("next", 1), dst)
    assert all(p.is_dir() for p in (mine, elsewhere, older))


def test_a_file_at_the_destination_leaves_the_old_copy_alone(tmp_path: Path) -> None:
    dst = _killed_while_replacing(tmp_path, "moved-aside")
    dst.write_text("not a dataset")
    assert settle_old_copies(dst) == [] and len(_hidden(tmp_path, "old")) == 1


def test_a_symbolic_link_whose_dataset_was_moved_aside_gets_it_back(tmp_path: Path) -> None:
    """An export through a link replaces the folder it leads to: killed between the moves, the link leads
    nowhere, which the writer refuses; the old dataset is put back there first."""
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real / "out")
    write_smokeseg(_samples("old", 2), real / "out")
    kill_when_said(_REPLACING_WRITER, [str(link), "moved-aside"], ["moved-aside"])
    assert not (real / "out").exists()
    cleaned: list[DeadExport] = []
    write_smokeseg(_samples("next", 1), link, overwrite=True, cleaned=cleaned.append)
    assert link.is_symlink() and _images(link) == ["next0"]
    assert sorted(p.name for p in real.iterdir()) == ["out"]
    assert sorted(d.fate for d in cleaned) == ["restored", "unfinished"]
