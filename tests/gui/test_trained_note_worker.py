"""The metrics box's "trained on this image" line hashes the shown image on a pool thread, never on the
GUI thread (a 30 MB photo took ~50 ms there), and an answer for an image left meanwhile is dropped
(app/analysis/trained_note.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.analysis.trained_note import TrainedNote
from fosp_core import trained_on as trained_on_module
from fosp_core.trained_on import DEFAULT_CACHE, METADATA_KEY, TRAINED_ON_THIS_IMAGE, fingerprint
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint

SAID = TRAINED_ON_THIS_IMAGE[0].upper() + TRAINED_ON_THIS_IMAGE[1:]
real_digest = trained_on_module.file_digest


def test_the_image_is_hashed_off_the_gui_thread_and_a_stale_answer_is_dropped(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    images = []
    for name in ("a", "b"):
        image = tmp_path / f"{name}.jpg"
        image.write_bytes(b"\xff\xd8 photo " + name.encode())
        images.append(image)
    first, second = images
    checkpoint = save_tiny_checkpoint(tmp_path / "tuned.safetensors",
                                      metadata={METADATA_KEY: fingerprint(images).to_metadata()})
    DEFAULT_CACHE.clear()
    hashed: list[tuple[str, bool]] = []
    gate = threading.Event()

    def gated(path):  # noqa: ANN001, ANN202
        hashed.append((Path(path).name, threading.current_thread() is threading.main_thread()))
        if Path(path) == first:
            gate.wait(WAIT_MS / 1000)  # held until the user has moved on to the second image
        return real_digest(path)

    monkeypatch.setattr(trained_on_module, "file_digest", gated)
    note = TrainedNote()
    answers: list[str] = []
    note.answered.connect(lambda: answers.append(note.line(checkpoint, second)))
    assert note.line(checkpoint, first) == ""  # not known yet: asked
    qtbot.waitUntil(lambda: bool(hashed))
    assert note.line(checkpoint, second) == ""  # the user moved on before the answer came
    gate.set()
    with qtbot.waitSignal(note.answered, timeout=WAIT_MS):
        pass
    note.wait()
    qtbot.waitUntil(lambda: not note.pending(), timeout=WAIT_MS)
    assert hashed == [("a.jpg", False), ("b.jpg", False)]  # both on the pool thread
    assert note.dropped == 1  # the first image's answer came after it was left
    assert answers == [SAID]  # one answer, for the image shown
    assert note.line(checkpoint, second) == SAID
    assert note.line(checkpoint, first) == ""  # its dropped answer was not kept: asked again
    assert note.pending()
    note.wait()
