"""Accept Prediction with no smoke predicted said "saved as a smoke-free image" on a video frame too:
a frame is saved as a smoke-free frame, and the status bar says "frame" there."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import numpy as np
import pytest

from app.annotation import commands
from fosp_core.annotation.document import AnnotationDocument


class _Host:
    def __init__(self, attached: bool) -> None:
        self.state = SimpleNamespace(threshold=0.5)
        self.document = AnnotationDocument((16, 16), probability=np.zeros((16, 16), np.float32))
        self.attached = attached
        self.accepting = None
        self.said: list[str] = []
        self.message = SimpleNamespace(emit=lambda text, _ms=0: self.said.append(text))

    def run(self, label: str, operation: Callable[[AnnotationDocument], object],
            needs_probability: bool = False) -> bool:
        return bool(operation(self.document))


@pytest.mark.parametrize(("attached", "word"), [(True, "frame"), (False, "image")])
def test_a_smoke_free_accept_says_frame_or_image(attached: bool, word: str) -> None:
    host = _Host(attached)
    assert commands.accept_prediction(host)  # type: ignore[arg-type]
    said = [text for text in host.said if "smoke-free" in text]
    assert said == [f"Accept prediction: no smoke predicted; saved as a smoke-free {word} (Undo takes it back)"], host.said
