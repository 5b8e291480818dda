"""The worklist: the project's images with their status, filtered and sorted; next/previous unreviewed.

A view of the current project's entries (`fosp_core.annotation.worklist` does the filtering and
sorting); choosing a row opens that image in the session. The list is rebuilt from the project
whenever a document commits or another image becomes current, so it never holds state of its own.
"""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.annotation.controller import AnnotationController
from fosp_core.annotation import worklist
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.project import Project

__all__ = ["STATUS_COLORS", "WorklistPanel"]

STATUS_COLORS = {Status.UNLABELED: "#8a8a8a", Status.PREDICTED: "#4fa3ff", Status.EDITED: "#ffb347",
                 Status.REVIEWED: "#5fd35f"}
_FILTERS: list[tuple[str, list[Status] | None]] = [
    ("All images", None),
    ("Not reviewed", [Status.UNLABELED, Status.PREDICTED, Status.EDITED]),
    *[(s.value.capitalize(), [s]) for s in Status],
]
_SORTS = [("Name", "name"), ("Model uncertainty", "uncertainty"), ("Smoke size", "smoke_size"),
          ("Error vs label", "error")]
ID_ROLE = Qt.ItemDataRole.UserRole


class WorklistPanel(QWidget):
    """See module doc."""

    def __init__(self, controller: AnnotationController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.filter = QComboBox()
        for text, _ in _FILTERS:
            self.filter.addItem(text)
        self.sort = QComboBox()
        for text, _ in _SORTS:
            self.sort.addItem(text)
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the date and the frame number
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # how far the project is: reviewed of all, and every status by colour (as the dots)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(14)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Show", self.filter)
        form.addRow("Sort by", self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.counts)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.sort.currentIndexChanged.connect(lambda _i: self.refresh())
        self.list.itemActivated.connect(self._on_item_chosen)
        self.list.itemClicked.connect(self._on_item_chosen)
        controller.state_changed.connect(self.refresh)
        controller.document_changed.connect(self.refresh)
        self.refresh()

    # --- model ---------------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        """The project of the current image, else the first open one."""
        if self.controller.project is not None:
            return self.controller.project
        projects = self.controller.registry.projects
        return projects[0] if projects else None

    @property
    def sort_key(self) -> str:
        return _SORTS[self.sort.currentIndex()][1]

    def ordered(self) -> list[ImageEntry]:
        """Every entry of the project in worklist order (the sort, without the filter)."""
        project = self.project
        if project is None:
            return []
        key = self.sort_key
        return worklist.sort_entries(project.entries, key, descending=key != "name")

    def shown(self) -> list[ImageEntry]:
        statuses = _FILTERS[self.filter.currentIndex()][1]
        return worklist.filter_entries(self.ordered(), statuses)

    def refresh(self) -> None:
        """Rebuild the list from the project (keeps the current image selected)."""
        doc = self.controller.document
        current = doc.image_id if doc is not None else None
        live = {current: doc.status} if doc is not None else {}  # the image being edited, not yet stored
        with QSignalBlocker(self.list):
            self.list.clear()
            for entry in self.shown():
                status = live.get(entry.id, entry.status)
                item = QListWidgetItem(qta.icon("fa6s.circle", color=STATUS_COLORS[status]), f"{entry.id}")
                item.setToolTip(f"{entry.image}\nstatus: {status.value}")
                item.setData(ID_ROLE, entry.id)
                item.setForeground(QColor("#ffffff" if entry.id == current else "#d0d0d0"))
                self.list.addItem(item)
                if entry.id == current:
                    self.list.setCurrentItem(item)
        self._show_progress(live)

    def _show_progress(self, live: dict[str, Status]) -> None:
        project = self.project
        entries = project.entries if project is not None else []
        counts = worklist.status_counts(entries, live)
        total = len(entries)
        self.progress.setVisible(total > 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(counts[Status.REVIEWED])
        self.progress.setFormat(f"{counts[Status.REVIEWED]} of {total} reviewed")
        self.counts.setText("  ".join(
            f'<span style="color:{STATUS_COLORS[s]}">●</span>&nbsp;{counts[s]}&nbsp;{s.value}' for s in Status
        ) if total else "")

    def status_of(self, image_id: str) -> Status | None:
        """The status the list shows for `image_id` (None when not listed)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == image_id:
                return Status(item.toolTip().rsplit("status: ", 1)[1])
        return None

    # --- navigation ----------------------------------------------------------------------------
    def go_to(self, image_id: str) -> bool:
        """Make `image_id` of the current project the session's current image."""
        project = self.project
        if project is None:
            return False
        path = project.image_path(image_id).resolve()
        session = self.controller.session
        index = session.index_of(path)
        if index < 0:
            session.add([path])
            index = session.index_of(path)
        if index < 0:
            return False
        session.set_current(index)
        return True

    def step_unreviewed(self, step: int) -> bool:
        """Go to the next (+1) / previous (-1) image that is not reviewed, in worklist order."""
        doc = self.controller.document
        target = worklist.next_unreviewed(self.ordered(), doc.image_id if doc is not None else None, step=step)
        if target is None:
            self.controller.message.emit("Every image is reviewed", 4000)
            return False
        return self.go_to(target)

    def _on_item_chosen(self, item: QListWidgetItem) -> None:
        image_id = item.data(ID_ROLE)
        if image_id:
            self.go_to(str(image_id))
