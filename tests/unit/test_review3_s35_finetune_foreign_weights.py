"""Start from: weights another tool saved (R3 review, session 35). A .pt of plain tensors (torch.save of a state
dict) or a safetensors file with no FoSp metadata (a Hugging Face SegFormer, say) was refused by the Fine-tune
dialog with "unknown model variant ''; expected one of fosp-s, ..." - the user never named a variant - while
`fosp predict --checkpoint` said what it is: "not a FoSp checkpoint (weights saved by another tool?): give a FoSp
checkpoint ... made by `fosp train` ... or `fosp train-export`". The plan says the same now."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from fosp_core.train.finetune import FineTuneError, FineTuneRequest, plan_finetune
from tests.unit.test_train_support import make_export


def _foreign(tmp_path: Path, kind: str) -> Path:
    weights = {"encoder.weight": torch.zeros(4, 3), "decode_head.weight": torch.zeros(2)}
    if kind == "pt":
        path = tmp_path / "other-tool.pt"
        torch.save(weights, path)
    else:
        path = tmp_path / "segformer-from-the-hub.safetensors"
        save_file(weights, str(path))  # no FoSp metadata
    return path


@pytest.mark.parametrize("kind", ["pt", "safetensors"])
def test_weights_of_another_tool_are_said_so(demo_dir: Path, tmp_path: Path, kind: str) -> None:
    dataset = make_export(demo_dir, tmp_path / "export")
    with pytest.raises(FineTuneError) as caught:
        plan_finetune(FineTuneRequest(dataset=dataset, init_from=_foreign(tmp_path, kind), name="ft",
                                      runs_dir=str(tmp_path / "runs")))
    said = str(caught.value)
    assert "not a FoSp checkpoint" in said and "fosp train-export" in said, said
    assert "unknown model variant ''" not in said
    assert not (tmp_path / "runs" / "ft").exists()


def test_a_runs_training_state_is_said_so_with_the_file_to_start_from(demo_dir: Path, tmp_path: Path) -> None:
    """A run's last.pt (optimiser and schedule too) is FoSp's own, not another tool's: said as what it is."""
    from fosp_core.train.state import save_state

    dataset = make_export(demo_dir, tmp_path / "export")
    state = tmp_path / "runs" / "earlier" / "last.pt"
    state.parent.mkdir(parents=True)
    save_state(state, {"iteration": 3, "model": {"w": torch.zeros(2)}})
    with pytest.raises(FineTuneError) as caught:
        plan_finetune(FineTuneRequest(dataset=dataset, init_from=state, name="ft", runs_dir=str(tmp_path / "runs")))
    said = str(caught.value)
    assert "a training state of `fosp train`" in said and str(state.parent / "best.safetensors") in said, said
