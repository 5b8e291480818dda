"""The README's exit codes, held to `fosp project prelabel` where nothing is left to pre-label (helper D1).

README > Exit codes: 2 for "a bad checkpoint", the same for every command. `fosp project prelabel
--checkpoint PATH` on a project whose images all have a mask says "nothing to pre-label" and exits 0
before it looks at PATH, so a checkpoint that is not there (a typo, a run's name mistyped) passes as
done. Found reading the README against the product on a copy of 8 photos; fixed by helper Z1 (session 32):
a given checkpoint is found and its header read before "nothing to pre-label" is said."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import Project
from fosp_core.cli import main


def _project_all_masked(folder: Path) -> None:
    folder.mkdir()
    Image.fromarray(np.zeros((8, 12, 3), np.uint8)).save(folder / "a.png")
    with Project.open(folder) as project:
        project.save_mask(project.ids[0], np.ones((8, 12), np.uint8), "edited")


def test_a_checkpoint_that_is_not_there_is_a_usage_error_even_with_nothing_to_prelabel(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    photos = tmp_path / "photos"
    _project_all_masked(photos)
    code = main(["project", "prelabel", str(photos), "--checkpoint", str(tmp_path / "nope.safetensors")])
    assert code == 2, capsys.readouterr()


def test_with_nothing_to_prelabel_and_the_default_model_it_is_done(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    photos = tmp_path / "photos"
    _project_all_masked(photos)
    assert main(["project", "prelabel", str(photos)]) == 3  # nothing to do (session 36: it was 0)
    assert "nothing to pre-label" in capsys.readouterr().out
