"""The side panel of the video view: model and predictions, overlays, keyframes, editing, export.

Plain widgets; the video view (`app.video.mode.VideoMode`) connects them and updates them.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.icons import icon
from app.panels import show_wholly
from app.quiet_notice import show_quietly
from app.theme import current_theme, theme_events, warning_style
from fosp_core.video.reader import VideoMeta

_BREAK_AFTER = "_-.,;:+/\\"
ZERO_WIDTH_SPACE = "\u200b"


def breakable(text: str, run: int = 24) -> str:
    """`text` with zero-width spaces where a word-wrapped label may break a word longer than `run`
    characters (a file name without spaces): after its ``_ - . ,`` ..., else every `run` characters.
    Without them such a name sets the label's minimum width and pushes the panel's buttons out of view.
    A file name's extension stays with the word before it ("fosp-" / "default.safetensors", never
    "fosp-default." / "safetensors", which read as a sentence's end and a word of its own)."""
    words = []
    for word in text.split(" "):
        if len(word) > run:
            out, since = [], 0
            chunk, dot = _extension_start(word)  # no break after `chunk` at punctuation, none at `dot`
            for i, char in enumerate(word):
                out.append(char)
                since += 1
                if (char in _BREAK_AFTER and i < chunk) or (since >= run and i + 1 < dot):
                    out.append(ZERO_WIDTH_SPACE)
                    since = 0
            word = "".join(out).rstrip(ZERO_WIDTH_SPACE)
        words.append(word)
    return " ".join(words)


def _extension_start(word: str) -> tuple[int, int]:
    """Where `word`'s last chunk and where its extension start ("fosp-default.safetensors…": at "default"
    and at its "."; a dot followed by letters and digits, an ellipsis after them); both its length when
    it has no extension."""
    dot = word.rfind(".")
    if dot <= 0 or not word[dot + 1:].rstrip("…").isalnum():
        return len(word), len(word)
    start = dot
    while start > 0 and word[start - 1] not in _BREAK_AFTER:
        start -= 1
    return start, dot


def frames_text(count: int) -> str:
    """``1 frame``, ``25 frames``."""
    return f"{count} frame" if count == 1 else f"{count} frames"


def _button(text: str, icon_name: str, tip: str) -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.setToolTip(tip)
    return button


