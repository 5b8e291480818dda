"""The Model dock's metrics box says when the model was trained on the image shown: its scores there
flatter the model (a fine-tune scored on its own training photos). Nothing is said for an image it held
out, nor by a checkpoint that records no training images (unknown is not "held out")."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.trained_on import METADATA_KEY, TRAINED_ON_THIS_IMAGE, fingerprint
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint

SAID = TRAINED_ON_THIS_IMAGE[0].upper() + TRAINED_ON_THIS_IMAGE[1:]


def _shown_note(qtbot, window, ctl, index: int) -> str:  # noqa: ANN001
    """The metrics box's note once image `index` has run (the box filled now, not at its timer)."""
    window.session.set_current(index)
    request = ctl.run_current()
    qtbot.waitUntil(lambda: request not in ctl._runs and ctl.prediction is not None, timeout=WAIT_MS)
    ctl.update_metrics()  # asks whether the model was trained on the image: answered off the GUI thread
    qtbot.waitUntil(lambda: not ctl.scores.trained.pending(), timeout=WAIT_MS)
    ctl.update_metrics()
    return ctl.metrics.note.text()


@pytest.mark.parametrize("records", [True, False])
def test_the_metrics_box_says_when_the_model_was_trained_on_the_image(qtbot, make_window, demo_dir: Path,
                                                                     tmp_path: Path, records: bool) -> None:
    images = sorted((demo_dir / "JPEGImages").glob("*.jpg"))
    metadata = {METADATA_KEY: fingerprint(images[:1]).to_metadata()} if records else None
    checkpoint = save_tiny_checkpoint(tmp_path / "finetuned.safetensors", metadata=metadata)
    window, ctl = ready_window(qtbot, make_window, checkpoint, [demo_dir], tmp_path / "projects")
    first = window.session.paths.index(images[0])
    other = window.session.paths.index(images[1])
    assert (SAID in _shown_note(qtbot, window, ctl, first)) is records
    assert SAID not in _shown_note(qtbot, window, ctl, other)
