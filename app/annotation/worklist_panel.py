"""The worklist: the project's images with their status, filtered and sorted; next/previous unreviewed.

It lists the images its Show choice and the Images list's name filter (Ctrl+F) let through, as N / Shift+N,
PgDown / PgUp and Home / End keep to both; while the name filter is set a note above the rows says how many
of the project's it lets through (s37: the list showed every name).

A view of the current project's entries (`fosp_core.annotation.worklist` does the filtering and
sorting); choosing a row opens that image in the session. The rows are recomputed from the project
whenever a document commits (once per turn of the event loop, however many of the controller's signals
the change emitted: `WorklistPanel.refresh_later`), so the list never holds state of its own; another
image made current changes no entry: the rows and counts are kept, the current row and its live status
shown anew (`_stepped_later`). They live in a `WorklistModel` behind a `QListView` (no item object per row, four status icons
made once), so that recomputing them after every stroke costs a sort of the entries, not a rebuilt
widget: a few milliseconds for SMOKE5K's 5 053 images instead of about 170. With the list focused,
Up and Down walk its rows in its order, opening each (`WorklistView`). The Show and Sort by boxes
never keep the keyboard focus: a click opens their menu without taking it, and a choice made from
their menu hands it back to the canvas (Space there opened the menu again instead of panning); their
arrow keys step the choices, keeping it (`app.annotation.choice_keys`).
"""

from __future__ import annotations

import bisect
import operator
import time

from PySide6.QtCore import QModelIndex, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QListView,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.annotation import worklist_shows as shows
from app.annotation.choice_keys import ChoiceBox
from app.annotation.controller import AnnotationController
from app.annotation.status_words import OLD_WORDS, status_word
from app.annotation.worklist_model import ID_ROLE, STATUS_COLORS, WorklistModel, status_colors
from app.annotation.worklist_notes import SORT_NEEDS, SORTS, empty_note_words, name_note_words
from app.annotation.worklist_pin import PINNED_SORTS, ShownPin
from app.annotation.worklist_shown import install_shown
from app.annotation.worklist_step import shown_image_id, within_name_filter, worklist_project
from app.annotation.worklist_view import WorklistView
from app.annotation.worklist_words import ROUND_MS, WENT_ROUND, nothing_left_words, went_round
from app.theme import HINT_STYLE, theme_events
from fosp_core.annotation import worklist
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import ImageEntry
from fosp_core.annotation.project import Project

__all__ = ["ID_ROLE", "STATUS_COLORS", "WENT_ROUND", "WorklistModel", "WorklistPanel", "status_colors"]

#: (the entries list, its items then, them by name, {id: place by name})
_NameOrder = tuple[list[ImageEntry], tuple[ImageEntry, ...], list[ImageEntry], dict[str, int]]


def _same_entries(entries: list[ImageEntry], then: tuple[ImageEntry, ...]) -> bool:
    """Whether `entries` holds the entries `then` did, in order (compared by identity, in C)."""
    return len(entries) == len(then) and all(map(operator.is_, entries, then))


