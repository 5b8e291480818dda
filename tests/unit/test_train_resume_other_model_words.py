"""`fosp train … --resume` (or `--resume-from STATE`) with a model the state was not saved for said
'…/last.pt: checkpoint model config differs from the config's in ['channels']': a Python list, no
values, and no word on what to do. A user who changed `model.overrides.channels=32` between the
start and the resume reads now which key differs and how (the state's value, the config's), and
that a state continues only with its own model (the run's config.toml says it) or that another
model is a new run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fosp_core.train.state import StateError, check_model_matches
from tests.unit.test_train_support import tiny_config_toml


def test_the_keys_and_values_and_what_to_do_are_said(tmp_path: Path) -> None:
    state = tmp_path / "runs" / "tiny" / "last.pt"
    state.parent.mkdir(parents=True)
    (state.parent / "config.toml").write_text("[model]\n")
    with pytest.raises(StateError) as raised:
        check_model_matches({"model_name": "fosp-s", "model_config": {"channels": 16, "depth": 2}}, "fosp-s",
                            {"channels": 32, "depth": 2}, state)
    said = str(raised.value)
    assert "['channels']" not in said, said
    assert "channels: state 16, config 32" in said, said
    assert str(state.parent / "config.toml") in said and "a new run" in said, said


def test_another_variant_says_what_to_do(tmp_path: Path) -> None:
    state = tmp_path / "last.pt"
    with pytest.raises(StateError) as raised:
        check_model_matches({"model_name": "fosp-s"}, "segformer-b0", None, state)
    said = str(raised.value)
    assert "'fosp-s'" in said and "'segformer-b0'" in said and "a new run" in said, said


def test_fosp_train_resume_with_other_channels(demo_dir: Path, tmp_path: Path) -> None:
    """The command line: a tiny run, then --resume with model.overrides.channels=32: exit 2, no traceback.
    The first run, whose state the command resumes, is the same command in this process (a process start
    with torch costs ~2-3 s of the 2-core CI's time); the resume, the command under test, is a program."""
    from fosp_core.cli import main

    config = tiny_config_toml(demo_dir, tmp_path / "runs", tmp_path / "tiny.toml", train={"iterations": 1})
    args = ["train", str(config), "--quiet"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FOSP_CACHE": str(tmp_path / "cache"),
           "OMP_NUM_THREADS": "1"}
    assert main(args) == 0
    assert (tmp_path / "runs" / "tiny" / "last.pt").is_file()
    resumed = subprocess.run([sys.executable, "-m", "fosp_core", *args, "train.iterations=2",
                              "model.overrides.channels=32", "--resume"],
                             capture_output=True, text=True, env=env, timeout=300)
    assert resumed.returncode == 2, resumed.stderr
    assert "Traceback" not in resumed.stderr
    assert "channels: state 16, config 32" in resumed.stderr, resumed.stderr
