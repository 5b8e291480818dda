"""`fosp compare A B` and `fosp eval --checkpoint A --checkpoint B` loaded model A before finding
that B names no checkpoint (a typo of a run name): the model's load was spent and its note printed
before the error. Checks come before work (README, Exit codes): every checkpoint is resolved first,
then the models load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import fosp_core.infer
from fosp_core.cli import main
from tests.unit.test_train_support import save_tiny_checkpoint


@pytest.fixture()
def loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The model loads asked for (none really made: the checks come first)."""
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    asked: list[Any] = []
    monkeypatch.setattr(fosp_core.infer, "probability_fn", lambda checkpoint, **_kw: asked.append(checkpoint))
    return asked


def test_compare_resolves_both_before_loading(tmp_path: Path, demo_dir: Path, loads: list[Any],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    assert main(["compare", str(a), "my-finetuen", str(demo_dir / "JPEGImages"), "--device", "cpu"]) == 2
    assert "my-finetuen: checkpoint file not found" in capsys.readouterr().err
    assert loads == []  # was [a]: A loaded before B was found missing


def test_eval_resolves_every_checkpoint_before_loading(tmp_path: Path, demo_dir: Path, loads: list[Any],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    assert main(["eval", "--dataset", str(demo_dir), "--checkpoint", str(a), "--checkpoint", "nope",
                 "--device", "cpu"]) == 2
    assert "nope: checkpoint file not found" in capsys.readouterr().err
    assert loads == []
