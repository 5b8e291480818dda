"""`fosp predict`'s numeric flags: a value out of range is a usage error (exit 2) that names the
flag as typed (`--input-size`, not the Predictor's `input_size`), before any output is written;
none is silently clamped."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.cli import main


@pytest.fixture()
def argv(demo_dir: Path, tmp_path: Path) -> list[str]:
    """A predict command line that reaches the model loader: an image, a writable output folder and
    a checkpoint file (not a model: every case must stop before it is read)."""
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    checkpoint = tmp_path / "not-read.safetensors"
    checkpoint.write_bytes(b"never loaded")
    return ["predict", str(image), "--out", str(tmp_path / "out"), "--checkpoint", str(checkpoint),
            "--device", "cpu"]


@pytest.mark.parametrize(("flags", "message"), [
    (["--input-size", "100"], "--input-size must be a positive multiple of 32, got 100"),
    (["--input-size", "0"], "--input-size must be a positive multiple of 32, got 0"),
    (["--tile", "-64"], "--tile must be a positive multiple of 32, got -64"),
    (["--tiled", "--tile", "100"], "--tile must be a positive multiple of 32, got 100"),
    (["--overlap", "-1"], "--overlap must be in [0, --tile) = [0, 512), got -1"),
    (["--tile", "256", "--overlap", "256"], "--overlap must be in [0, --tile) = [0, 256), got 256"),
    (["--batch-size", "0"], "--batch-size must be at least 1, got 0"),
    (["--every", "0"], "--every must be at least 1 (1 = every frame), got 0"),
    (["--every", "-3"], "--every must be at least 1 (1 = every frame), got -3"),
])
def test_out_of_range_flags_are_usage_errors_naming_the_flag(argv: list[str], tmp_path: Path, capsys,
                                                             flags: list[str], message: str) -> None:
    # --input-size/--tile/--overlap/--batch-size said "input_size must ...", "batch_size must be >= 1"
    # (the Predictor's keywords, after the output folder was made); --every 0 or less ran as --every 1.
    assert main([*argv, *flags]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {message}\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("flags", [["--input-size", "64"], ["--tiled", "--tile", "256", "--overlap", "0"],
                                   ["--batch-size", "1"], ["--every", "1"]])
def test_in_range_flags_reach_the_model_loader(argv: list[str], capsys, flags: list[str]) -> None:
    assert main([*argv, *flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not-read.safetensors" in err  # the loader read the file


@pytest.mark.parametrize(("flags", "message"), [
    (["--threshold", "1.5"], "--threshold must be in [0, 1]"),
    (["--input-size", "0"], "--input-size must be a positive multiple of 32, got 0"),
])
def test_eval_checks_its_numeric_flags_the_same_way(demo_dir: Path, tmp_path: Path, capsys, flags: list[str],
                                                    message: str) -> None:
    assert main(["eval", "--dataset", str(demo_dir), "--predictions", str(tmp_path), *flags]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"
