"""Session 32's bad-input sweep (helper F): the app's headline for two checkpoints the loader now names
precisely. One this user may not read (chmod 000) was headlined "its weights or settings do not fit a
FoSp model (a damaged or edited FoSp checkpoint?)"; one cut short, "damaged or another kind of file"."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.load_words import headline, load_failure_text
from fosp_core.checkpoint_files import CheckpointError


@pytest.mark.parametrize(("words", "said"), [
    ("permission denied: this user may not read the file (its owner can allow it: chmod a+r)",
     "this user may not read the file"),
    ("not a readable safetensors file: the file is cut short (its tensors need 9,000 bytes, the file holds "
     "4,500 bytes): an unfinished copy or download? Copy it again from where it came from",
     "it is cut short (an unfinished copy or download?)"),
])
def test_the_headline_says_what_the_loader_found(words: str, said: str) -> None:
    path = Path("/models/model.safetensors")
    error = CheckpointError(f"{path}: {words}")

    head = headline(load_failure_text(path, error, str(error)))

    assert head.startswith(f"cannot open {path.name}: {said}"), head
    assert "do not fit" not in head
