"""A label read from a file (`read_mask`: a 0/255 grayscale mask is decoded to 0/1 there) that holds 0 and
255 only is a smoke-free image with an ignore band, never a 0/255 mask left undecoded: ``fosp eval`` (and
the analysis view's scores) warned about it ("warning: the label holds 0 and 255 only ...") on every such
image of an exported project. Scores of labels read from files say nothing; an array given to the
scores directly still warns (test_library_s32_mask_warnings)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pytest

import fosp_core
from fosp_core.cli import main
from fosp_core.io.masks import read_mask, write_mask_png


@pytest.fixture
def smoke_free(demo_dir: Path, tmp_path: Path) -> Path:
    """The demo with its first label smoke-free but for an ignore band (0 and 255 only)."""
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    first = sorted((data / "SegmentationClass").glob("*.png"))[0]
    label = np.zeros_like(read_mask(first))
    label[:, :20] = 255
    write_mask_png(first, label)
    return data


def test_fosp_eval_says_nothing_of_a_smoke_free_label(smoke_free: Path, capsys: pytest.CaptureFixture) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert main(["eval", "--dataset", str(smoke_free), "--predictions",
                     str(smoke_free / "SegmentationClass")]) == 0
    err = capsys.readouterr().err
    assert "0 and 255" not in err, err


def test_the_analysis_scores_say_nothing_of_it(smoke_free: Path) -> None:
    from fosp_core.analysis.results import probability_scores

    label = read_mask(sorted((smoke_free / "SegmentationClass").glob("*.png"))[0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        probability_scores(np.zeros(label.shape, np.float32), label, 0.5)
    assert not [w for w in caught if issubclass(w.category, fosp_core.MaskWarning)]
