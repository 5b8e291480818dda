"""Pre-label All a second time with the same model (the folder reopened, nothing else changed) said "Nothing to
pre-label: every image has a mask already", where ``fosp project prelabel --replace-predicted`` says why there is
nothing to replace either (22e19ea5, 0003e43e): the masks only a model made are this model's at these settings
already. The app counts those apart (`app.annotation.prelabel_runs`) and says so in the same words."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.annotation.prelabel_question import REPLACE_TEXT, nothing_text
from fosp_core.annotation.prelabel import PrelabelCounts
from tests.gui.annotation_helpers import copy_demo
from tests.gui.project_window import project_window
from tests.gui.tiny_model import WAIT_MS, save_tiny_checkpoint

SAME_MODEL = ("Nothing to pre-label: every image has a mask already; the 4 made by a model only (status predicted) are "
              "this model's at these settings already: nothing to replace (another checkpoint or other settings "
              "replace them)")


def test_words3_s36_a_second_prelabel_with_the_same_model_says_its_masks_are_this_models(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    demo = copy_demo(demo_dir, tmp_path / "demo")
    checkpoint = save_tiny_checkpoint(tmp_path / "models" / "tiny.safetensors")
    window, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)
    assert window.prelabel.prelabel_all(ask=False)
    report = window.prelabel.wait()
    assert report is not None and len(report.imported) == 4
    window.close()

    again, _ctl = project_window(qtbot, make_window, checkpoint, demo, tmp_path)  # the folder reopened, same model
    bar = again.statusBar()
    again.annotation.actions.prelabel_all.trigger()  # the menu: counted on its thread, then said (nothing to ask)
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("Nothing to pre-label"), timeout=WAIT_MS)
    assert bar.currentMessage() == SAME_MODEL


def test_words3_s36_nothing_to_prelabel_counts_this_models_masks_apart() -> None:
    """Some model-only masks another model's (the box replaces those), some this model's already; one image."""
    box = f"'{REPLACE_TEXT}' in Pre-label All's question"
    assert nothing_text(PrelabelCounts(0, 2, 5), 3) == (
        f"Nothing to pre-label: every image has a mask already; 2 of them were made by a model only (status predicted): "
        f"{box} replaces those with this model's; the 3 others made by a model only are this model's at these "
        "settings already")
    assert nothing_text(PrelabelCounts(0, 0, 1), 1) == (
        "Nothing to pre-label: every image has a mask already; the 1 made by a model only (status predicted) is this "
        "model's at these settings already: nothing to replace (another checkpoint or other settings replace it)")
    assert nothing_text(PrelabelCounts(0, 0, 3)) == "Nothing to pre-label: every image has a mask already"
