"""The Fine-tune dialog's status line before a run: what Start will do with the form as it is, or the
next thing missing ("Choose a dataset and press Start." stayed there after a dataset was chosen).
It follows the form only while the line shows its own words (or Start's refusal for a field left empty):
a run's, a check's or a problem's line is left alone until New run asks for the prompt again (`show`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from app.training.form import FineTuneForm
from app.training.messages import DatasetFacts

ASK_DATASET = "Choose a dataset and press Start."


def ready_text(dataset: str, checkpoint: str, facts: DatasetFacts | None) -> str:
    """What Start will do with the dataset folder `dataset` and the checkpoint `checkpoint` (texts as
    typed) whose facts are `facts` (None: still being read), or what is missing first."""
    if not dataset.strip():
        return ASK_DATASET
    name = Path(dataset.strip()).name or dataset.strip()
    if not checkpoint.strip():
        return f"Dataset {name}: now choose the checkpoint to start from and press Start."
    if facts is None or facts.folder != dataset:
        return f"Reading the dataset {name}…"
    n = facts.train_images
    if n is None:
        return (f"{name} does not look like a dataset with masks (SmokeSeg JPEGImages/ + SegmentationClass/, or "
                "SMOKE5K img/ + gt/): choose another folder (Start would say what is wrong).")
    if n == 0:
        return f"{name} has nothing to train on (see the note above): choose another dataset or export again."
    images = f"{n} training image{'' if n == 1 else 's'}"
    return f"Press Start to fine-tune {Path(checkpoint.strip()).name} on {name} ({images})."


class StatusPrompt:
    """Keeps `status` saying `ready_text` for `form` while it shows a prompt of its own."""

    def __init__(self, status: QLabel, form: FineTuneForm) -> None:
        self.status, self.form = status, form
        self._said = ""
        for changed in (form.dataset_read, form.dataset_edit.textChanged, form.checkpoint_edit.textChanged):
            changed.connect(self._follow)
        self.show()

    def show(self) -> None:
        """Say the prompt now (the dialog opens, New run), whatever the line said."""
        form = self.form
        self._said = ready_text(form.dataset_edit.text(), form.checkpoint_edit.text(), form.facts)
        self.status.setStyleSheet("")
        self.status.setText(self._said)

    def follow_from_here(self) -> None:
        """The line's words now (Start refused: a field empty) give way to the prompt at the form's next change."""
        self._said = self.status.text()

    def _follow(self) -> None:
        if self.status.text() == self._said:  # the line is still the prompt: no run's or problem's words
            self.show()
