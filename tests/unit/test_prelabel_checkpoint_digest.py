"""`fosp_core.annotation.prelabel.checkpoint_digest`: the checkpoint's digest that stamps pre-label and
Run on all summaries follows the file's bytes, not only its (path, modification time, size)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from fosp_core.annotation.prelabel import checkpoint_digest
from fosp_core.trained_on import file_digest


def test_a_checkpoint_saved_again_in_the_same_clock_tick_and_size_gets_its_new_digest(tmp_path: Path) -> None:
    # a training run saving its checkpoint twice within one tick of a coarse file-system clock (FAT: 2 s,
    # HFS+: 1 s): same size (same model), same modification time, other weights
    ckpt = tmp_path / "model.safetensors"
    tick = time.time_ns() + 10_000_000_000  # pinned: the two saves share it, whatever the machine's load
    ckpt.write_bytes(b"A" * 4096)
    os.utime(ckpt, ns=(tick, tick))
    first = checkpoint_digest(ckpt)
    ckpt.write_bytes(b"B" * 4096)
    os.utime(ckpt, ns=(tick, tick))
    assert checkpoint_digest(ckpt) == file_digest(ckpt) != first  # was the first save's digest: stale stamps


def test_an_unchanged_checkpoint_is_read_once_and_a_missing_one_raises(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ckpt = tmp_path / "model.safetensors"
    ckpt.write_bytes(b"C" * 4096)
    old = time.time_ns() - 60_000_000_000  # settled: its digest is kept
    os.utime(ckpt, ns=(old, old))
    reads: list[str] = []
    import fosp_core.trained_on as trained_on

    real = trained_on.file_digest
    monkeypatch.setattr(trained_on, "file_digest", lambda p: reads.append(str(p)) or real(p))
    assert checkpoint_digest(ckpt) == checkpoint_digest(ckpt) == real(ckpt)
    assert len(reads) <= 1
    with pytest.raises(OSError):
        checkpoint_digest(tmp_path / "gone.safetensors")
