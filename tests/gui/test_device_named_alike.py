"""The device a model runs on is named the same way on every line the user reads: the Compare
dialog said "run on cpu (auto)", the Model panel's status "Model ready (CPU)", its details line
"· on cpu" next to "computed in fp32 on the CPU". All now say it as `device_words` does: "CPU",
"GPU cuda:0", "Apple GPU (MPS)", and the Model panel's "Automatic" for the auto setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.compute_words import compute_text
from app.analysis.runs import ready_text
from app.training.compare_summary import summary_html
from app.training.compare_worker import planned_device
from fosp_core.analysis.compare import CompareRow
from fosp_core.analysis.compare_report import CompareRequest
from fosp_core.analysis.settings import device_words, read_model_info
from fosp_core.infer.devices import resolve_device
from tests.gui.tiny_model import save_tiny_checkpoint


@pytest.mark.parametrize(("device", "words"), [("cpu", "CPU"), ("cuda:0", "GPU cuda:0"), ("cuda:1", "GPU cuda:1"),
                                                ("mps", "Apple GPU (MPS)"), ("auto", "Automatic")])
def test_every_line_names_the_device_alike(tmp_path: Path, device: str, words: str) -> None:
    assert device_words(device) == words
    if device == "auto":
        return
    info = read_model_info(save_tiny_checkpoint(tmp_path / "m.safetensors"))
    assert f" · on {words}" in info.summary(device), info.summary(device)
    assert compute_text("", "fp32", device).endswith(f" on {words}"), compute_text("", "fp32", device)
    assert ready_text(device, 0) == f"Model ready ({words}) · no results yet"


def test_compare_says_the_device_as_the_model_panel_does(tmp_path: Path) -> None:
    here = device_words(str(resolve_device("auto")))
    assert planned_device("auto") == f"{here} (Automatic)"
    assert planned_device("cpu") == "CPU"
    request = CompareRequest((tmp_path / "a.png",), tmp_path / "a.safetensors", tmp_path / "b.safetensors", "cpu")
    row = CompareRow(tmp_path / "a.png", (0.1, 0.2), 0.5)
    assert "Run on CPU, " in summary_html([row], request, {})
