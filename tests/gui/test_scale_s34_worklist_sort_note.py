"""The worklist sorted by a model's number (uncertainty, smoke size, error) read every row's number twice at
each refresh: once to sort (`worklist.sort_entries`), once more to tell whether any row had one (the note
'No image listed has ... yet'), that pass reading the Sort box at each row: 0.1-0.2 s on the GUI thread at
30 000 images, at every change of Show or Sort. `sort_entries` lists the entries without the number last,
so the first row tells it. The work is counted (calls of `worklist.sort_value`), never timed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal

from app.annotation.worklist_panel import WorklistPanel
from fosp_core.annotation import worklist
from fosp_core.annotation.entries import ImageEntry
from fosp_core.session import ImageSession

N = 300


class _Registry:
    def __init__(self, project: object) -> None:
        self.projects = [project]


class _Project:
    def __init__(self, entries: list[ImageEntry]) -> None:
        self.entries = entries
        self._by_id = {e.id: e for e in entries}

    def entry(self, image_id: str) -> ImageEntry | None:
        return self._by_id.get(image_id)


class _Controller(QObject):
    state_changed = Signal()
    mask_saved = Signal(str)
    document_changed = Signal()

    def __init__(self, project: _Project) -> None:
        super().__init__()
        self.probability_only = False
        self.document = None
        self.project = project
        self.registry = _Registry(project)
        self.session = ImageSession()  # no image open: no name filter (s37: the worklist keeps to it)


@pytest.mark.parametrize(("predicted", "note"), [(0, True), (1, False)])
def test_a_refresh_sorted_by_uncertainty_reads_each_row_once(qtbot, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                             predicted: int, note: bool) -> None:
    entries = [ImageEntry(f"img{i:04d}", f"img{i:04d}.jpg") for i in range(N)]
    for entry in entries[N - predicted:]:  # the last one predicted: sorted first
        entry.prediction = {"uncertainty": 0.5}
    panel = WorklistPanel(_Controller(_Project(entries)))  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    reads = {"n": 0}
    real = worklist.sort_value

    def counted(entry: ImageEntry, key: str) -> float | None:
        reads["n"] += 1
        return real(entry, key)

    monkeypatch.setattr(worklist, "sort_value", counted)
    panel.sort.setCurrentIndex(1)  # Model uncertainty: one refresh
    assert panel.sort_key == "uncertainty"
    assert panel.model.rowCount() == N
    assert reads["n"] <= N + 1  # the sort's read of each row, and the note's of the first (was 2 x N)
    says = "No image listed has a model uncertainty yet" in panel.empty_note.text()
    assert says is note
