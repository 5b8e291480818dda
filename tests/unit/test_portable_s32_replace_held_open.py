"""Windows: ``os.replace`` over a file that another program holds open (an antivirus scan, OneDrive or
Dropbox looking at the new mask, this program's own reader: Python's ``open`` shares no delete) fails with
``PermissionError`` (access denied / sharing violation) for as long as it is held, usually a fraction of a
second. Before, every atomic write (`write_atomic`, `atomic_target`, and so every mask, summary, checkpoint,
project file) failed at the first refusal: 'Save failed: [WinError 5] Access is denied'. Now the rename is
tried again, `REPLACE_TRIES` times over about 2.5 s, then `TargetInUseError` says what holds it; the
temporary file is removed and the old target left whole either way. On POSIX a PermissionError is a
folder's mode: raised at once. Windows is simulated: ``os.name`` as `fosp_core.io.atomic` sees it, and its
``os.replace`` refusing as Windows does; the waits are not slept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.annotation.storage import StorageError, atomic_write
from fosp_core.io import atomic
from fosp_core.io.atomic import REPLACE_TRIES, TargetInUseError, atomic_target, replace_file, write_atomic


class _Windows:
    """`os` as `fosp_core.io.atomic` sees it on Windows, whose ``replace`` is refused while the target is
    held open: the first `held` tries (all when None)."""

    name = "nt"

    def __init__(self, held: int | None) -> None:
        self.held, self.tries = held, 0

    def replace(self, src: object, dst: object) -> None:
        self.tries += 1
        if self.held is None or self.tries <= self.held:
            err = PermissionError(13, "The process cannot access the file because it is being used by another "
                                      "process", str(dst))
            err.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
            raise err
        os.replace(src, dst)  # type: ignore[arg-type]

    def __getattr__(self, attr: str) -> object:
        return getattr(os, attr)


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(atomic, "_sleep", waits.append)
    return waits


def _windows(monkeypatch: pytest.MonkeyPatch, held: int | None) -> _Windows:
    fake = _Windows(held)
    monkeypatch.setattr(atomic, "os", fake)
    return fake


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_target_held_open_for_a_moment_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     slept: list[float]) -> None:
    target = tmp_path / "mask.png"
    target.write_bytes(b"old")
    fake = _windows(monkeypatch, held=3)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert fake.tries == 4 and len(slept) == 3 and slept == sorted(slept)
    assert _left(tmp_path) == ["mask.png"]


def test_a_target_held_open_by_a_writer_that_names_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            slept: list[float]) -> None:
    target = tmp_path / "weights.safetensors"
    _windows(monkeypatch, held=2)
    with atomic_target(target) as tmp:
        tmp.write_bytes(b"weights")
    assert target.read_bytes() == b"weights" and _left(tmp_path) == ["weights.safetensors"]


def test_a_target_held_open_throughout_is_said_and_left_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              slept: list[float]) -> None:
    target = tmp_path / "mask.png"
    target.write_bytes(b"old")
    fake = _windows(monkeypatch, held=None)
    with pytest.raises(TargetInUseError) as caught:
        write_atomic(target, b"new")
    assert fake.tries == REPLACE_TRIES and len(slept) == REPLACE_TRIES - 1
    assert 1.0 < sum(slept) < 5.0, slept  # bounded: a few seconds of waiting, not forever
    assert isinstance(caught.value, PermissionError) and caught.value.filename == str(target)
    assert "another program has it open" in str(caught.value)
    assert target.read_bytes() == b"old" and _left(tmp_path) == ["mask.png"]  # no temporary file left


def test_a_project_save_says_what_holds_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 slept: list[float]) -> None:
    target = tmp_path / "project.json"
    target.write_bytes(b"{}")
    _windows(monkeypatch, held=None)
    with pytest.raises(StorageError) as caught:
        atomic_write(target, b'{"a": 1}')
    words = str(caught.value)
    assert words.startswith(f"{target}: cannot write: ") and "another program has it open" in words, words
    assert "antivirus" in words and "try again" in words, words
    assert target.read_bytes() == b"{}" and _left(tmp_path) == ["project.json"]


def test_posix_raises_a_permission_error_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 slept: list[float]) -> None:
    fake = _windows(monkeypatch, held=None)
    fake.name = "posix"  # type: ignore[misc]  # a folder's mode, not a reader: no waiting
    with pytest.raises(PermissionError) as caught:
        replace_file(tmp_path / "a", tmp_path / "b")
    assert not isinstance(caught.value, TargetInUseError)
    assert fake.tries == 1 and slept == []


def test_the_advice_is_to_close_the_program_not_to_make_the_folder_writable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slept: list[float]) -> None:
    from app.save_problems import SaveProblem
    from fosp_core.session import OpenError
    from fosp_core.train.state import CheckpointSaveError, atomic_write_text

    _windows(monkeypatch, held=None)
    with pytest.raises(CheckpointSaveError) as caught:  # a run's last.pt, open in a viewer
        atomic_write_text(tmp_path / "last.json", "{}")
    advice = caught.value.advice("run it again")
    assert "writable" not in advice and advice.startswith("Close the program that has"), advice
    with pytest.raises(StorageError) as held:  # an image's mask, held by a sync client
        atomic_write(tmp_path / "img01.png", b"png")
    reason = held.value.reason
    fix = SaveProblem("img01", OpenError(tmp_path / "img01.png", reason), tmp_path, ("img01",), (reason,)).fix()
    assert "writable" not in fix and fix.startswith("Close the program that has the file open"), fix
