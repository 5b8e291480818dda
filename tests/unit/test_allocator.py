"""`fosp_core.train.allocator`: glibc's malloc kept from returning memory between training steps."""

from __future__ import annotations

import platform
import sys

import pytest

from fosp_core.train.allocator import ENV_SWITCH, tune_for_training

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"


@pytest.mark.skipif(not GLIBC, reason="needs glibc (Linux)")
def test_glibc_accepts_every_setting() -> None:
    message = tune_for_training({})
    assert "keeps freed memory" in message, message


def test_switch_keeps_the_defaults() -> None:
    assert "defaults" in tune_for_training({ENV_SWITCH: "default"})
    assert "defaults" in tune_for_training({ENV_SWITCH: "OFF"})


@pytest.mark.skipif(not GLIBC, reason="needs glibc (Linux)")
@pytest.mark.parametrize("name", ["MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES", "LD_PRELOAD"])
def test_users_own_settings_win(name: str) -> None:
    message = tune_for_training({name: "1"})
    assert message.startswith("allocator: unchanged") and name in message


def test_train_command_says_what_it_did(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from fosp_core.cli.train import tune_allocator

    monkeypatch.setenv(ENV_SWITCH, "default")
    tune_allocator()
    assert "allocator: glibc defaults" in capsys.readouterr().out
    tune_allocator(quiet=True)
    assert capsys.readouterr().out == ""
