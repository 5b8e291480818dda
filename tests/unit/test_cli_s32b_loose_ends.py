"""Command-line loose ends: a FILE where a folder is named (``fosp eval --predictions a.txt`` said "no such
prediction folder", ``fosp video export --annotations a.txt`` exported nothing with exit 3 as if the
folder held no mask), and ``--help`` after a recipe's overrides (``fosp train CONFIG k=v --help``) refused
as an unrecognized argument instead of printing the command's help."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core.cli import main


def test_eval_predictions_naming_a_file_says_it_is_a_file(demo_dir: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "afile.txt"
    afile.write_text("x")
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(afile)]) == 2
    err = capsys.readouterr().err
    assert f"{afile}: is a file, not a folder" in err and "no such" not in err
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(tmp_path / "missing")]) == 2
    assert "no such prediction folder" in capsys.readouterr().err  # a missing one as before


@pytest.mark.parametrize("words", [
    ["train", "small-cpu", "train.iterations=2", "--help"],
    ["train", "small-cpu", "--help"],
    ["train", "small-cpu", "name=x", "-h", "data.crop=64"],
    ["train-inpainter", "inpainter-small", "train.iterations=2", "--help"],
])
def test_help_after_overrides_prints_the_commands_help(words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(words)
    assert ended.value.code == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"usage: fosp {words[0]} ") and "--resume-from" in out and "KEY=VALUE" in out
    assert "unrecognized" not in err


@pytest.mark.parametrize("words", [
    ["train-ssl", "--iterations", "2", "--help"],
    ["train-mine", "RUN", "--help"],
    ["train-export", "RUN", "OUT", "--help"],
])
def test_other_training_commands_print_their_help_after_their_words(words: list[str],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:  # a guard: argparse's own -h, wherever it stands
        main(words)
    assert ended.value.code == 0 and capsys.readouterr().out.startswith(f"usage: fosp {words[0]} ")


def test_video_export_annotations_naming_a_file_is_refused(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.video.testclip import write_clip
    from fosp_core.video.timeline import VideoAnnotations

    clip = write_clip(tmp_path / "clip.mp4", frames=12, fps=12.0)
    notes = VideoAnnotations(clip, 12, (120, 160))
    notes.save_mask(3, np.ones(notes.shape, np.uint8))
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    assert main(["video", "export", str(clip), str(tmp_path / "out"), "--annotations", str(afile)]) == 2
    err = capsys.readouterr().err
    assert f"--annotations {afile}: is a file, not a folder" in err and "nothing to export" not in err
    assert not (tmp_path / "out").exists()


def test_train_export_run_naming_a_file_says_it_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = tmp_path / "last.pt"
    state.write_bytes(b"not read")
    assert main(["train-export", str(state), str(tmp_path / "out.safetensors")]) == 2
    err = capsys.readouterr().err
    assert f"{state}: is a file, not a run folder" in err and "--state FILE" in err
    assert not (tmp_path / "out.safetensors").exists()
