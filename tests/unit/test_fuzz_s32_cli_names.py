"""Session 32's bad-input sweep (helper F), file names: `fosp predict` on a folder holding a file whose
name has a newline (legal on Linux and macOS) printed its "failed ..." line as two lines, the second
beginning with the rest of the name, so a script reading one line per input (or a person) took it for
two. Each input's line is one line now: control characters in it are shown escaped (``\\n``, ``\\t``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from fosp_core.cli import main
from tests.odd_inputs import picture
from tests.odd_inputs.checkpoints import tiny_checkpoint


def test_each_input_is_told_in_one_line_whatever_its_name(tmp_path: Path, capfd: pytest.CaptureFixture) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad\nname.jpg").write_text("not a picture\n")
    Image.fromarray(picture()).save(folder / "tab\tname.png")
    checkpoint = tiny_checkpoint(tmp_path / "tiny.safetensors")

    code = main(["predict", "--checkpoint", str(checkpoint), "--out", str(tmp_path / "out"),
                 "--input-size", "64", str(folder)])

    err = capfd.readouterr().err
    assert code == 1, err
    failed = [line for line in err.splitlines() if line.startswith("failed ")]
    assert len(failed) == 1 and "bad\\nname.jpg: not a recognised image format" in failed[0], err
    assert not any(line.startswith("name.jpg") for line in err.splitlines()), err
    assert any(line.startswith("ok tab\\tname.png") for line in err.splitlines()), err
