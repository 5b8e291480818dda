"""The trained note's pool thread emits its answer on a parentless relay (`app.relay.ValueRelay`) held by its
job, never on an object owned by the note: a window closed while an answer is worked out deletes the note and
its children, and a QObject deleted on one thread while another emits its signal is a crash, not the
RuntimeError the job expected (`app.relay`'s rule; as 8fe30ce did for Pre-label All's count). Before, the job
emitted on the note's child `_Answer`: safe only by the order the note's children are deleted in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from app.analysis.trained_note import TrainedNote
from fosp_core.trained_on import METADATA_KEY, TRAINED_ON_THIS_IMAGE, fingerprint
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint


class _HeldPool:
    """Stands in for the note's QThreadPool: keeps what it is handed, runs it when the test says."""

    def __init__(self) -> None:
        self.started: list[Callable[[], None]] = []

    def start(self, work: Callable[[], None]) -> None:
        self.started.append(work)

    def waitForDone(self) -> None:  # noqa: N802 - QThreadPool's name
        pass


def test_the_notes_pool_thread_holds_no_object_of_the_note(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    image = tmp_path / "a.jpg"
    image.write_bytes(b"\xff\xd8 photo a")
    checkpoint = save_tiny_checkpoint(tmp_path / "tuned.safetensors",
                                      metadata={METADATA_KEY: fingerprint([image]).to_metadata()})
    pool = _HeldPool()
    owner = QObject()
    note = TrainedNote(owner, pool=pool)  # type: ignore[arg-type]
    assert note.line(checkpoint, image) == ""
    (work,) = pool.started
    job = getattr(work, "__self__", None)
    handed = [job, *vars(job).values()] if job is not None else [work]
    qobjects = [o for o in handed if isinstance(o, QObject)]
    assert note not in qobjects
    assert qobjects and all(o.parent() is None for o in qobjects)  # only a parentless relay

    with qtbot.waitSignal(note.answered, timeout=WAIT_MS):
        work()  # the answer, worked out here, queued to the GUI thread as before
    assert note.line(checkpoint, image) == TRAINED_ON_THIS_IMAGE[0].upper() + TRAINED_ON_THIS_IMAGE[1:]
