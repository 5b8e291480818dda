"""Compare Two Checkpoints runs at the Model panel's τ, as the Model dock and `fosp eval --tau` do.

The dialog built its Predictors without the panel's Focus τ, so each checkpoint ran at its own (the
default model's 0.15) and its status line ("the Model panel's settings") named input, threshold and
regions but not τ: after moving τ to 0.3 the dialog's scores were not the metrics box's nor
`fosp eval --tau 0.3`'s. Now the request carries the panel's τ, the line names it and follows a τ
change while the dialog is open (as it follows device and precision), and the run's summary says it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.training.compare_dialog import CompareDialog
from fosp_core.metrics.report import setting_text
from tests.conftest import ROOT
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import WAIT_MS

CHECKPOINT = ROOT / "resources" / "models" / "fosp-default.safetensors"


@pytest.fixture(scope="module")
def checkpoint() -> Path:
    if not CHECKPOINT.is_file():
        pytest.skip(f"needs the bundled default model {CHECKPOINT}")
    return CHECKPOINT


def _open(qtbot, make_window: WindowFactory, demo_dir: Path, checkpoint: Path, tmp_path: Path) -> CompareDialog:  # noqa: ANN001
    """The demo's images open, the panel at the default τ, and the compare dialog on the model x 2 (the
    panel has no model: it loaded the default one and ran the first image, which this test never waited for)."""
    window = make_window()
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.open_paths([demo_dir / "JPEGImages"], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    assert window.analysis.settings.tau == 0.15
    return window.training.open_compare(checkpoint, checkpoint)


def test_the_line_names_the_panels_tau_and_follows_it(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                      checkpoint: Path, tmp_path: Path) -> None:
    dialog = _open(qtbot, make_window, demo_dir, checkpoint, tmp_path)
    assert f"τ {setting_text(0.15)} (the Model panel's settings)." in dialog.status.text(), dialog.status.text()
    dialog.analysis.set_tau(0.3)  # the panel's τ moved, the dialog left open
    assert f"τ {setting_text(0.3)} (the Model panel's settings)." in dialog.status.text(), dialog.status.text()
    dialog.analysis.set_tau(0.155)
    assert "τ 0.155 " in dialog.status.text(), dialog.status.text()
    request = dialog.make_request()
    assert not isinstance(request, str) and request.tau == pytest.approx(0.155)


# Checkpoint A's scores are `fosp eval --tau 0.3`'s: tests/gui/test_numbers_agree.py::
# test_box_fosp_eval_and_core_agree_at_the_panels_tau_and_threshold (_compare_scores_as_fosp_eval), on the same run.
