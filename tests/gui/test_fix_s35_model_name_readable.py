"""The Model panel showed a fine-tuned model's file name cut in the middle ("finetu…185900.safetensors" at
1366 x 768): neither what it is nor what it was trained on could be read, and what it was fine-tuned from
was only in the collapsed details. The name now keeps its beginning (".safetensors", the usual format, gives
way first), and its tooltip says the whole name, its path and, once loaded, what it was fine-tuned from."""

from __future__ import annotations

import json
from pathlib import Path

from app.analysis.model_panel import ModelPanel
from fosp_core.analysis.settings import AnalysisSettings, read_model_info
from tests.gui.tiny_model import save_tiny_checkpoint

NAME = "finetune-my-export-20261207-185900"


def _fine_tuned(folder: Path) -> Path:
    path = save_tiny_checkpoint(folder / f"{NAME}.safetensors")
    card = {"format": "fosp-model-card", "format_version": 1, "weights": {"file": path.name},
            "data": {"root": "my-export", "train": [], "val": [],
                     "started_from": {"checkpoint": "fosp-default.safetensors", "name": "fosp-default",
                                      "data": "SmokeSeg train"}}}
    path.with_name(f"{NAME}.card.json").write_text(json.dumps(card), encoding="utf-8")
    return path


def test_a_fine_tuned_models_name_keeps_its_beginning_and_its_tooltip_its_origin(qtbot, tmp_path: Path) -> None:
    path = _fine_tuned(tmp_path)
    settings = AnalysisSettings(checkpoint=None)
    panel = ModelPanel(settings, [("auto", "Automatic"), ("cpu", "CPU")])
    qtbot.addWidget(panel)
    settings.set_checkpoint(path)
    label = panel.checkpoint_label
    panel.resize(320, panel.sizeHint().height())  # the Model dock's width at 1366 x 768
    panel.show()
    qtbot.waitExposed(panel)
    shown = label.shown_text()
    assert shown.startswith("finetune-my-export"), shown  # what it is and what it was trained on
    assert label.fontMetrics().horizontalAdvance(shown) <= label.width()

    panel.set_model_info(read_model_info(path), "cpu")
    tip = label.toolTip()
    assert f"{NAME}.safetensors" in tip and str(path) in tip, tip
    assert "fine-tuned from fosp-default" in tip, tip


def test_a_short_name_and_another_format_are_shown_whole(qtbot, tmp_path: Path) -> None:
    settings = AnalysisSettings(checkpoint=None)
    panel = ModelPanel(settings, [("auto", "Automatic"), ("cpu", "CPU")])
    qtbot.addWidget(panel)
    panel.resize(320, panel.sizeHint().height())
    panel.show()
    qtbot.waitExposed(panel)
    settings.set_checkpoint(tmp_path / "fosp.safetensors")
    assert panel.checkpoint_label.shown_text() == "fosp.safetensors"
    settings.set_checkpoint(tmp_path / "an-old-checkpoint-from-another-lab-2024.pth")
    shown = panel.checkpoint_label.shown_text()
    assert shown.endswith(".pth") and shown.startswith("an-old"), shown  # an unusual format stays said
