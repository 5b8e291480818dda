"""A training state that could not be saved for a reason other than a full disk (the run folder made
read-only, a last.pt of another user: EACCES) was told 'Free space and …' whatever the reason, since
'no space left on device' was the case in mind (`fosp train`, `fosp train-ssl`). The advice now follows
the reason: 'Free space' only for a full disk (ENOSPC, a quota)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from tests.unit.test_train_ssl import data_root  # noqa: F401 - the fixture, for train-ssl


def _refused(obj: object, f: object, *args: object, **kwargs: object) -> None:
    raise PermissionError(errno.EACCES, "Permission denied")


def test_train_told_the_reason_not_to_free_space(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture) -> None:
    import torch

    from fosp_core.cli import main
    from tests.unit.test_train_support import tiny_config_toml

    torch.set_num_threads(1)
    cfg = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml")
    monkeypatch.setattr(torch, "save", _refused)
    assert main(["train", str(cfg), "train.iterations=2"]) == 1
    err = capsys.readouterr().err
    assert "permission denied; no earlier file existed" in err, err
    assert "Free space" not in err and "writable and run it again." in err, err  # was 'Free space and ...'


def test_train_ssl_told_the_reason_not_to_free_space(data_root: Path, tmp_path: Path,  # noqa: F811 - the fixture
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    import torch

    from fosp_core.cli import main

    monkeypatch.setattr(torch, "save", _refused)
    args = ["train-ssl", "--runs-dir", str(tmp_path / "runs"), "--data-root", str(data_root), "--smokeseg",
            "smokeseg", "--crop", "64", "--mask-block", "16", "--batch", "2", "--threads", "1", "--workers", "0",
            "--probe-size", "0", "--quiet", "--iterations", "2", "--save-every", "1", "--name", "ssl"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "permission denied; no earlier file existed" in err, err
    assert "Free space" not in err and "writable and run it again." in err, err
