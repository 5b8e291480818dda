"""A resumed budgeted run's end account ('in all ... since the command started') counted the training
steps of every earlier invocation of the run as this command's: stopped at step 5 (100 s of steps)
and resumed to step 16, it said 'in all 0:05:00 ...: training steps 0:05:20, validations 0:00:40,
start-up and saving 0:00:00', steps longer than the command itself and its 40 s start-up gone. The
account now counts this invocation's steps only (the `done:` line keeps the run's whole wall time).

Fake clock (`test_train_s32_resume_estimate._run`): no wall-clock thresholds. The first invocation (stopped at
step 5) is made once for the file (`test_train_s32_resume_estimate.stopped`, read only): each test resumes a copy
of its run folder (each test ran it again before)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_train_s32_resume_estimate import Stopped, _one_thread, _run, copy_of_stopped, stopped

__all__ = ["_one_thread", "stopped"]  # the fixtures, as test_train_s32_resume_estimate has them


def test_a_resumed_runs_account_counts_this_commands_steps(demo_dir: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch, stopped: Stopped) -> None:
    copy_of_stopped(stopped, tmp_path)
    resumed = _run(demo_dir, tmp_path, monkeypatch, resume=True)
    assert resumed.trainer.iteration == 16, resumed.said
    assert "done: 16 iterations, wall time 0:05:20" in resumed.said, resumed.said  # the run's: 5 + 11 steps
    assert ("in all 0:05:00 since the command started (time budget 0:05:00): training steps 0:03:40, "
            "validations 0:00:40, start-up and saving 0:00:40") in resumed.said, resumed.said


def test_a_resumed_runs_stop_counts_this_commands_steps(demo_dir: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch, stopped: Stopped) -> None:
    """Stopped again at step 8: three steps (60 s) of this command, after its 40 s start-up."""
    copy_of_stopped(stopped, tmp_path)
    resumed = _run(demo_dir, tmp_path, monkeypatch, resume=True, stop_after=8)
    assert ("in all 0:01:40 since the command started (time budget 0:05:00): training steps 0:01:00, "
            "validations 0:00:00, start-up and saving 0:00:40") in resumed.said, resumed.said
