"""``fosp eval --predictions DIR`` took the options that say how a checkpoint runs and did nothing with them
(session 36's review): ``--tau 0.3``, ``--input-size 448``, ``--precision bf16`` or ``--tiled`` beside saved
predictions printed the table of the predictions as they were, exit 0, as if they had been scored at those
settings (the title did not even name them): an analyst comparing τ read the same numbers twice. They are
refused by name (exit 2, before any work), as the help says they go "with --checkpoint"."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.cli import main


def _dataset_and_predictions(root: Path) -> tuple[Path, Path]:
    data, predictions = root / "data", root / "pred"
    for folder in ("JPEGImages", "SegmentationClass", "ImageSets/Segmentation"):
        (data / folder).mkdir(parents=True)
    predictions.mkdir()
    Image.fromarray(np.full((16, 16, 3), 90, np.uint8)).save(data / "JPEGImages" / "a.jpg")
    label = np.zeros((16, 16), np.uint8)
    label[4:9, 4:9] = 1
    palette = Image.fromarray(label, mode="P")
    palette.putpalette([0, 0, 0, 128, 0, 0] + [0] * 762)
    palette.save(data / "SegmentationClass" / "a.png")
    (data / "ImageSets" / "Segmentation" / "val.txt").write_text("a\n")
    Image.fromarray(label * 255).save(predictions / "a.png")
    return data, predictions


@pytest.mark.parametrize("option", [["--tau", "0.3"], ["--input-size", "448"], ["--precision", "bf16"], ["--tiled"]])
def test_options_of_a_checkpoint_run_are_refused_beside_predictions(tmp_path: Path, option: list[str],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data, predictions = _dataset_and_predictions(tmp_path)
    assert main(["eval", "--dataset", str(data), "--predictions", str(predictions)]) == 0  # alone: scored
    capsys.readouterr()
    code = main(["eval", "--dataset", str(data), "--predictions", str(predictions), *option])
    out, err = capsys.readouterr()
    assert code == 2, out  # was 0: the predictions' table, as if scored at that setting
    assert option[0] in err and "--checkpoint" in err, err
    assert "F_beta" not in out  # nothing scored


def test_the_defaults_spelled_out_beside_predictions_are_refused_too(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """``--input-size 512`` is the default, but said beside predictions it asks for what cannot be: refused too."""
    data, predictions = _dataset_and_predictions(tmp_path)
    assert main(["eval", "--dataset", str(data), "--predictions", str(predictions), "--input-size", "512"]) == 2
    assert "--input-size" in capsys.readouterr().err
