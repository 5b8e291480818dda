"""The metrics box's "trained on this image" line reads nothing of a pickle checkpoint (.pt/.pth) on
its thread (app/analysis/trained_note.py): a pickle's metadata never holds the training images'
fingerprint (`read_checkpoint` gives a pickle only its "format"), and reading it is a whole
torch.load (a run's last.pt of the default model, 82 MB: 230-440 ms here) each time the checkpoint
file changes, only to say nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from app.analysis.trained_note import TrainedNote
from fosp_core import checkpoint_files


def test_a_pickle_checkpoint_is_not_read_for_the_note(qtbot, tmp_path: Path,  # noqa: ANN001
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    checkpoint = tmp_path / "last.pt"
    torch.save({"model": {"w": torch.zeros(4)}}, checkpoint)
    image = tmp_path / "a.jpg"
    image.write_bytes(b"\xff\xd8 not really a photo")
    reads: list[Path] = []
    real = checkpoint_files.read_checkpoint
    monkeypatch.setattr(checkpoint_files, "read_checkpoint", lambda path: reads.append(Path(path)) or real(path))
    note = TrainedNote()
    assert note.line(checkpoint, image) == ""
    qtbot.waitUntil(lambda: not note.pending())  # answered (on a pool thread): nothing to say
    assert note.line(checkpoint, image) == ""
    assert not note.pending()  # known now: not asked again
    assert reads == []
