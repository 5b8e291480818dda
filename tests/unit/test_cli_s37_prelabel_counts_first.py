"""`fosp project prelabel --replace-predicted` counts before it loads the model (session 37, helper N3).

With masks only a model made, a replacing run loaded the checkpoint (seconds, a GPU's memory) and only then
found every one of them this model's at these settings already: nothing to replace, exit 3. The marks are
counted first with the run's stamp (the checkpoint's header and digests, the model not built), as the run
without --replace-predicted does; the model is loaded only when there is work. A checkpoint that cannot
be read is still a usage error (2) there."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main, project_prelabel
from tests.demo_photos import demo_photo_links

RUN = ["--input-size", "64", "--device", "cpu"]


def _no_load(*_args: object) -> None:
    raise AssertionError("the model was loaded with nothing to replace")


def test_replace_predicted_with_nothing_to_replace_does_not_load_the_model(
        tmp_path: Path, tiny_checkpoint_file: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 2)
    Project.open(images, location).close()
    args = ["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN,
            "--replace-predicted"]
    assert main(args) == ExitCode.OK
    capsys.readouterr()
    monkeypatch.setattr(project_prelabel, "_load", _no_load)
    assert main(args) == ExitCode.NOTHING_TO_DO  # was: the model loaded first
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("nothing to pre-label: all 2 images have a mask already"), out
    assert "the 2 made by a model only (status predicted) are this model's at these settings already" in out, out
    # other settings are another run: it loads, and replaces
    monkeypatch.undo()
    assert main([*args, "--threshold", "0.4"]) == ExitCode.OK
    assert "0 new, 2 replaced" in capsys.readouterr().out


def test_an_unreadable_checkpoint_is_still_a_usage_error(
        tmp_path: Path, tiny_checkpoint_file: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, 1)
    Project.open(images, location).close()
    assert main(["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN]) == 0
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"not a checkpoint")
    monkeypatch.setattr(project_prelabel, "_load", _no_load)
    capsys.readouterr()
    code = main(["project", "prelabel", str(location), "--checkpoint", str(broken), *RUN, "--replace-predicted"])
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE, err
    assert str(broken) in err, err
