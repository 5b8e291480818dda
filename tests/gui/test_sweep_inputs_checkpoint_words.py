"""The app's headline for a checkpoint it cannot open says what the user can do about it when the
loader knows: a file written by a newer FoSp Studio asks for an update (it read "do not fit a FoSp
model (a damaged or edited FoSp checkpoint?)", though nothing is wrong with the file), and weights
holding NaN say a diverged run or a damaged file. The loader's own words stay in the details."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.load_words import headline, load_failure_text
from fosp_core.checkpoint import CheckpointError, load_checkpoint
from tests.odd_inputs.checkpoints import CHECKPOINTS, tiny_checkpoint


@pytest.mark.parametrize(("kind", "said"), [
    ("newer_format_version", "made by a newer FoSp Studio: update FoSp Studio to open it"),
    ("nan_weights", "its weights hold NaN or infinite values"),
])
def test_the_headline_says_what_is_wrong_and_what_to_do(tmp_path: Path, kind: str, said: str) -> None:
    make, word = CHECKPOINTS[kind]
    path = make(tmp_path, tiny_checkpoint(tmp_path / "base.safetensors"))
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)

    text = load_failure_text(path, caught.value, str(caught.value))

    head = headline(text)
    assert head.startswith(f"cannot open {path.name}: ") and said in head, head
    assert "damaged or edited" not in head, head
    assert word in text.split("Details: ", 1)[1]


@pytest.mark.parametrize(("target", "said"), [
    ("loop", "it is a link that leads back to itself, not a file"),
    ("gone", "it is a link to a file that is not there (a drive not mounted, or the file moved?)"),
])
def test_a_checkpoint_that_is_a_dead_link_gets_a_plain_headline(tmp_path: Path, target: str, said: str) -> None:
    import os

    path = tmp_path / "model.safetensors"
    os.symlink(path if target == "loop" else tmp_path / "usb" / "model.safetensors", path)
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)

    head = headline(load_failure_text(path, caught.value, str(caught.value)))
    assert head.startswith(f"cannot open {path.name}: {said}."), head
