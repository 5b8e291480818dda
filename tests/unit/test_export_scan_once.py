"""An export lists its destination's parent folder once for the debris of dead exports
(`fosp_core.data.smokeseg_debris`: the old datasets moved aside, ``.DST.old-*``, and the unfinished copies,
``.DST.tmp-*``): it listed it twice, once for each kind - a folder of many datasets (or a slow network
share) paid it twice at every export. The listing is counted with a stand-in for ``os.scandir`` and
``os.listdir`` (`tests.stat_count`'s way); the debris is still found and settled from the one listing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from fosp_core.data.smokeseg import write_smokeseg
from fosp_core.data.smokeseg_debris import old_prefix, tmp_prefix
from fosp_core.data.types import Sample

pytestmark = pytest.mark.skipif(os.name != "posix", reason="a writer's liveness is read from its pid on POSIX")

DEAD_PID = 2**22 + 12345  # above the kernel's pid_max default: no process has it


def _samples(n: int = 2) -> list[Sample]:
    return [Sample(f"s{i}", np.full((16, 16, 3), 9 * i, np.uint8), np.eye(16, dtype=np.uint8)) for i in range(n)]


def _listings_of(folder: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[[], object]) -> int:
    """How many times `run()` lists `folder` (os.scandir, os.listdir; the patches undone after)."""
    calls: list[str] = []
    scandir, listdir = os.scandir, os.listdir

    def counted(real: Callable) -> Callable:
        def call(path: object = ".", *args: object) -> object:
            if not isinstance(path, int) and os.path.realpath(os.fspath(path)) == os.path.realpath(folder):
                calls.append(str(path))
            return real(path, *args)
        return call

    monkeypatch.setattr(os, "scandir", counted(scandir))
    monkeypatch.setattr(os, "listdir", counted(listdir))
    try:
        run()
    finally:
        monkeypatch.undo()
    return len(calls)


def _dead(dst: Path, prefix: Callable[[Path], str]) -> Path:
    """A dead writer's folder beside `dst`, named by `prefix` as a process `DEAD_PID` of this machine."""
    name = prefix(dst).replace(f".{os.getpid()}.", f".{DEAD_PID}.")
    folder = Path(tempfile.mkdtemp(prefix=name, dir=dst.parent))
    (folder / "JPEGImages").mkdir()
    (folder / "JPEGImages" / "a.jpg").write_bytes(b"x" * 10)
    return folder


def test_an_export_lists_the_destination_s_parent_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dst = tmp_path / "out"
    write_smokeseg(_samples(), dst)
    assert _listings_of(tmp_path, monkeypatch, lambda: write_smokeseg(_samples(), dst, overwrite=True)) == 1


def test_the_one_listing_finds_both_kinds_of_debris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dst = tmp_path / "out"
    write_smokeseg(_samples(), dst)
    old, unfinished = _dead(dst, old_prefix), _dead(dst, tmp_prefix)
    cleaned: list = []
    listings = _listings_of(tmp_path, monkeypatch,
                            lambda: write_smokeseg(_samples(3), dst, overwrite=True, cleaned=cleaned.append))
    assert listings == 1
    assert sorted((d.path, d.fate) for d in cleaned) == sorted([(old, "old"), (unfinished, "unfinished")])
    assert not old.exists() and not unfinished.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_old_copy_put_back_and_an_unfinished_one_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DST missing (killed between its two moves): the old dataset is put back, then replaced by this export;
    the dead export's unfinished copy found in the same listing is removed."""
    dst = tmp_path / "out"
    old, unfinished = _dead(dst, old_prefix), _dead(dst, tmp_prefix)
    cleaned: list = []
    listings = _listings_of(tmp_path, monkeypatch,
                            lambda: write_smokeseg(_samples(), dst, overwrite=True, cleaned=cleaned.append))
    assert listings == 1
    assert sorted((d.path, d.fate) for d in cleaned) == sorted([(old, "restored"), (unfinished, "unfinished")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (dst / "JPEGImages" / "s0.jpg").is_file()
