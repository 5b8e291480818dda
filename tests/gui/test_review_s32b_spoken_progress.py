"""Session 32 review: every new status-bar message is said to a screen reader (`SpokenStatus`), and an import
of labels or a Pre-label All shows its count there after each image ("Importing labels: 3 of 500 images;
..."): each count was announced, hundreds of sentences queued one after the other (polite: none cut short).
A message that only counts on from the one said before is said again only after `PROGRESS_QUIET_S`; what
ends it (another message) is said at once."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStatusBar

import app.annotation.spoken_status as spoken_status
from app.annotation.spoken_status import SpokenStatus


def test_a_count_going_on_is_not_said_at_every_step(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    said: list[str] = []
    monkeypatch.setattr(spoken_status, "announce", lambda _bar, text: said.append(text))
    now = [100.0]
    monkeypatch.setattr(spoken_status, "_clock", lambda: now[0], raising=False)
    bar = QStatusBar()
    qtbot.addWidget(bar)
    SpokenStatus(bar)

    def progress(done: int) -> str:
        return f"Importing labels: {done} of 500 images; masks are shown read-only until the import ends"

    for done in range(1, 60):
        bar.showMessage(progress(done))
        now[0] += 0.05
    assert said == [progress(1)]  # was: 59 sentences
    now[0] += spoken_status.PROGRESS_QUIET_S
    bar.showMessage(progress(200))  # a while later: where it stands, said
    assert said[-1] == progress(200) and len(said) == 2
    bar.showMessage("Imported 500 masks into demo")  # the end: said at once
    assert said[-1] == "Imported 500 masks into demo"
    bar.showMessage("Nothing to undo on this image")  # a key's answer after it: said at once
    assert said[-1] == "Nothing to undo on this image" and len(said) == 4
