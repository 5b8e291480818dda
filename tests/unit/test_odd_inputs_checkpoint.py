"""The odd-input sweep through the model loaders: every broken checkpoint of tests/odd_inputs/checkpoints.py
is refused by `load_checkpoint` and by `fosp predict --checkpoint` (exit 2, README: bad checkpoint)
with a message naming the file and what is wrong; a pickle that runs code never runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.checkpoint import CheckpointError, load_checkpoint
from fosp_core.cli import main
from tests.odd_inputs import CHECKPOINTS, MALICIOUS_MARKER, good_image


@pytest.fixture()
def base(tiny_checkpoint_file: Path) -> Path:
    """The valid checkpoint the broken ones are made from (the run's shared one: only read)."""
    return tiny_checkpoint_file


@pytest.mark.parametrize("kind", list(CHECKPOINTS))
def test_a_broken_checkpoint_is_a_named_error_and_runs_nothing(tmp_path: Path, base: Path, kind: str) -> None:
    make, word = CHECKPOINTS[kind]
    path = make(tmp_path, base)

    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)

    assert str(path) in str(caught.value) and word in str(caught.value), str(caught.value)
    assert not (tmp_path / MALICIOUS_MARKER).exists()


@pytest.mark.parametrize("kind", ["malicious_torch_zip", "empty_pt", "truncated_safetensors"])
def test_fosp_predict_with_a_broken_checkpoint_exits_2_naming_it_and_creates_nothing(
    tmp_path: Path, base: Path, kind: str, capsys: pytest.CaptureFixture
) -> None:
    make, word = CHECKPOINTS[kind]
    path = make(tmp_path, base)
    image = good_image(tmp_path)

    code = main(["predict", str(image), "--out", str(tmp_path / "new" / "out"), "--checkpoint", str(path)])

    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.startswith("error: ") and str(path) in err and word in err, err
    assert not (tmp_path / "new").exists()  # a failed start leaves nothing, not even the --out folder
    assert not (tmp_path / MALICIOUS_MARKER).exists()
