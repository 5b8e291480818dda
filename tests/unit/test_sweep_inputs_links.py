"""A symbolic link that leads nowhere, opened by name (the app's open, `fosp predict`): the user is
told it is a link loop or a broken link, and what to do, as the image reader says it; it was called
"no such file or folder", which a user who sees the name in the folder cannot make sense of."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fosp_core.cli import main
from fosp_core.cli.exit_codes import ExitCode
from fosp_core.open_paths import collect_image_paths


def _links(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    loop = folder / "self.png"
    os.symlink(loop, loop)
    broken = folder / "gone.jpg"
    os.symlink(folder / "elsewhere" / "gone.jpg", broken)
    return {"leads back to itself": loop, "is a broken link": broken}


@pytest.mark.parametrize("words", ["leads back to itself", "is a broken link"])
def test_opening_a_dead_link_by_name_says_what_it_is(tmp_path: Path, words: str) -> None:
    path = _links(tmp_path)[words]
    found, errors = collect_image_paths([path])
    assert found == [] and len(errors) == 1
    assert errors[0].path == path
    assert words in errors[0].reason and "no such file" not in errors[0].reason


@pytest.mark.parametrize("words", ["leads back to itself", "is a broken link"])
def test_fosp_predict_on_a_dead_link_says_what_it_is(tmp_path: Path, capsys, words: str) -> None:
    path = _links(tmp_path)[words]
    code = main(["predict", str(path), "--out", str(tmp_path / "out"), "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE
    assert words in err and path.name in err and "no such file" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("words", ["leads back to itself", "is a broken link"])
def test_a_checkpoint_that_is_a_dead_link_is_said_to_be_one(tmp_path: Path, capsys, words: str) -> None:  # noqa: ANN001
    from fosp_core.checkpoint import CheckpointError, load_checkpoint, resolve_checkpoint

    folder = tmp_path / "models"
    folder.mkdir()
    if words == "leads back to itself":
        path = folder / "model.safetensors"
        os.symlink(path, path)
    else:
        path = folder / "usb.safetensors"
        os.symlink(tmp_path / "media" / "usb" / "model.safetensors", path)
    for read in (resolve_checkpoint, load_checkpoint):
        with pytest.raises(CheckpointError) as caught:
            read(path)
        assert str(path) in str(caught.value) and words in str(caught.value), str(caught.value)
    from tests.odd_inputs import good_image

    image = good_image(tmp_path)
    code = main(["predict", str(image), "--out", str(tmp_path / "out"), "--checkpoint", str(path)])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE and words in err and "not found" not in err, err