class VideoPanel(QWidget):
    """Widgets only; see module doc."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info_label = QLabel("No video")
        self.info_label.setWordWrap(True)
        self.info_label.setObjectName("video_info")
        self.opening = QWidget()  # shown while a video opens (its file probed on a worker)
        self.opening_label = QLabel()
        self._opening_name = "video"
        self.opening_label.setWordWrap(True)
        self.opening_label.setTextFormat(Qt.TextFormat.PlainText)  # a file name, never markup
        self.opening_bar = QProgressBar()
        self.opening_bar.setRange(0, 0)  # busy: how long the probe takes is not known
        self.opening_bar.setTextVisible(False)
        self.opening_bar.setMaximumHeight(8)
        self.opening_cancel = _button("Cancel", "fa6s.xmark", "Cancel opening (Esc)")  # app.esc_cancel
        opening_layout = QVBoxLayout(self.opening)
        opening_layout.setContentsMargins(0, 0, 0, 0)
        opening_layout.addWidget(self.opening_label)
        row = QHBoxLayout()
        row.addWidget(self.opening_bar, 1)
        row.addWidget(self.opening_cancel)
        opening_layout.addLayout(row)
        self.opening.hide()
        #: saved masks that may lie on another picture or past the file's end (set_numbering_notice)
        self.numbering_label = QLabel()
        self.numbering_label.setObjectName("video_numbering")
        self.numbering_label.setWordWrap(True)
        self.numbering_label.setTextFormat(Qt.TextFormat.PlainText)  # holds a folder path, never markup
        self.numbering_label.setStyleSheet(warning_style())  # the theme's: 5.6:1 on the light window
        self.numbering_label.hide()
        self.numbering_notice: QMessageBox | None = None
        #: where the video's labels are kept when its folder is read-only (set_kept_where)
        self.kept_label = QLabel()
        self.kept_label.setObjectName("video_kept_where")
        self.kept_label.setWordWrap(True)
        self.kept_label.setTextFormat(Qt.TextFormat.PlainText)  # holds a folder path, never markup
        self.kept_label.hide()

        self.accept_button = _button("Accept prediction", "fa6s.check", "Replace the mask with the prediction")
        self.keyframe_button = _button("Toggle keyframe", "fa6s.key", "Mark or unmark this frame as a keyframe (K)")
        model_box = QGroupBox("Predictions")
        self.model_label = QLabel("No model loaded")
        self.model_label.setWordWrap(True)
        self.model_label.setTextFormat(Qt.TextFormat.PlainText)  # a checkpoint's name, never markup
        self.load_model_button = _button("Model…", "fa6s.brain", "Load a checkpoint to predict frames with")
        self.predict_all_button = _button("Predict whole video", "fa6s.film", "Predict every frame")
        self.cancel_button = _button("Cancel", "fa6s.xmark", "Stop predicting the whole video")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setFormat("%v / %m frames")
        self.show_prediction = QCheckBox("Show probability")
        self.show_prediction.setChecked(True)
        self.smoothing = QCheckBox("Temporal smoothing ±")
        self.smoothing_radius = QSpinBox()
        self.smoothing_radius.setRange(1, 5)
        self.smoothing_radius.setValue(1)
        self.smoothing_radius.setSuffix(" frame")  # "1 frame", "2 frames": the suffix follows the value
        self.smoothing_radius.valueChanged.connect(
            lambda value: self.smoothing_radius.setSuffix(" frame" if value == 1 else " frames"))
        #: Which frame the Layers dock's analysis layers belong to (app.video.frame_layers).
        self.layers_label = QLabel("Layers: once a frame rests on screen")
        self.layers_label.setWordWrap(True)
        self.layers_label.setAccessibleName("Layers of frame")
        self.layers_label.setToolTip("The Layers dock shows the model's maps (Focus Map, τ hole, background, "
                                     "foreground energies, prediction) of the frame named here, computed once "
                                     "playback or scrubbing rests on a frame")
        model_layout = QVBoxLayout(model_box)
        row = QHBoxLayout()
        row.addWidget(self.load_model_button)
        row.addWidget(self.model_label, 1)
        model_layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.predict_all_button, 1)
        row.addWidget(self.cancel_button)
        model_layout.addLayout(row)
        model_layout.addLayout(self._frame_row())
        model_layout.addWidget(self.progress)
        model_layout.addWidget(self.show_prediction)
        row = QHBoxLayout()
        row.addWidget(self.smoothing)
        row.addWidget(self.smoothing_radius)
        model_layout.addLayout(row)
        model_layout.addWidget(self.layers_label)

        edit_box = QGroupBox("Annotate this frame")
        self.tools_button = _button("Tools…", "fa6s.paintbrush",
                                    "The Annotate tools (brush, eraser, polygon, lasso, fill, wand, clean-up) "
                                    "edit this frame's mask")
        self.undo_button = _button("Undo", "fa6s.rotate-left", "Undo the last edit of this frame")
        self.carry_button = _button("Carry from previous", "fa6s.arrow-right-to-bracket",
                                    "Start this frame from the previous frame's mask (C)")
        self.carry_mode = QComboBox()
        self.carry_mode.addItem("copy", "copy")
        self.carry_mode.addItem("∩ prediction", "intersect")
        self.carry_mode.addItem("∪ prediction", "merge")
        self.carry_mode.setToolTip("Carry the mask as is, intersected with, or merged with the prediction")
        edit_layout = QFormLayout(edit_box)
        row = QHBoxLayout()
        row.addWidget(self.tools_button, 1)
        row.addWidget(self.undo_button)
        edit_layout.addRow(row)
        row = QHBoxLayout()
        row.addWidget(self.carry_button, 1)
        row.addWidget(self.carry_mode)
        edit_layout.addRow(row)

        key_box = QGroupBox("Keyframes")
        self.keyframe_list = QListWidget()
        self.keyframe_list.setObjectName("keyframe_list")
        self._listed: list[int] = []  # the list's frames, in its order (set_keyframes)
        self._listed_time_of: Callable[[int], float] | None = None  # the times they were listed with
        self.keyframe_list.setToolTip("Click a keyframe to go there")
        self.keyframe_list.setMinimumHeight(60)
        key_layout = QVBoxLayout(key_box)
        key_layout.addWidget(self.keyframe_list, 1)

        self.export_button = _button("Export frames…", "fa6s.file-export", "Export chosen frames to SmokeSeg")

        layout = QVBoxLayout(self)
        layout.addWidget(self.opening)
        # beside the video's name, not at the panel's foot: at 1366 x 768 the foot was scrolled out of
        # view (the Layers dock below keeps its rows), and Export frames… was found only by scrolling
        head = QHBoxLayout()
        head.addWidget(self.info_label, 1)
        head.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
        layout.addWidget(self.kept_label)
        layout.addWidget(self.numbering_label)
        layout.addWidget(model_box)
        layout.addWidget(edit_box)
        layout.addWidget(key_box, 1)
        self._info: tuple[tuple[object, ...], dict[str, object]] | None = None  # set_info's arguments
        theme_events().changed.connect(self._on_theme_changed)
        self.cancel_button.installEventFilter(self)  # enabled: a whole-video run started

    def _frame_row(self) -> QHBoxLayout:
        """The shown frame's one-click actions in one row, under Predict whole video and over its progress
        bar: in the Annotate and Keyframes boxes at the panel's foot they lay ~350 px down, scrolled out of
        view at 1366 x 768 (a 253 px viewport); above the Predictions box they pushed Model… out of view at
        1024 x 640; under the progress bar they lay 73 px under the dock's foot at 125 % scale on a
        1366 x 768 screen (the bar is scrolled into view as a run starts: :meth:`show_progress`)."""
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addWidget(self.keyframe_button)
        return row

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """A whole-video run started (Cancel enabled): its progress bar into view (:meth:`show_progress`)."""
        if (watched is self.cancel_button and event.type() == QEvent.Type.EnabledChange
                and self.cancel_button.isEnabled()):
            self.show_progress()
        return super().eventFilter(watched, event)

    def show_progress(self) -> None:
        """Scroll the dock's area so that Cancel and the progress bar under it are in view: at 1024 x 640
        the dock shows ~110 px of the panel and the bar lay 160 px down it, a run counted out of view."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            show_wholly(area, self.cancel_button, 0)  # as Tab's focus is (app.panels; neither has a text cursor)
            show_wholly(area, self.progress, 4)

    def set_info(self, meta: VideoMeta | None, failed_frames: int = 0, frames_in_file: int | None = None, *,
                 frame_count: int | None = None, duration: float | None = None) -> None:
        """Describe the open video (None: no video), how many frames could not be decoded and, for a file
        cut short, how many frames its data holds (`frames_in_file`, fewer than its header counts).
        `frame_count` and `duration` (seconds) are those the view's timeline shows (the readable frames, the
        frames' own times; default: the header's count and count / fps), so the headline agrees with it."""
        self._info = ((meta, failed_frames, frames_in_file), {"frame_count": frame_count, "duration": duration})
        if meta is None:
            self.info_label.setText("No video")
            return
        theme = current_theme()
        count = meta.frame_count if frame_count is None else frame_count
        seconds = meta.duration if duration is None else duration
        nbsp = "\u00a0"  # each number stays with its unit: the line wrapped between "6" and "fps"
        facts = (f"{meta.width} × {meta.height}", frames_text(count), f"{meta.fps:g} fps", f"{seconds:.1f} s")
        lines = [f"<b>{html.escape(breakable(meta.path.name))}</b>", ", ".join(f.replace(" ", nbsp) for f in facts)]
        warnings = list(meta.warnings)
        if frames_in_file is not None and 0 < frames_in_file < meta.frame_count:
            warnings.append(f"the file is cut short: its data ends after frame {frames_in_file - 1} (its header "
                            f"counts {meta.frame_count} frames)")
        lines += [f"<span style='color:{theme.warning_name}'>⚠ {html.escape(breakable(w))}</span>" for w in warnings]
        if failed_frames:
            lines.append(f"<span style='color:{theme.error_name}'>{failed_frames} frame(s) could not be decoded "
                         "and are skipped</span>")
        self.info_label.setText("<br>".join(lines))

    def _on_theme_changed(self, _name: str) -> None:
        """The headline's warnings in the new theme's colours."""
        if self._info is not None:
            args, kwargs = self._info
            self.set_info(*args, **kwargs)  # type: ignore[arg-type]

    def set_kept_where(self, text: str | None) -> None:
        """Say under the headline where the video's labels are kept (`app.open_words.kept_elsewhere_text`), or
        nothing (None: beside the video, as usual)."""
        self.kept_label.setText(breakable(text or ""))
        self.kept_label.setVisible(bool(text))

    def set_numbering_notice(self, name: str, lines: list[str]) -> None:
        """Say which saved masks of the video `name` may lie on another picture or past its readable end
        (`lines`, fosp_core.video.numbering_check), in the panel and once in a non-modal message box that
        takes no keyboard focus (app.quiet_notice); no lines: say nothing (the box of an earlier video closed)."""
        self.numbering_label.setText(breakable("⚠ " + "\n⚠ ".join(lines)) if lines else "")
        self.numbering_label.setVisible(bool(lines))
        if not lines:
            if self.numbering_notice is not None:
                self.numbering_notice.hide()
            return
        if self.numbering_notice is None:
            self.numbering_notice = QMessageBox(QMessageBox.Icon.Warning, "Saved masks to check", "",
                                                QMessageBox.StandardButton.Ok, self.window())
            self.numbering_notice.setWindowModality(Qt.WindowModality.NonModal)
        self.numbering_notice.setText(f"Some saved masks of {name} need checking. Nothing was deleted or moved.")
        self.numbering_notice.setInformativeText("\n\n".join(lines))
        show_quietly(self.numbering_notice)  # the next K or Space is the video's, not the box's

    def set_opening(self, name: str | None) -> None:
        """Say that the video `name` is opening (busy bar, Cancel), or nothing (None)."""
        if name is not None:
            self._opening_name = name
            self.opening_label.setText(breakable(f"Opening {name}…"))
            self.opening_bar.setRange(0, 0)  # busy: how long the probe takes is not known
        self.opening.setVisible(name is not None)

    def set_indexing(self, done: int, total: int) -> str:
        """The opening video's packets are being indexed: `done` of about `total` (its header's count).
        Returns what the panel says (for the status bar)."""
        text = f"Indexing {self._opening_name}… ({done:,} of {total:,} frames)".replace(",", "\u202f")
        self.opening_label.setText(breakable(text))
        self.opening_bar.setRange(0, max(total, done, 1))
        self.opening_bar.setValue(done)
        return text

    def set_model_text(self, text: str) -> None:
        """Say which model predicts (or why none does); a long checkpoint name wraps."""
        self.model_label.setText(breakable(text))

    def set_keyframes(self, keyframes: list[int], time_of: Callable[[int], float]) -> None:
        """Fill the keyframe list (frame number and time; time_of(frame) -> seconds), ascending. A change of a
        few keyframes of the same video inserts or takes those rows only (the list was filled afresh at each
        K: 500 rows for one keyframe of an hour); another video's times fill it again."""
        box, new = self.keyframe_list, sorted(keyframes)
        with QSignalBlocker(box):  # filling it is no choice of the user's
            old = self._listed
            if time_of != self._listed_time_of:
                old = []
                box.clear()
            gone, came = set(old) - set(new), set(new) - set(old)
            for row in sorted((old.index(frame) for frame in gone), reverse=True):
                box.takeItem(row)
            kept = [frame for frame in old if frame not in gone]
            for frame in sorted(came):
                row = bisect.bisect_left(kept, frame)
                kept.insert(row, frame)
                box.insertItem(row, f"frame {frame:>6}   {time_of(frame):8.2f} s")
                box.item(row).setData(256, frame)
            self._listed, self._listed_time_of = kept, time_of
