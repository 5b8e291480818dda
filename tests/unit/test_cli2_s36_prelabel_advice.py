"""``fosp project prelabel`` with nothing to pre-label advises --replace-predicted only where it would replace
something (session 36, helper C; found by helper P).

Run again with the same model and settings, without --replace-predicted, it said "both were made by a model only
(status predicted): --replace-predicted replaces them with this model's"; but such a run replaces nothing (exit 3,
"nothing to replace": a pre-label never replaces the masks this model wrote at these settings, 0003e43e /
22e19ea5). Now the masks are counted with the run's stamp (the checkpoint's digests, its τ from its config, the
threshold, rule, precision and input: the model not loaded), as the app's Pre-label All counts them
(`fosp_core.annotation.prelabel.count_prelabel`), and said in the shared words (`prelabel_words`): those of
another model or other settings with the advice, this model's as this model's. Projects made by the tests (the
demo's photos, linked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import ExitCode, main
from tests.demo_photos import demo_photo_links

RUN = ["--input-size", "64", "--device", "cpu"]


def _project(tmp_path: Path, n: int) -> tuple[Path, Path]:
    images, location = tmp_path / "photos", tmp_path / "project"
    demo_photo_links(images, n)
    Project.open(images, location).close()
    return images, location


def _said(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().out.split())


def test_same_model_again_does_not_advise_a_replace_that_replaces_nothing(
        tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _images, location = _project(tmp_path, 2)
    args = ["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN]
    assert main(args) == ExitCode.OK
    capsys.readouterr()
    assert main(args) == ExitCode.NOTHING_TO_DO
    out = _said(capsys)
    assert "--replace-predicted replaces" not in out, out
    assert out == ("nothing to pre-label: all 2 images have a mask already; the 2 made by a model only (status "
                   "predicted) are this model's at these settings already: nothing to replace (another checkpoint "
                   "or other settings replace them)"), out
    # what it says is true: the replacing run replaces nothing
    assert main([*args, "--replace-predicted"]) == ExitCode.NOTHING_TO_DO
    assert "nothing to replace" in _said(capsys)


def test_other_settings_are_still_advised_and_the_advice_is_true(
        tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _images, location = _project(tmp_path, 2)
    args = ["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN]
    assert main([*args, "--threshold", "0.3"]) == ExitCode.OK
    capsys.readouterr()
    assert main(args) == ExitCode.NOTHING_TO_DO  # threshold 0.5: other settings
    out = _said(capsys)
    assert out == ("nothing to pre-label: all 2 images have a mask already; both were made by a model only (status "
                   "predicted): --replace-predicted replaces them with this model's"), out
    assert main([*args, "--replace-predicted"]) == ExitCode.OK
    assert "0 new, 2 replaced" in _said(capsys)


def test_a_tau_of_its_own_is_other_settings(
        tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """τ: the model's own (from its config, the model not loaded) when --tau is not given."""
    _images, location = _project(tmp_path, 1)
    args = ["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN]
    assert main(args) == ExitCode.OK
    capsys.readouterr()
    assert main([*args, "--tau", "0.4"]) == ExitCode.NOTHING_TO_DO
    assert "it was made by a model only (status predicted): --replace-predicted replaces it" in _said(capsys)


def test_some_of_another_run_some_of_this_one(
        tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    images, location = _project(tmp_path, 3)
    args = ["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN]
    assert main([*args, "--threshold", "0.3"]) == ExitCode.OK
    with Project.open(images, location) as project:  # the third one's mask gone: pre-labelled again at 0.5
        third = project.ids[2]
        project.set_status(third, "unlabeled")
        project.mask_path(third).unlink()
    capsys.readouterr()
    assert main(args) == ExitCode.OK
    assert "pre-labelled 1 image (status predicted); 2 already had a mask" in _said(capsys)
    assert main(args) == ExitCode.NOTHING_TO_DO
    out = _said(capsys)
    assert out == ("nothing to pre-label: all 3 images have a mask already; 2 of them were made by a model only "
                   "(status predicted): --replace-predicted replaces those with this model's; the 1 other made by "
                   "a model only is this model's at these settings already"), out
    assert main([*args, "--replace-predicted"]) == ExitCode.OK
    assert "0 new, 2 replaced" in _said(capsys)


def test_without_a_model_to_count_with_the_words_stay_as_they_were(
        tmp_path: Path, tiny_checkpoint_file: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No --checkpoint and no default model: the masks are not counted with a stamp (nothing to read it from); the
    words say them all, as before (the replacing run would then say that it needs a model)."""
    _images, location = _project(tmp_path, 2)
    assert main(["project", "prelabel", str(location), "--checkpoint", str(tiny_checkpoint_file), *RUN]) == 0
    capsys.readouterr()
    from fosp_core import paths

    monkeypatch.setattr(paths, "find_model", lambda *_args, **_kwargs: None)
    assert main(["project", "prelabel", str(location), *RUN]) == ExitCode.NOTHING_TO_DO
    captured = capsys.readouterr()
    assert "both were made by a model only (status predicted): --replace-predicted replaces them" in \
        " ".join(captured.out.split()), captured
    assert captured.err == ""
