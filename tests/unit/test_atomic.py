"""fosp_core.io.atomic: the one atomic writer (annotation, masks, checkpoints, training state)."""

from __future__ import annotations

import errno
import os
import stat

import pytest
import torch
from torch import nn

from fosp_core.io import atomic
from fosp_core.io.atomic import append_durable, atomic_target, file_mode, write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_replaces_and_respects_umask(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert _mode(target) == file_mode() == 0o666 & ~atomic._UMASK
    write_atomic(target, lambda fh: fh.write(b"from a writer"))
    assert target.read_bytes() == b"from a writer"
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.fixture()
def full_disk(monkeypatch):
    """Every write stores its first 3 bytes, then fails with ENOSPC."""

    def full(fd, data):
        os.write(fd, data[:3])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_chunk", full)


@pytest.mark.parametrize("write", [write_atomic, append_durable])
def test_full_disk_keeps_the_old_file(tmp_path, full_disk, write):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old\n")
    with pytest.raises(OSError) as info:
        write(target, b"new bytes")
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"old\n"  # an append's 3 bytes written were cut off again
    assert not list(tmp_path.glob(".*.tmp"))


def test_atomic_target_removes_the_temp_on_error(tmp_path):
    target = tmp_path / "w.safetensors"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_target(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("writer crashed")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_target(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and _mode(target) == file_mode()


def test_missing_folder_is_a_clear_oserror(tmp_path):
    with pytest.raises(OSError):
        write_atomic(tmp_path / "nope" / "a.bin", b"x")


def test_checkpoints_and_masks_get_the_umask_mode(tmp_path):
    import numpy as np

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.io.masks import write_mask_png
    from fosp_core.model.registry import build_model

    model: nn.Module = build_model("segformer-b0", channels=32)
    path = save_checkpoint(model, tmp_path / "m.safetensors", dtype=torch.float16)
    mask = write_mask_png(tmp_path / "m.png", np.zeros((4, 4), np.uint8))
    assert _mode(path) == file_mode() and _mode(mask) == file_mode()


def test_append_durable_adds_lines_and_never_glues_one_to_a_torn_record(tmp_path):
    path = tmp_path / "journal.jsonl"
    append_durable(path, b'{"a": 1}')
    append_durable(path, b'{"a": 2}\n')
    assert path.read_bytes() == b'{"a": 1}\n{"a": 2}\n'
    assert stat.S_IMODE(os.stat(path).st_mode) == file_mode()
    with open(path, "ab") as fh:  # a crash mid-append left half a record
        fh.write(b'{"a": 3')
    append_durable(path, b'{"a": 4}')
    assert path.read_bytes().split(b"\n") == [b'{"a": 1}', b'{"a": 2}', b'{"a": 3', b'{"a": 4}', b""]

