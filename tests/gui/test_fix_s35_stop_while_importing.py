"""The app started in the background of a non-interactive shell (`nohup fosp-studio &` in sh) has SIGINT
ignored, and a child inherits an ignored signal across exec: a Stop pressed while the fine-tune run was
still importing torch (before `stop_signals` set its handlers) was lost, and the run trained on. The run
is now started with SIGINT at its default (`TrainingProcess.start`), so such a Stop interrupts it.

The child here stands in for `fosp train`'s start: it says it is importing, waits (as a long import
would) until the test has pressed Stop, then trains under `stop_signals` as the real run does."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import SimpleNamespace

from app.training.process import TrainingProcess

_CHILD = r"""
import sys, time
from pathlib import Path
gate = Path(sys.argv[1])
try:
    print("importing", flush=True)
    while not gate.exists():  # a slow `import torch`: Stop is pressed meanwhile
        time.sleep(0.02)
    time.sleep(0.3)  # a signal sent just before the gate was opened has surely arrived
    from fosp_core.train.signals import stop_signals
    with stop_signals():
        for _ in range(100):
            time.sleep(0.02)
    print("trained through", flush=True)
except KeyboardInterrupt:
    print("interrupted before its first iteration", flush=True)
    sys.exit(130)
"""


class _StandIn:
    def __init__(self, tmp_path: Path) -> None:
        self.run_dir = tmp_path / "run"
        self.gate = tmp_path / "imported"
        self.config = SimpleNamespace(train=SimpleNamespace(iterations=10))

    def command(self, python: str) -> list[str]:
        return [python, "-c", _CHILD, str(self.gate)]


def test_a_stop_while_the_run_imports_stops_it_with_sigint_ignored_in_the_app(qtbot, tmp_path) -> None:
    if sys.platform == "win32":
        return  # no SIGINT there: the stop line on stdin (tests/unit/test_portable_s32_windows_stop.py)
    lines: list[str] = []
    training = TrainingProcess()
    training.output.connect(lines.append)
    plan = _StandIn(tmp_path)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as `nohup ... &` in sh leaves it
    try:
        training.start(plan)  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: "importing" in lines, timeout=60_000)
        with qtbot.waitSignal(training.finished, timeout=60_000) as finished:
            training.stop()
            plan.gate.touch()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert "trained through" not in lines, lines
    assert "interrupted before its first iteration" in lines, lines
    assert finished.args == [130]
    assert signal.getsignal(signal.SIGINT) is previous  # the app's own handling is left as it was
