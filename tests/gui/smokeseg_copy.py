"""A writable copy of the 30 real SmokeSeg samples of ../shared/data (the shared folder is read-only: r-x), with
HOME and XDG_CACHE_HOME under the test's folder: the set-up of session 35's reviews on real data."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

__all__ = ["writable_smokeseg"]


def writable_smokeseg(shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`tmp_path/smokeseg`, a copy of the samples that may be written; HOME and the cache under `tmp_path`."""
    monkeypatch.setenv("HOME", os.fspath(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", os.fspath(tmp_path / "cache"))
    dataset = tmp_path / "smokeseg"
    shutil.copytree(shared_data / "smokeseg-samples", dataset)
    for path in [dataset, *dataset.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return dataset
