"""A fine-tune whose run folder's disk fills (R3 review, session 35: a real run from the Fine-tune dialog with its
runs folder on a 3 MiB tmpfs): the run printed "error: could not save .../best.safetensors: no space left on
device; ..." and the dialog said only "The training process ended with code 1; its messages are below." Its
full-disk words (free space, how much is free, Start again or Resume) looked for "No space left on device" with a
capital N, while `CheckpointSaveError` (dc3017dc) says it in lower case. Qt-free words, tested on the error's own
text."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from app.training.messages import failure_text
from fosp_core.train.state import CheckpointSaveError


def test_the_trainers_full_disk_error_is_said_as_a_full_disk(tmp_path: Path) -> None:
    run_dir = tmp_path / "runs" / "ft"
    run_dir.mkdir(parents=True)
    error = CheckpointSaveError(run_dir / "best.safetensors", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    line = f"error: {error}. {error.advice('press Resume')}"  # what `fosp train` prints (train_written)
    text = failure_text(1, ["training fosp-s in ...", line], run_dir)
    assert text.startswith("The disk is full: the run could not save its files in"), text
    assert "Start again" in text  # no last.pt: nothing to resume
    (run_dir / "last.pt").write_bytes(b"state")
    assert "Resume continues it" in failure_text(1, [line], run_dir)


def test_another_failure_keeps_the_exit_code_words(tmp_path: Path) -> None:
    text = failure_text(1, ["error: something else went wrong"], tmp_path / "runs" / "ft")
    assert text == "The training process ended with code 1; its messages are below."
