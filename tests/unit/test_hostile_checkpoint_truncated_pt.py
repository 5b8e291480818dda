"""A ``.pt`` cut short (a copy that stopped): the reader said "not a readable PyTorch weights file
(PytorchStreamReader failed reading zip archive: failed finding central directory)", words the app's
headline table does not know, so the app told the user "its weights or settings do not fit a FoSp model (a
damaged or edited FoSp checkpoint?)", as for a checkpoint of another configuration. The reason now says
the file is damaged, and the app's headline says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from app.analysis.load_words import headline, load_failure_text
from fosp_core.checkpoint import CheckpointError, load_checkpoint


def test_a_truncated_pt_is_said_to_be_damaged(tmp_path: Path) -> None:
    path = tmp_path / "weights.pt"
    torch.save({"layer.weight": torch.zeros(1000)}, path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)

    assert str(path) in str(caught.value) and "damaged" in str(caught.value), str(caught.value)
    said = headline(load_failure_text(path, caught.value, str(caught.value)))
    assert "it is damaged or another kind of file" in said, said
