"""A training state (`last.pt`) written onto a full disk: torch.save's zip writer turned the file's
OSError into "RuntimeError: [enforce fail at inline_container.cc] unexpected pos 64 vs 0", so
`fosp train` on a 2 MB tmpfs ended in that traceback instead of its "could not save …: no space left
on device; the previous file is intact … --resume" message. `save_state` now raises the write's own
OSError as CheckpointSaveError; the previous file survives and no temporary file is left.
When the first state could not be saved there is nothing to resume: the message says to run it again
(it said "continue with --resume", which then answered "nothing to resume")."""

from __future__ import annotations

import errno
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.unit.test_train_ssl import data_root  # noqa: F401 - the fixture, for train-ssl


def test_a_real_write_limit_while_saving_a_training_state_is_a_checkpoint_save_error(tmp_path: Path) -> None:
    # the real torch.save, stopped by a file size limit of 1 MB (EFBIG: the same I/O error path as ENOSPC)
    path = tmp_path / "last.pt"
    path.write_bytes(b"OLD")
    script = textwrap.dedent(f"""
        import resource, signal
        import torch
        from fosp_core.train.state import CheckpointSaveError, save_state
        state = {{"model": {{"w": torch.zeros(1 << 20)}}, "iteration": 2}}  # 4 MB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        try:
            save_state({str(path)!r}, state)
        except CheckpointSaveError as exc:
            print("CheckpointSaveError", exc.errno, exc)
        except BaseException as exc:
            print("other", type(exc).__name__, exc)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)

    assert done.stdout.startswith(f"CheckpointSaveError {errno.EFBIG} could not save {path}: "), \
        done.stdout + done.stderr
    assert "the previous file is intact" in done.stdout
    assert path.read_bytes() == b"OLD"
    assert [p.name for p in tmp_path.iterdir()] == ["last.pt"]


def test_a_run_whose_first_state_could_not_be_saved_is_told_to_run_again_not_resume(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    import torch

    from fosp_core.cli import main
    from tests.unit.test_train_support import tiny_config_toml

    torch.set_num_threads(1)
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    real_save = torch.save

    def full_disk(obj: object, f: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(torch, "save", full_disk)
    assert main(["train", str(cfg), "train.iterations=2"]) == 1
    err = capsys.readouterr().err
    assert "no space left on device; no earlier file existed" in err, err
    assert "--resume" not in err and "Free space and run it again" in err, err
    monkeypatch.setattr(torch, "save", real_save)
    assert main(["train", str(cfg), "train.iterations=2"]) == 0  # as told: the run starts again


def test_train_ssl_whose_first_state_could_not_be_saved_is_told_to_run_again(
        data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811 - the fixture
        capsys: pytest.CaptureFixture) -> None:
    import torch

    from fosp_core.cli import main

    def full_disk(obj: object, f: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(torch, "save", full_disk)
    args = ["train-ssl", "--runs-dir", str(tmp_path / "runs"), "--data-root", str(data_root), "--smokeseg",
            "smokeseg", "--crop", "64", "--mask-block", "16", "--batch", "2", "--threads", "1", "--workers", "0",
            "--probe-size", "0", "--quiet", "--iterations", "2", "--save-every", "1", "--name", "ssl"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "no space left on device; no earlier file existed" in err, err
    assert "--resume" not in err and "Free space and run it again" in err, err