class WorklistPanel(QWidget):
    """See module doc."""

    def __init__(self, controller: AnnotationController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._unsorted = False  # no row listed has the value of the chosen sort (the note says so)
        def keys_back() -> None:  # a choice from a box's menu (not its arrows' steps): `choice_keys`
            controller.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

        self.filter = ChoiceBox(keys_back)
        for show in shows.SHOWS:  # Unlabelled and Dataset label only apart, as the Annotate dock tells them
            self.filter.addItem(show.text)
        shows.show_tips(self.filter)
        self.sort = ChoiceBox(keys_back)
        for text, _ in SORTS:
            self.sort.addItem(text)
        for combo in (self.filter, self.sort):
            combo.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys where they were
        self.model = WorklistModel(self)
        self.list = WorklistView()
        self.list.setAccessibleName("Worklist")
        self.list.setModel(self.model)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keeps the date and the frame number
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # how far the project is: reviewed of all, and every status by colour (as the dots)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(14)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.name_note = QLabel()  # how many rows the Images list's name filter lets through, while it is set
        self.name_note.setWordWrap(True)
        self.name_note.setStyleSheet(HINT_STYLE)
        self.empty_note = QLabel()  # why the list is empty: nothing open, or the filter hides every row
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet(HINT_STYLE)
        form = QFormLayout()
        form.addRow("Show", self.filter)
        form.addRow("Sort by", self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.name_note)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.counts)
        self.pin = ShownPin()  # the image shown keeps its place in a sort by a number (`worklist_pin`)
        self.filter.currentIndexChanged.connect(lambda _i: self._sort_again())
        self.sort.currentIndexChanged.connect(lambda _i: self._sort_again())
        theme_events().changed.connect(self._on_theme_changed)  # a bound slot: gone with the panel
        self.list.activated.connect(self._on_row_chosen)
        self.list.clicked.connect(self._on_row_chosen)
        self.list.stepped.connect(self._on_row_chosen)
        self.list.place_of_shown = self._place_of_shown  # Up / Down from an image without a row
        # one stroke, review or image change emits several of these: one refresh after them all (`refresh_later`)
        self._refresh_timer = QTimer(self, singleShot=True, interval=0, timeout=self._refresh_due)
        self._only_stepped = False  # the refresh due was asked for by image changes only (`_stepped_later`)
        self._rows_of: tuple[object, ...] | None = None  # what the rows and `_stored` were made from
        self._stored = shows.stored_counts([])  # the stored status counts then (no image's live state)
        self._by_name: _NameOrder | None = None  # the name order made last (`ordered`)
        controller.state_changed.connect(lambda: self._stepped_later() if controller.probability_only
                                         else self.refresh_later())  # a probability shown changes no entry
        controller.mask_saved.connect(lambda _image_id: self.refresh_later())  # its smoke size is now the saved one
        controller.document_changed.connect(self._shown_changed)
        controller.session.events.filter_changed.connect(lambda _pattern: self._sort_again())  # other rows
        self._project: Project | None = None  # the project listed last (`worklist_project`)
        self._round_said = -1.0  # when WENT_ROUND was said (monotonic s): a step within its time takes it away
        self.refresh()

    # --- model ---------------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        """The project of the current image (of the one listed while it is read), else the first open one."""
        self._project = worklist_project(self.controller, self._project)
        return self._project

    @property
    def sort_key(self) -> str:
        return SORTS[self.sort.currentIndex()][1]

    def choice(self) -> tuple[str, str]:
        """(Show, Sort by) as they are stored between sessions: the Show text ("Not reviewed") and
        the sort key ("uncertainty")."""
        return self.filter.currentText(), self.sort_key

    def restore(self, show: str, sort: str) -> None:
        """Show `show` sorted by `sort` (a :meth:`choice` of an earlier session); an unknown one
        leaves that box as it is."""
        old = {word.capitalize(): status_word(s).capitalize() for s, word in OLD_WORDS.items()}
        at = self.filter.findText(old.get(show, show))  # "Unlabeled", as stored before: "Unlabelled"
        if at >= 0:
            self.filter.setCurrentIndex(at)
        keys = [key for _, key in SORTS]
        if sort in keys:
            self.sort.setCurrentIndex(keys.index(sort))

    def ordered(self) -> list[ImageEntry]:
        """Every entry of the project in worklist order (the sort, without the filter). By name, the order
        made last is kept while the project holds the same entries (an id never changes): Next Unreviewed
        sorted every entry at each press."""
        project = self.project
        if project is None:
            return []
        key = self.sort_key
        if key != "name":
            doc = self.controller.document
            return self.pin.apply(worklist.sort_entries(project.entries, key, descending=True),
                                  None if doc is None else doc.image_id)
        entries, kept = project.entries, self._by_name
        if kept is None or kept[0] is not entries or not _same_entries(entries, kept[1]):
            order = worklist.sort_entries(entries, key, descending=False)
            kept = self._by_name = (entries, tuple(entries), order, {e.id: i for i, e in enumerate(order)})
        return kept[2]

    def _positions(self, order: list[ImageEntry]) -> dict[str, int] | None:
        """{id: place} of `order` when it is the name order kept (`ordered`), else None."""
        kept = self._by_name
        return kept[3] if kept is not None and kept[2] is order else None

    def shown(self) -> list[ImageEntry]:
        """The rows: the entries in worklist order that the Show choice lists and the Images list's name filter
        (Ctrl+F) lets through, as N, PgDown and Home / End keep to it (s37: the list showed every name)."""
        rows = shows.SHOWS[self.filter.currentIndex()].entries(self.ordered())
        pattern = self.controller.session.filter
        return within_name_filter(rows, pattern, None, self.project) if pattern else rows

    def refresh_later(self) -> None:
        """`refresh` once the events of this turn of the event loop are handled (a 0 ms single shot): a
        stroke, a review or an image change emits state_changed, document_changed and mask_saved, 3-4
        refreshes each sorting, filtering and counting every image; now one. Reading the model, the list
        or the counts before then does it at once (`worklist_shown`)."""
        self._only_stepped = False
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _sort_again(self, *, pin: bool = True) -> None:
        """Rows made anew (another Show or Sort by, or the pinned image left), the image shown pinned where it
        is in them (`ShownPin`)."""
        self.pin.take([], -1)
        self.refresh()
        doc = self.controller.document
        if pin and doc is not None and self.sort_key in PINNED_SORTS:
            self.pin.take(self.model.rows, self.model.row_of(doc.image_id))

    def _shown_changed(self) -> None:
        """Another image shown (or none): the one left takes its place in the sort when it was held out of it
        (`ShownPin.moved`), the new one is pinned; else only the current row changes (`_stepped_later`)."""
        if self.pin.moved:
            self._sort_again()
            return
        self._stepped_later()
        doc = self.controller.document
        if self.sort_key in PINNED_SORTS and doc is not None:
            self.pin.take(self.model.rows, self.model.row_of(doc.image_id))
        else:
            self.pin.take([], -1)

    def _stepped_later(self) -> None:
        """`refresh_later` for another image made current (its document arriving, its probability shown): no
        entry changed with it, so the rows and the stored counts are kept (`refresh(rows_kept=True)`); only what is current and
        its live status are shown anew: a step costs no pass over every image (5 053: two sorts, filters
        and counts of every entry a step before)."""
        if not self._refresh_timer.isActive():
            self._only_stepped = True
            self._refresh_timer.start()

    def _refresh_due(self) -> None:
        self.refresh(rows_kept=self._only_stepped)

    def refresh(self, *, rows_kept: bool = False) -> None:
        """Rebuild the list from the project now (keeps the current image selected); a `refresh_later`
        asked for before is done by it. `rows_kept`: only the current image changed: the rows and stored
        counts made last are kept when made from the same project, sort, filter and number of entries."""
        self._refresh_timer.stop()
        self._only_stepped = False
        doc = self.controller.document
        current = doc.image_id if doc is not None else None
        live = {current: doc.status} if doc is not None else {}  # the image being edited, not yet stored
        project = self.project
        entries = project.entries if project is not None else []
        made_of = (project, entries, self.sort_key, self.filter.currentIndex(), len(entries),
                   self.controller.session.filter)
        was = self._rows_of  # the same project and entries list (by identity), sort, filters and count
        if rows_kept and was is not None and was[0] is project and was[1] is entries and was[2:] == made_of[2:]:
            rows = self.model.rows
        else:
            rows = self.shown()
            # sort_entries lists the entries without the sort's value last: whether any row has one is the
            # first row's (a pass over every row, reading the sort box at each, was 0.1-0.2 s at 30 000)
            key = self.sort_key
            self._unsorted = bool(rows) and key in SORT_NEEDS and worklist.sort_value(rows[0], key) is None
            self._stored = shows.stored_counts(entries)
            self._rows_of = made_of
        self.model.project = project  # (a read-only one's tooltips name no Import Labels…)
        if self.model.set_rows(rows, live, current):
            self.list.viewport().update()  # the same rows: repainted, not laid out again
        row = self.model.row_of(current)
        selection = self.list.selectionModel()
        with QSignalBlocker(selection):
            if row >= 0:
                selection.setCurrentIndex(self.model.index(row), selection.SelectionFlag.ClearAndSelect)
                self.list.scrollTo(self.model.index(row))
            else:
                selection.clear()
        self._show_progress(project, live)
        self._show_empty_note()

    def _show_empty_note(self) -> None:
        project = self.project
        unsorted = self.sort_key if project is not None and self._unsorted else None
        entries, rows, show_at = (None if project is None else len(project.entries), self.model.rowCount(),
                                  self.filter.currentIndex())
        pattern = self.controller.session.filter if project is not None else ""
        text = empty_note_words(entries, len(self.controller.session), rows, show_at, self._stored, unsorted, pattern)
        self.empty_note.setText(text)
        self.empty_note.setVisible(bool(text))
        text = name_note_words(rows, entries or 0, show_at, pattern)
        self.name_note.setText(text)
        self.name_note.setVisible(bool(text))

    def _show_progress(self, project: Project | None, live: dict[str, Status]) -> None:
        counts = shows.live_counts(self._stored, live, project.entry if project is not None else None)
        total = len(project.entries) if project is not None else 0
        reviewed = counts.statuses[Status.REVIEWED]
        self.progress.setVisible(total > 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(reviewed)
        self.progress.setFormat(f"{reviewed} of {total} reviewed")
        self.counts.setText(shows.counts_html(counts, status_colors()) if total else "")

    def status_of(self, image_id: str) -> Status | None:
        """The status the list shows for `image_id` (None when not listed), the `refresh_later` asked for
        done first (`worklist_shown`)."""
        row = self.model.row_of(image_id)
        return None if row < 0 else self.model.status(row)

    # --- navigation ----------------------------------------------------------------------------
    def go_to(self, image_id: str) -> bool:
        """Make `image_id` of the current project the session's current image."""
        project = self.project
        if project is None:
            return False
        path = self.controller.registry.resolved(project.image_path(image_id))  # as opened: not looked at again
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
        """Go to the next (+1) / previous (-1) image that is not reviewed, in worklist order, among
        the statuses shown (the filter is the queue; with "Reviewed" shown, any status) and the names
        the Images list's filter lists (`worklist_step`), from the image the session shows."""
        doc, current, pattern = self.controller.document, shown_image_id(self.controller), self.controller.session.filter
        show = shows.SHOWS[self.filter.currentIndex()]
        statuses = show.statuses
        if statuses is not None and set(statuses) <= {Status.REVIEWED}:
            statuses = None
        order = self.ordered()
        positions = self._positions(order)
        if show.dataset_label is not None:  # Unlabelled or Dataset label only: the rows it lists, and the image shown
            order, positions = [e for e in order if show.lists(e) or e.id == current], None
        if pattern:
            order, positions = within_name_filter(order, pattern, current, self.project), None
        target = worklist.next_unreviewed(order, current, step=step, statuses=statuses, positions=positions)
        if target is None:
            others = [p for p in self.controller.registry.projects if p is not self.project]
            shown = None if statuses is None else self.filter.currentText()
            doc = doc if doc is not None and doc.image_id == current else None
            self.controller.message.emit(nothing_left_words(shown, doc, others, pattern), 4000)
            return False
        went = self.go_to(target)
        if went and current is not None and went_round(order, current, target, step, positions):
            self.controller.message.emit(WENT_ROUND[step], ROUND_MS)
            self._round_said = time.monotonic()
        elif went and time.monotonic() - self._round_said < ROUND_MS / 1000:  # still shown: it would tell
            self.controller.message.emit("", 0)  # this step went round too
            self._round_said = -1.0
        return went

    def _place_of_shown(self) -> int | None:
        """How many rows come before the place of the image shown in the worklist's order, when it has no
        row (its status not shown, `WorklistView.place_of_shown`); None when it has one or none is shown."""
        doc = self.controller.document
        rows = self.model.rows
        if doc is None or self.model.row_of(doc.image_id) >= 0:
            return None
        order = self.ordered()
        positions = self._positions(order) or {entry.id: i for i, entry in enumerate(order)}
        place = positions.get(doc.image_id)
        if place is None:
            return None
        return bisect.bisect_left(rows, place, key=lambda entry: positions.get(entry.id, -1))

    def _on_theme_changed(self, _name: str) -> None:
        """The counts' dots and the rows' colours in the new theme."""
        self.refresh()

    def _on_row_chosen(self, index: QModelIndex) -> None:
        image_id = index.data(ID_ROLE)
        if image_id:
            self.go_to(str(image_id))


install_shown(WorklistPanel, ("model", "list", "progress", "counts", "empty_note", "name_note"))
