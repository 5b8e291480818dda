"""`open_run_folder`: a new run folder appears whole (with its config.toml) or not at all."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from fosp_core.train import run_folder
from fosp_core.train.run_folder import open_run_folder


def test_a_new_folder_appears_with_its_config_and_no_staging_left(tmp_path: Path) -> None:
    run = tmp_path / "runs" / "a"
    open_run_folder(run, 'name = "a"\n')
    assert (run / "config.toml").read_text() == 'name = "a"\n'
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["a"]


def test_an_existing_folder_only_gets_its_config_replaced(tmp_path: Path) -> None:
    run = tmp_path / "a"
    run.mkdir()
    (run / "config.toml").write_text("old")
    (run / "last.pt").write_bytes(b"state")
    open_run_folder(run, "new")
    assert {p.name: p.read_bytes() for p in run.iterdir()} == {"config.toml": b"new", "last.pt": b"state"}


def test_a_failed_config_write_leaves_no_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(path: Path, text: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(run_folder, "atomic_write_text", full_disk)
    with pytest.raises(OSError):
        open_run_folder(tmp_path / "a", "x")
    assert list(tmp_path.iterdir()) == []
