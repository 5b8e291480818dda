"""Odd file names through the atomic writers: a target whose name is near the file system's
limit (255 bytes) still gets written, whatever its characters."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.io.atomic import atomic_target, write_atomic


@pytest.mark.parametrize("name", ["a" * 251 + ".png", "é" * 125 + "x.png", "山" * 83 + ".png"])
def test_a_name_of_up_to_255_bytes_is_written_atomically(tmp_path: Path, name: str) -> None:
    assert len(name.encode()) <= 255
    path = tmp_path / name

    write_atomic(path, b"first")
    with atomic_target(path) as tmp:
        assert len(os.fsencode(tmp.name)) <= 255
        tmp.write_bytes(b"second")

    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left
