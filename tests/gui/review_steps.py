"""What an annotator does to an image the model ran on, in the real window: shared by the labelling-day
kill worker (`tests/gui/label_kill_worker.py`) and `bench/bench_label_scale.py` (no tests here)."""

from __future__ import annotations

from app.main_window import MainWindow
from fosp_core.annotation.document import Status
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import drag


def correct_and_review(window: MainWindow) -> None:
    """On the open image: Accept Prediction, a brush stroke across a tenth of it, Mark Reviewed, and its
    save flushed (`open_documents.flush`)."""
    controller = window.annotation.controller
    controller.accept_prediction()
    h, w = controller.document.shape
    controller.state.set_tool(Tool.BRUSH)
    drag(window, [(w * 0.2, h * 0.3), (w * 0.3, h * 0.35)])
    controller.state.set_tool(Tool.NAVIGATE)
    controller.set_status(Status.REVIEWED)
    controller.open_documents.flush()
