"""Closing the window while edits are not saved: Retry / Discard / Cancel (`ask_before_closing`, modal),
the answer a :class:`CloseChoice`. `app.annotation.save_status.SaveStatus` asks it (its ``ask``); the
video's keyframe not saved asks its own question with the same answers (`app.video.frame_editing`)."""

from __future__ import annotations

import enum
import html

from PySide6.QtWidgets import QMessageBox, QWidget

from app.save_problems import SaveProblem, brief_reason, image_names
from app.services import APPLICATION

__all__ = ["CloseChoice", "ask_before_closing"]


class CloseChoice(enum.Enum):
    """The answer to "close with edits not saved?"."""

    RETRY = "retry"  # save them again (room was made)
    DISCARD = "discard"  # close, losing them
    CANCEL = "cancel"  # keep the window open


def ask_before_closing(parent: QWidget | None, problem: SaveProblem) -> CloseChoice:
    """Ask (modal) what becomes of the edits not saved when the window closes."""
    count = len(problem.unsaved)
    box = QMessageBox(QMessageBox.Icon.Warning, APPLICATION,
                      f"{count} image{' has' if count == 1 else 's have'} edits that are not saved "
                      f"({', '.join(dict.fromkeys(brief_reason(r) for r in problem.reasons))}).",
                      QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setInformativeText(
        f"Not saved: {html.escape(image_names(list(problem.unsaved), listed=12))}.<br><br>"
        f"{html.escape(problem.fix())}, then <b>Retry</b> to save them. <b>Discard</b> closes the window "
        "without them (an edit already in its image's recovery log comes back when the project opens next); "
        "<b>Cancel</b> keeps it open.")
    box.setDefaultButton(QMessageBox.StandardButton.Retry)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Retry:
        return CloseChoice.RETRY
    if answer == QMessageBox.StandardButton.Discard:
        return CloseChoice.DISCARD
    return CloseChoice.CANCEL
