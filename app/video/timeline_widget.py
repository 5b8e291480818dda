"""The timeline under the canvas: transport buttons, a scrub slider, jump-to-frame, time and frame
readouts (frames count from 0: "frame 17 / 23" is the 18th of 24, as in CVAT), and pyqtgraph plots
of smoke area and peak probability over time with marks on keyframes, edited frames and frames that
could not be decoded. A press on the plot seeks, dragging across it with the button held scrubs.

The widget holds no truth: the video view sets the frame count, position, curves and marks, and
listens to ``seek_requested`` / ``play_toggled`` / ``step_requested``. Its plot is made when the timeline
is first shown or used (:attr:`TimelineWidget.built`): a window opened on images never shows it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent, QValidator
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSpinBox, QToolButton, QVBoxLayout, QWidget

from app.icons import icon
from app.plot_theme import PlotColors, PlotTheme
from app.video.timeline_grid import ShareAxis, TimelineGrid

#: The area curve's key: drawn ×10 and cut at 1, a frame 10 % smoke and one 60 % drew the same line unsaid
AREA_KEY = "smoke area ×10 (cut at 10 %)"
KEY_TIP = ("Smoke area: the share of the frame's pixels whose smoke probability is above the mask threshold, "
           "drawn ×10 (0.5: 5 % of the frame) and cut at 1 (10 % of the frame or more). Peak probability: the "
           "frame's highest smoke probability. A press on the plot goes to that frame")

_MOUSE_EVENTS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.MouseButtonRelease)
AREA_COLOR = "#ff7a59"
PEAK_COLOR = "#5ab0ff"
KEYFRAME_COLOR = "#ffd600"
EDITED_COLOR = "#7CFC9A"
FAILED_COLOR = "#ff8a80"
#: The plot's least height: 62 px keeps its curves and its 0 / 0.5 / 1 ticks (`timeline_grid.ShareAxis`)
#: readable. At 130 the Timeline's 187 px minimum left the Video dock 141 px at 1024 x 640, Predict whole video
#: scrolled out of view; at 90 (pyqtgraph's six ticks) the dock's 139 px at 125 % scale on a 1366 x 768 screen
#: left Accept prediction and Toggle keyframe out of view.
PLOT_LEAST_HEIGHT = 62
#: The plot's height where the column has room (the least before session 35): the Timeline gives the Video
#: panel its pixels under this only for the panel's first actions (`app.video.chrome.ModeSwitch`).
PLOT_ROOMY_HEIGHT = 130
#: what :meth:`TimelineWidget._build` makes: reading one makes them all
_PLOT_PARTS = frozenset({"plot", "grid", "area_curve", "peak_curve", "keyframe_marks", "edited_marks",
                         "failed_marks", "playhead", "key_label", "plot_theme"})
#: the same marks on the light theme's white plot (`app.plot_theme`): darker shades, 3:1 at least
#: (the keyframe's yellow keeps its black outline)
LIGHT_COLORS = {AREA_COLOR: "#d84315", PEAK_COLOR: "#1565c0", KEYFRAME_COLOR: KEYFRAME_COLOR,
                EDITED_COLOR: "#2e7d32", FAILED_COLOR: "#c62828"}


def format_time(seconds: float) -> str:
    """m:ss.mmm (or h:mm:ss.mmm from one hour on)."""
    millis = int(round(max(0.0, seconds) * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{secs:02d}.{ms:03d}" if hours else f"{minutes}:{secs:02d}.{ms:03d}"


class FrameBox(QSpinBox):
    """The Go to box: a number typed past the last frame becomes the last frame (as End, and as a remembered
    frame past a shorter file's end): QSpinBox refused the digit that passed the maximum without a word (999
    typed in a 200-frame video went to frame 99)."""

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 - QAbstractSpinBox's
        digits = text.strip()
        if digits.isdigit() and int(digits) > self.maximum():
            last = str(self.maximum())
            return QValidator.State.Acceptable, last, min(pos, len(last))
        return super().validate(text, pos)


class TimelineWidget(QWidget):
    """See module doc. Signals: seek_requested(frame), play_toggled(), step_requested(delta), frame_entered()."""

    seek_requested = Signal(int)
    play_toggled = Signal()
    step_requested = Signal(int)
    #: Enter in Go to: the frame is chosen, the frame keys should work again (the view takes the focus)
    frame_entered = Signal()
    # made when first shown or used (_build, _PLOT_PARTS)
    plot: pg.PlotWidget
    area_curve: pg.PlotDataItem
    peak_curve: pg.PlotDataItem
    keyframe_marks: pg.ScatterPlotItem
    edited_marks: pg.ScatterPlotItem
    failed_marks: pg.ScatterPlotItem
    playhead: pg.InfiniteLine
    key_label: QLabel
    plot_theme: PlotTheme

    def __init__(self, parent: QWidget | None = None, light_grid: bool = True) -> None:
        """`light_grid` False: pyqtgraph's own grid (its axes' ticks stretched across the plot), as before
        :class:`~app.video.timeline_grid.TimelineGrid` (for bench/bench_timeline_paint.py)."""
        super().__init__(parent)
        self.frame_count = 0
        self.fps = 25.0
        self._time_of: Callable[[int], float] | None = None
        self.play_button = self._button("fa6s.play", "Play / pause (Space; while painting, Space pans)",
                                        self.play_toggled.emit)
        self.back_button = self._button("fa6s.backward-step", "Previous frame (Left, ,)",
                                        lambda: self.step_requested.emit(-1))
        self.forward_button = self._button("fa6s.forward-step", "Next frame (Right, .)",
                                           lambda: self.step_requested.emit(1))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("video_slider")
        self.slider.setAccessibleName("Video position")
        self.slider.setTracking(True)
        self.slider.valueChanged.connect(self.seek_requested.emit)
        self.frame_box = FrameBox()
        self.frame_box.setObjectName("video_frame_box")
        self.frame_box.setToolTip("Jump to frame (Enter)")
        self.frame_box.setKeyboardTracking(False)
        self.frame_box.valueChanged.connect(self.seek_requested.emit)
        self.frame_box.lineEdit().returnPressed.connect(self.frame_entered.emit)
        self.time_label = QLabel("0:00.000 / 0:00.000")
        self.frame_label = QLabel("frame – / –")
        for label in (self.time_label, self.frame_label):
            label.setStyleSheet("font-family: 'DejaVu Sans Mono', monospace;")
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 2)
        for widget in (self.back_button, self.play_button, self.forward_button):
            row.addWidget(widget)
        row.addWidget(self.slider, 1)
        go_to = QLabel("Go to")
        go_to.setBuddy(self.frame_box)  # the box is read as "Go to"
        self.frame_box.setAccessibleName("Go to frame")
        row.addWidget(go_to)
        row.addWidget(self.frame_box)
        row.addSpacing(10)
        row.addWidget(self.time_label)
        row.addSpacing(10)
        row.addWidget(self.frame_label)

        self._light_grid = light_grid
        self._built = False  # the plot and its key: made when first shown or first used (_build)
        self._plot_space = QWidget()  # holds the plot's place (its height) until then
        self._plot_space.setMinimumHeight(PLOT_LEAST_HEIGHT)
        self._scrubbing = False  # the left button went down on the plot and is held: moves scrub
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self._plot_space, 1)
        self.setEnabled(False)

    @property
    def built(self) -> bool:
        """Whether the plot (a pyqtgraph PlotWidget, ~0.04 s of CPU and its teardown) is made yet: a window
        opened on images never shows the timeline, so it is made when first shown or used (any of
        :data:`_PLOT_PARTS` read)."""
        return self._built

    def __getattr__(self, name: str) -> object:
        if name in _PLOT_PARTS and not self.__dict__.get("_built", True):
            self._build()
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        if not self._built:
            self._build()
        super().showEvent(event)

    def _build(self) -> None:
        """Make the plot, its curves, marks, playhead and key in the theme of now (PlotTheme follows it
        from then on), in the place kept for it."""
        if self._built:
            return
        self._built = True
        self.plot = pg.PlotWidget(background="default", axisItems={"left": ShareAxis()})
        self.plot.setObjectName("video_plot")
        self.plot.setAccessibleName("Timeline")
        self.plot.setAccessibleDescription("Smoke area and peak probability of each frame over time, with "
                                           "marks on keyframes, edited frames and frames that could not be "
                                           "decoded; a press seeks to that frame")
        self.plot.setMinimumHeight(PLOT_LEAST_HEIGHT)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        if self._light_grid:  # the same lines without making the axes cover the plot (see timeline_grid)
            self.grid: TimelineGrid | None = TimelineGrid(self.plot.getPlotItem())
            self.plot.addItem(self.grid, ignoreBounds=True)
        else:
            self.grid = None
            self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setYRange(0, 1.08, padding=0)
        self.plot.setXRange(0, max(1, self.frame_count - 1), padding=0.01)
        self.plot.getAxis("left").setWidth(36)
        self.area_curve = self.plot.plot(pen=pg.mkPen(AREA_COLOR, width=2), name=AREA_KEY,
                                         connect="finite")
        self.peak_curve = self.plot.plot(pen=pg.mkPen(PEAK_COLOR, width=1.5), name="peak probability",
                                         connect="finite")
        for curve in (self.area_curve, self.peak_curve):  # an hour is 90,000 frames: a 90,000-point line
            curve.setDownsampling(auto=True, method="peak")  # took 114-188 ms a paint; a pixel's min and max
        self.keyframe_marks = pg.ScatterPlotItem(symbol="t", size=11, brush=pg.mkBrush(KEYFRAME_COLOR),
                                                 pen=pg.mkPen("#000000"), name="keyframe")
        self.edited_marks = pg.ScatterPlotItem(symbol="s", size=7, brush=pg.mkBrush(EDITED_COLOR),
                                               pen=None, name="edited")
        self.failed_marks = pg.ScatterPlotItem(symbol="x", size=9, brush=pg.mkBrush(FAILED_COLOR),
                                               pen=pg.mkPen(FAILED_COLOR), name="undecodable")
        self.plot.addItem(self.keyframe_marks)
        self.plot.addItem(self.edited_marks)
        self.plot.addItem(self.failed_marks)
        self.playhead = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#ffffff", width=1))
        self.playhead.setValue(self.slider.value())
        self.plot.addItem(self.playhead)
        self.plot.scene().sigMouseClicked.connect(self._on_plot_clicked)
        self.plot.viewport().installEventFilter(self)

        # the key under the plot, not a legend on it: a legend hides the curves where smoke is likely
        self.key_label = QLabel()
        self.key_label.setObjectName("video_plot_key")
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.key_label.setToolTip(KEY_TIP)
        self.plot_theme = PlotTheme(self.plot, self._recolor)  # the plot, its marks and key follow the theme
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.replaceWidget(self._plot_space, self.plot)
        layout.setStretchFactor(self.plot, 1)
        layout.addWidget(self.key_label)
        self._plot_space.deleteLater()
        self.plot.show()  # (children added to a widget shown already stay hidden until told)
        self.key_label.show()

    def _recolor(self, colors: PlotColors) -> None:
        """The curves, marks, grid, playhead and key in the theme's plot colours (darker shades of the
        marks on the light theme's white); the key sits on the plot's background."""
        def shade(color: str) -> str:
            return LIGHT_COLORS[color] if colors.light else color

        self.area_curve.setPen(pg.mkPen(shade(AREA_COLOR), width=2))
        self.peak_curve.setPen(pg.mkPen(shade(PEAK_COLOR), width=1.5))
        self.edited_marks.setBrush(pg.mkBrush(shade(EDITED_COLOR)))
        self.failed_marks.setBrush(pg.mkBrush(shade(FAILED_COLOR)))
        self.failed_marks.setPen(pg.mkPen(shade(FAILED_COLOR)))
        self.playhead.setPen(pg.mkPen(colors.mark, width=1))
        if self.grid is not None:
            self.grid.set_color(colors.grid)
        self.key_label.setText("&nbsp;&nbsp;".join(
            f"<span style='color:{shade(color)}'>{mark}</span> {text}" for mark, color, text in (
                ("━", AREA_COLOR, AREA_KEY), ("━", PEAK_COLOR, "peak probability"),
                ("▼", KEYFRAME_COLOR, "keyframe"), ("■", EDITED_COLOR, "edited"),
                ("✕", FAILED_COLOR, "undecodable"))))
        self.key_label.setStyleSheet(f"font-size: 8pt; color: {colors.grid if not colors.light else colors.foreground}; "
                                     f"background: {colors.background}; padding: 0 6px 1px 0;")

    def _button(self, name: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(name))
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])  # an icon says nothing to a screen reader; the key stays in the tip
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # --- the view sets these -------------------------------------------------------------------
    def focus_frame_box(self) -> None:
        """The cursor in the Go to box, its number selected: a frame number typed and Enter goes there."""
        self.frame_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.frame_box.selectAll()

    def set_video(self, frame_count: int, fps: float, time_of: Callable[[int], float] | None = None) -> None:
        """A new video: ranges, empty curves and marks. time_of(index) -> seconds gives the frames'
        own times (variable frame rate); index / fps without it."""
        self.frame_count, self.fps = frame_count, fps
        self._time_of = time_of
        with QSignalBlocker(self.slider), QSignalBlocker(self.frame_box):
            self.slider.setRange(0, max(0, frame_count - 1))
            self.slider.setPageStep(max(1, int(round(fps))))
            self.frame_box.setRange(0, max(0, frame_count - 1))
        self.plot.setXRange(0, max(1, frame_count - 1), padding=0.01)  # (the plot made: its first use)
        self.set_curves(np.full(frame_count, np.nan), np.full(frame_count, np.nan))
        self.set_marks([], [])
        self.set_failed([])
        self.set_position(0)
        self.setEnabled(frame_count > 0)

    def set_position(self, index: int) -> None:
        """Show frame `index` as current (no seek_requested is emitted)."""
        with QSignalBlocker(self.slider), QSignalBlocker(self.frame_box):
            self.slider.setValue(index)
            self.frame_box.setValue(index)
        if self._built:  # else the plot takes the slider's place when made
            self.playhead.setValue(index)
        self.time_label.setText(f"{format_time(self.time_at(index))} / {format_time(self.duration())}")
        last = max(0, self.frame_count - 1)  # frames count from 0, as Go to, the marks and export ids do
        self.frame_label.setText(f"frame {index:>{len(str(last))}} / {last}")

    def time_at(self, index: int) -> float:
        """Seconds of frame `index` from the first frame (its own time when known)."""
        if self._time_of is not None:
            try:
                return float(self._time_of(index))
            except (IndexError, ValueError, RuntimeError):
                pass
        return index / self.fps if self.fps else 0.0

    def duration(self) -> float:
        """Until the end of the last frame."""
        if not self.frame_count or not self.fps:
            return 0.0
        return self.time_at(self.frame_count - 1) + 1.0 / self.fps

    def set_playing(self, playing: bool) -> None:
        self.play_button.setIcon(icon("fa6s.pause" if playing else "fa6s.play"))

    def set_curves(self, area: np.ndarray, peak: np.ndarray) -> None:
        """Per-frame smoke area (share 0..1, drawn ×10, clipped at 1) and peak probability; NaN = unknown."""
        x = np.arange(len(area), dtype=np.float64)
        self.area_curve.setData(x, np.minimum(area * 10.0, 1.0))
        self.peak_curve.setData(x, peak)

    def set_marks(self, keyframes: list[int], edited: list[int]) -> None:
        self.keyframe_marks.setData(x=list(keyframes), y=[1.03] * len(keyframes))
        self.edited_marks.setData(x=list(edited), y=[0.02] * len(edited))

    def set_failed(self, frames: list[int]) -> None:
        """Mark the frames that could not be decoded (half-way up the plot, where no curve ends)."""
        self.failed_marks.setData(x=list(frames), y=[0.5] * len(frames))

    # --- input ---------------------------------------------------------------------------------
    def frame_at_scene_x(self, scene_x: float) -> int:
        """The frame under a plot scene x coordinate (clamped)."""
        view = self.plot.getPlotItem().vb
        x = view.mapSceneToView(pg.Point(scene_x, view.sceneBoundingRect().center().y())).x()
        return int(max(0, min(self.frame_count - 1, round(x))))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """A press on the plot seeks at once and a drag with the left button held scrubs (the events go
        on to the plot too)."""
        kind = event.type()
        if self._built and watched is self.plot.viewport() and self.frame_count > 0 and kind in _MOUSE_EVENTS:
            assert isinstance(event, QMouseEvent)
            scene = self.plot.mapToScene(event.position().toPoint())
            left = bool(event.buttons() & Qt.MouseButton.LeftButton)
            if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
                self._scrubbing = self.plot.getPlotItem().vb.sceneBoundingRect().contains(scene)
            elif kind == QEvent.Type.MouseButtonRelease or not left:
                self._scrubbing = False
            if self._scrubbing:
                self.seek_requested.emit(self.frame_at_scene_x(scene.x()))
        return super().eventFilter(watched, event)

    def _on_plot_clicked(self, event: object) -> None:
        if self.frame_count <= 0 or event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        view = self.plot.getPlotItem().vb
        pos = event.scenePos()  # type: ignore[attr-defined]
        if view.sceneBoundingRect().contains(pos):
            self.seek_requested.emit(self.frame_at_scene_x(pos.x()))
