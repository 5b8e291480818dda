"""The metrics box's line when the model was trained on the image shown (`fosp_core.trained_on`): its
scores there flatter the model, as a fine-tune's do on its own training photos.

The answer is worked out on a pool thread, never on the GUI thread: the checkpoint's fingerprint of
its training images (read from its metadata once per version of the file: path, mtime, size; a pickle,
.pt or .pth, is not read at all: its metadata never holds one, and reading it is a whole torch.load,
230-440 ms for a run's 82 MB last.pt of the default model) and the shown image file's digest (cached by
path, mtime and size; about 1.7 ms a megabyte here, docs/benchmarks-cli.md: some 50 ms for a 30 MB
photo). `line()` says what is known now ("" until the answer comes) and asks for the answer;
`answered` is emitted when a line is known for the image asked about last, and the metrics box is
filled again then. An answer for an image (or checkpoint) left meanwhile is dropped.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.pool_jobs import start_job
from app.relay import ValueRelay
from fosp_core.trained_on import TrainedImages, checkpoint_trained_images, image_note

__all__ = ["TrainedNote"]

#: (checkpoint path, mtime_ns, size), (image path, mtime_ns, size)
_Key = tuple[tuple[Path, int, int], tuple[Path, int, int]]
KEEP_ANSWERS = 256


def _stamp(path: Path) -> tuple[Path, int, int] | None:
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return Path(path), st.st_mtime_ns, st.st_size


class _Fingerprints:
    """The fingerprint of the last checkpoint version read (thread-safe; read on a pool thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read: tuple[tuple[Path, int, int], TrainedImages | None] | None = None

    def get(self, stamp: tuple[Path, int, int]) -> TrainedImages | None:
        with self._lock:
            if self._read is None or self._read[0] != stamp:
                self._read = (stamp, checkpoint_trained_images(stamp[0]))  # a pickle is not read (see there)
            return self._read[1]


class _Job:
    """One answer worked out on the note's pool, which is handed `run` (`app.pool_jobs.start_job`: a
    ``QRunnable`` may be kept by its pool). It tells its answer on `answer`, a parentless relay it holds with
    the note (`app.relay`): never on an object of the note, which a window's close deletes while the thread
    may be emitting."""

    def __init__(self, serial: int, key: _Key, fingerprints: _Fingerprints, answer: ValueRelay) -> None:
        self.serial, self.key, self.fingerprints, self.answer = serial, key, fingerprints, answer

    def run(self) -> None:
        try:
            note = image_note(self.fingerprints.get(self.key[0]), self.key[1][0])
        except Exception:  # noqa: BLE001 - the note is a courtesy: no line rather than a crash
            note = ""
        # (request id, its key, the line); once the note is gone, its connection went with it: nobody is told
        self.answer.done.emit((self.serial, self.key, note[:1].upper() + note[1:]))


class TrainedNote(QObject):
    """`line(checkpoint, image)`: the sentence for the metrics box, or "" (held out, unknown, or not
    known yet: `answered` says when it is). `pool`: where the answers are worked out (its own, of one
    thread, by default)."""

    answered = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool if pool is not None else QThreadPool(self)
        if pool is None:
            self.pool.setMaxThreadCount(1)
        self._fingerprints = _Fingerprints()
        self._answer = ValueRelay()  # what the pool thread emits on (see _Job), never this object
        self._answer.done.connect(self._on_done)  # queued: emitted on the pool thread
        self._answers: OrderedDict[_Key, str] = OrderedDict()
        self._serial = 0
        self._asked: _Key | None = None  # the request in flight (the image asked about last)
        self.dropped = 0  # answers dropped: their image or checkpoint was left meanwhile (tests)

    def line(self, checkpoint: Path | None, image: Path | None) -> str:
        """The line known now for `image` under `checkpoint`; asks for it when it is not known."""
        if checkpoint is None or image is None:
            self._asked = None
            return ""
        stamps = _stamp(checkpoint), _stamp(image)
        if stamps[0] is None or stamps[1] is None:
            self._asked = None
            return ""
        key: _Key = (stamps[0], stamps[1])
        known = self._answers.get(key)
        if known is not None:
            self._answers.move_to_end(key)
            self._asked = None
            return known
        if key != self._asked:
            self._serial += 1
            self._asked = key
            start_job(self.pool, _Job(self._serial, key, self._fingerprints, self._answer))
        return ""

    def _on_done(self, answer: tuple[int, _Key, str]) -> None:
        serial, key, note = answer
        if serial != self._serial or key != self._asked:
            self.dropped += 1  # asked since about another image (or checkpoint), or about none
            return
        self._asked = None
        self._answers[key] = note
        while len(self._answers) > KEEP_ANSWERS:
            self._answers.popitem(last=False)
        if note:
            self.answered.emit()

    def pending(self) -> bool:
        """Whether an answer is asked for and not come yet."""
        return self._asked is not None

    def wait(self) -> None:
        """Wait for the answers asked for (tests, window close)."""
        self.pool.waitForDone()
