"""A fine-tuning run in its own process: start, stop (an interrupt, so the trainer saves its state),
the process's messages, and the run log polled for progress.

The training never runs inside the app: a crash, an out-of-memory kill or a stop cannot take the
open annotations down, and the app stays responsive while two cores are busy.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from app.training import running
from fosp_core.train.finetune import FineTunePlan, ProgressReader, TrainProgress
from fosp_core.train.signals import PARENT_ENV, RESUME_HINT_ENV, STOP_LINE

POLL_MS = 500
STOP_GRACE_MS = 20_000  # how long a stop waits for the state to be saved before it kills


@contextlib.contextmanager
def _sigint_not_ignored() -> Iterator[None]:
    """SIGINT caught, not ignored, while the run is started: an app started in the background of a
    non-interactive shell (`nohup ... &` in sh) has it ignored, and an ignored signal stays ignored
    across exec, so a Stop (SIGINT) pressed while the run still imports torch, before `stop_signals`,
    was lost and the run trained on. A caught signal is reset to its default at exec: the run starts
    with Python's KeyboardInterrupt. The app's own handling is back at once (main thread only)."""
    if os.name != "posix" or threading.current_thread() is not threading.main_thread() \
            or signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        yield
        return
    signal.signal(signal.SIGINT, lambda _signum, _frame: None)  # the app still ignores it meanwhile
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


class TrainingProcess(QObject):
    """One run at a time. Signals: `progress(TrainProgress)` while it trains, `output(str)` for each
    line the process prints, `finished(int)` with the exit code (0 done, 130 stopped, else failed)."""

    progress = Signal(object)
    output = Signal(str)
    finished = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plan: FineTunePlan | None = None
        self.reader: ProgressReader | None = None
        self.process: QProcess | None = None
        self.stopping = False
        self._buffer = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")  # a character may span reads
        self._timer = QTimer(self, interval=POLL_MS, timeout=self._poll)

    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def pid(self) -> int:
        """The run's process id (0: none runs): its marker's (`fosp_core.train.run_reading`)."""
        return int(self.process.processId()) if self.process is not None else 0

    @staticmethod
    def environment() -> QProcessEnvironment:
        """The app's environment, with the child's messages in UTF-8 (what `_read_output` decodes)
        whatever the console encoding (cp1252 on Windows), and the app's pid: the run stops (its
        state saved) when the app is gone, rather than training on unseen. A stopped run's messages
        say "press Resume", the app's way to continue it, not the command line's --resume."""
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONIOENCODING", "utf-8")
        env.insert(PARENT_ENV, str(os.getpid()))  # the app gone (a crash), the run saves its state and stops
        env.insert(RESUME_HINT_ENV, "press Resume")
        return env

    def start(self, plan: FineTunePlan) -> None:
        if self.running():
            raise RuntimeError("a fine-tuning run is already going")
        self.plan = plan
        self.reader = ProgressReader(plan.run_dir, planned=plan.config.train.iterations)
        self.stopping = False
        self._buffer = ""
        self._decoder.reset()
        proc = QProcess(self)
        proc.setProcessEnvironment(self.environment())
        proc.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        proc.readyReadStandardOutput.connect(self._read_output)
        proc.finished.connect(self._on_finished)
        proc.errorOccurred.connect(self._on_error)
        cmd = plan.command(sys.executable)
        self.process = proc
        with _sigint_not_ignored():
            proc.start(cmd[0], cmd[1:])
        running.started(self)  # an export refuses to replace its dataset meanwhile (`app.training.running`)
        self._timer.start()

    def stop(self) -> None:
        """Ask the run to stop: an interrupt, after which the trainer writes `last.pt` and exits."""
        if not self.running():
            return
        assert self.process is not None
        self.stopping = True
        pid = int(self.process.processId())
        if pid and hasattr(signal, "SIGINT") and os.name == "posix":
            os.kill(pid, signal.SIGINT)
        elif os.name == "nt":  # no signal for a child there: a stop line on its stdin (`signals._watch_stdin`)
            self.process.write(STOP_LINE + b"\n")
            self.process.closeWriteChannel()
        else:
            self.process.terminate()
        proc = self.process
        QTimer.singleShot(STOP_GRACE_MS, lambda: self._kill_if_stuck(proc))

    def wait_stopped(self, ms: int = STOP_GRACE_MS) -> bool:
        """Stop and block until the process has gone (app exit); kills it after `ms`."""
        if not self.running():
            return True
        assert self.process is not None
        self.stop()
        if not self.process.waitForFinished(ms):
            self.process.kill()
            return self.process.waitForFinished(2000)
        return True

    def _kill_if_stuck(self, proc: QProcess | None = None) -> None:
        """Kill the run `proc` (the one the stop was for; a later run is left alone) if it still goes."""
        if proc is not None and proc is not self.process:
            return
        if self.stopping and self.running() and self.process is not None:
            self.output.emit("the run did not stop in time; killing it (its last saved state is kept)")
            self.process.kill()

    def _read_output(self) -> None:
        if self.process is None:
            return
        self._buffer += self._decoder.decode(bytes(self.process.readAllStandardOutput().data()))
        *lines, self._buffer = self._buffer.replace("\r", "\n").split("\n")
        for line in lines:
            if line.strip():
                self.output.emit(line)

    def _poll(self) -> TrainProgress | None:
        if self.reader is None:
            return None
        progress = self.reader.poll()
        self.progress.emit(progress)
        return progress

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.output.emit(f"could not start {sys.executable}: {self.process.errorString() if self.process else ''}")
            self._timer.stop()
            running.ended(self)
            self.finished.emit(2)

    def _on_finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read_output()
        self._buffer += self._decoder.decode(b"", final=True)
        if self._buffer.strip():
            self.output.emit(self._buffer)
            self._buffer = ""
        self._timer.stop()
        self._poll()
        if status == QProcess.ExitStatus.CrashExit and not self.stopping:
            code = code or 1
        elif self.stopping and code != 0:
            code = 130
        self.stopping = False
        running.ended(self)
        self.finished.emit(int(code))
