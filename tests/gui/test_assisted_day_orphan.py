"""Model-assisted labelling, a day with the app: the app crashes (or is killed) while a fine-tune
runs. The training process went on alone, using the machine's cores for the rest of the run while
nothing showed it; the next session's dialog then offered to resume the run it was still writing.
Now the run watches the app's pid and stops as on Stop (its state saved)."""

from __future__ import annotations

import os
import time

import pytest

from app.training.process import TrainingProcess
from fosp_core.train import signals


def test_the_app_names_itself_to_the_run_it_starts() -> None:
    assert TrainingProcess.environment().value(signals.PARENT_ENV) == str(os.getpid())


@pytest.mark.skipif(os.name != "posix", reason="the parent watch interrupts with SIGINT (POSIX)")
def test_a_run_whose_parent_is_gone_is_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(signals, "PARENT_POLL_S", 0.02)
    monkeypatch.setenv(signals.PARENT_ENV, str(os.getppid()))
    with signals.stop_signals():  # its parent is there: no interrupt
        time.sleep(0.2)
    monkeypatch.setenv(signals.PARENT_ENV, str(os.getppid() + 1_000_000))  # a parent that is not ours: it died
    with pytest.raises(KeyboardInterrupt), signals.stop_signals():
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.01)
