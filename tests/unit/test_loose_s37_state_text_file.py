"""A text file given as a training state (``fosp train --resume-from notes.txt``, ``fosp train-export RUN OUT --state
notes.txt``) was "not a readable training state (KeyError: 105)", "(IndexError: pop from empty list)" or a plain
pickle's advice, depending on the bytes it holds. It says what the file is now, as the checkpoint messages do
(`fosp_core.checkpoint_files`): a text file, not a readable training state, quoting its first line. A pickle that asks for
code is still refused as such, and binary junk keeps its words."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from fosp_core.train.state import StateError, load_state


@pytest.mark.parametrize("text", ["best run\n", "run 3\n", "lr = 0.001\nname = 'x'\n", "images/a.jpg\n"])
def test_loose_s37_a_text_file_is_named_so(tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text)
    with pytest.raises(StateError) as caught:
        load_state(path)
    words = str(caught.value)
    assert words.startswith(f"{path}: a text file, not a readable training state (it begins "), words
    assert "a training state is a run's last.pt" in words, words
    assert "Error" not in words and "pickle" not in words, words


def test_loose_s37_code_and_junk_keep_their_words(tmp_path: Path) -> None:
    code = tmp_path / "evil.pt"
    code.write_bytes(pickle.dumps(print, protocol=0))  # printable, and asks for code
    with pytest.raises(StateError) as caught:
        load_state(code)
    assert "text file" not in str(caught.value) and "print" in str(caught.value), caught.value
    junk = tmp_path / "junk.pt"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(StateError, match="not a readable training state"):
        load_state(junk)
