"""The metrics box's line when the model was trained on the image shown (`fosp_core.trained_on`): its
scores there flatter the model, as a fine-tune's do on its own training photos.

The checkpoint's fingerprint of its training images is read from its metadata once per version of the
file (path, mtime, size); a pickle (.pt, .pth) is not read at all: its metadata never holds one, and
reading it is a whole torch.load (230-440 ms for a run's 82 MB last.pt of the default model). A
checkpoint that records none (the default weights, a foreign file) says nothing and hashes nothing;
one that does hashes the shown image's file once (cached by path, mtime and size: about 1.7 ms a
megabyte here, docs/benchmarks-cli.md), on the GUI thread where the box is filled.
"""

from __future__ import annotations

from pathlib import Path

from fosp_core.trained_on import TrainedImages, checkpoint_trained_images, image_note

__all__ = ["TrainedNote"]


class TrainedNote:
    """`line(checkpoint, image)`: the sentence for the metrics box, or "" (held out, or unknown)."""

    def __init__(self) -> None:
        self._read: tuple[tuple[Path, int, int], TrainedImages | None] | None = None

    def line(self, checkpoint: Path | None, image: Path | None) -> str:
        if checkpoint is None or image is None:
            return ""
        try:
            stat = Path(checkpoint).stat()
        except OSError:
            return ""
        key = (Path(checkpoint), stat.st_mtime_ns, stat.st_size)
        if self._read is None or self._read[0] != key:
            self._read = (key, checkpoint_trained_images(checkpoint))  # a pickle is not read (see there)
        note = image_note(self._read[1], image)
        return note[:1].upper() + note[1:]

