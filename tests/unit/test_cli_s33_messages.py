"""Messages found unclear running every `fosp` subcommand's --help and a bad-argument call (session 33):

- ``fosp train`` / ``fosp train-inpainter`` without CONFIG said "the following arguments are required: CONFIG,
  KEY=VALUE" - the overrides are not required;
- ``fosp train CONFIG --resume --resume-from STATE`` (the usage says ``[--resume | --resume-from STATE]``) was
  not refused as ``fosp train-ssl`` refuses it: --resume was dropped without a word;
- ``fosp project prelabel --threshold 2`` said "must be within 0..1" where predict, eval and compare say "must be
  in [0, 1]";
- ``fosp train-mine nosuch.safetensors OUT`` said the path twice ("cannot load nosuch.safetensors:
  nosuch.safetensors: no such file or folder")."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main


@pytest.mark.parametrize("command", ["train", "train-inpainter"])
def test_no_config_names_config_alone(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([command])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert err.rstrip().endswith(f"fosp {command}: error: the following arguments are required: CONFIG"), err


def test_train_refuses_resume_and_resume_from_together(tmp_path: Path, capsys) -> None:
    assert main(["train", "small-cpu", "--resume", "--resume-from", str(tmp_path / "last.pt")]) == 2
    err = capsys.readouterr().err
    assert err == "error: give --resume or --resume-from, not both\n", err


def test_prelabel_threshold_is_said_as_elsewhere(demo_dir: Path, capsys) -> None:
    assert main(["project", "prelabel", str(demo_dir), "--threshold", "2"]) == 2
    assert capsys.readouterr().err == "error: --threshold must be in [0, 1]\n"


def test_train_mine_says_the_missing_weights_once(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["train-mine", "nosuch.safetensors", "out.json"]) == 2
    err = capsys.readouterr().err
    assert err.count("nosuch.safetensors") == 1, err
    assert err.startswith("error: cannot load the weights: nosuch.safetensors: "), err


def test_train_mine_help_says_out_holds_misses_too(capsys) -> None:
    """OUT was "hard-negative file to write", also with --misses (hard positives)."""
    with pytest.raises(SystemExit):
        main(["train-mine", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "OUT the places' file to write (.json): a source's hard_negatives, or with --misses its hard_positives" \
           in out, out


def test_predict_help_says_a_folders_gifs_are_skipped(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["predict", "--help"])
    assert "a folder's GIFs are skipped" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(("argv", "said"), [
    (["--crop", "100"], "error: --crop 100: must be at least 64 and a multiple of 32 and of mask_block (32)"),
    (["--mask-block", "0"], "error: --mask-block 0: must be at least 1"),
    (["--batch", "0"], "error: --batch 0: must be at least 1"),
])
def test_train_ssl_names_the_flag_of_a_bad_setting(argv: list[str], said: str, capsys) -> None:
    """It said the setting's field ("crop = 100: ...", "batch_size = 0: ..."), not the flag typed."""
    assert main(["train-ssl", *argv, "--iterations", "1"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == said, err
