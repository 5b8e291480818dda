"""Visual QA follow-ups (tests/gui/test_visual_qa.py found these in the window and dialogs): status-bar
messages cut by empty readouts, a dialog taller than a laptop's screen, icons that say nothing
apart, a checkbox cut by a fixed minimum width, an error colour too dark to read, run actions that
did nothing with nothing open, a number wrapped away from its symbol."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QImage, QPalette, QScreen, QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QMenu, QSizeGrip, QStatusBar, QToolButton, QWidget

from app.analysis.metrics_box import MetricsBox
from app.analysis.readouts import HoverReadout, metrics_note
from app.icons import icon
from app.main_window import MainWindow
from app.theme import dark_palette
from fosp_core.annotation.tool_state import Tool
from tests.gui.annotation_helpers import open_and_wait
from tests.gui.conftest import WindowFactory
from tests.gui.test_visual_qa import TITLE_BAR, contrast
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


def _window(make_window: WindowFactory, tmp_path: Path, **kwargs) -> MainWindow:
    window = make_window(**kwargs)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"  # nothing beside the images
    return window


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


# --- 1. the status bar's message and its readouts ---------------------------------------------------
def message_room(bar: QStatusBar) -> int:
    """The width QStatusBar draws its temporary message in: from its left margin to the first visible
    permanent widget (or the size grip), as QStatusBarPrivate::messageRect() computes it."""
    right = bar.width() - 12
    widgets = [w for w in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
               if w.isVisible()]
    for widget in widgets:
        right = min(right, widget.x() if isinstance(widget, QSizeGrip) else widget.x() - 2)
    return right - 6


def assert_message_fits(bar: QStatusBar, message: str) -> None:
    assert bar.currentMessage() == message
    needed = bar.fontMetrics().horizontalAdvance(message)
    assert needed <= message_room(bar), f"{message!r} needs {needed} px, has {message_room(bar)}"


def test_the_open_message_is_not_cut_by_empty_readouts(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                       demo_dir: Path) -> None:
    """At 1024 px the message read "Opened 4 imag": the pixel readout kept 330 px and the analysis
    readout 300 px of the status bar with nothing in them."""
    window = _window(make_window, tmp_path, show=True)
    window.resize(1024, 700)
    open_and_wait(qtbot, window, demo_dir)
    bar = window.statusBar()
    bar.showMessage("Opened 4 images", 5000)  # as opening says it (another message may have followed)
    _settle()
    assert window.pixel_label.isHidden() and window.analysis.hover_label.isHidden()  # empty: no room taken
    assert_message_fits(bar, "Opened 4 images")
    long = "Opened video hpwren-los-pinos-2019-10-06.mp4: 156 frames at 10 fps"
    bar.showMessage(long)
    window.resize(1280, 700)
    _settle()
    assert_message_fits(bar, long)


def test_the_pixel_readout_takes_room_only_while_it_shows_a_pixel(qtbot, make_window: WindowFactory,
                                                                  tmp_path: Path, demo_dir: Path) -> None:
    window = _window(make_window, tmp_path, show=True)
    window.resize(1280, 700)
    open_and_wait(qtbot, window, demo_dir)
    label = window.pixel_label
    window.canvas.hovered.emit(10, 20)
    _settle()
    assert label.isVisible() and label.text().startswith("x    10  y    20")
    assert label.width() >= label.sizeHint().width()  # its whole text
    assert label.width() <= label.sizeHint().width() + 40  # and not 330 px whatever it says
    window.canvas.left.emit()
    _settle()
    assert label.isHidden() and label.text() == ""
    window.canvas.hovered.emit(5000, 5000)  # off the image: nothing to read
    _settle()
    assert label.isHidden()


def test_the_analysis_readout_takes_room_only_while_it_reads_a_layer(qtbot) -> None:
    readout = HoverReadout()
    qtbot.addWidget(readout.label)
    assert readout.label.isHidden()
    readout.show({"probability": np.full((4, 4), 0.5, np.float32)}, (1, 2))
    assert not readout.label.isHidden() and readout.label.text() == "p 0.500"
    assert readout.label.minimumWidth() == 0  # as wide as its text, not 300 px
    readout.show({}, (1, 2))  # no layer to read
    assert readout.label.isHidden()


# --- 2. the Compare Two Checkpoints dialog on a laptop's screen ---------------------------------------
@pytest.mark.parametrize("available", [QRect(0, 0, 1280, 760), QRect(0, 0, 1366, 728)])
def test_compare_dialog_fits_a_laptop_screen(make_window: WindowFactory, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, available: QRect) -> None:
    """It opened 980 x 820 whatever the screen: on 1280 x 800, Compare and Close were below its edge."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(available))
    dialog = _window(make_window, tmp_path).training.open_compare()
    assert dialog.height() + TITLE_BAR <= available.height()
    assert dialog.width() <= available.width()
    assert dialog.height() >= dialog.minimumSizeHint().height()  # smaller, never clipped


def test_compare_dialog_keeps_its_size_on_a_big_screen(make_window: WindowFactory, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(0, 0, 1920, 1050))
    dialog = _window(make_window, tmp_path).training.open_compare()
    assert (dialog.width(), dialog.height()) == (980, 820)


def test_icon_only_buttons_of_the_compare_dialog_say_what_they_choose(make_window: WindowFactory,
                                                                      tmp_path: Path) -> None:
    """The two folder buttons showed an icon and, on hover, nothing ("Browse…" is their hidden text)."""
    dialog = _window(make_window, tmp_path).training.open_compare()
    buttons = [b for b in dialog.findChildren(QToolButton)
               if b.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and b.isVisibleTo(dialog)]
    assert {dialog.a_button, dialog.b_button} <= set(buttons)
    for button in buttons:
        assert button.toolTip(), button.text()
    assert "checkpoint A" in dialog.a_button.toolTip() and "checkpoint B" in dialog.b_button.toolTip()


# --- 3. the annotation actions' icons -----------------------------------------------------------------
def picture(image_icon: QIcon, size: int = 24) -> QImage:
    """What the icon looks like on a menu or a tool button (every icon here is a new QIcon, so their
    cacheKeys always differ: the pictures are compared)."""
    return image_icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _menu_actions(menu: QMenu) -> list[QAction]:
    out: list[QAction] = []
    for action in menu.actions():
        if action.menu() is not None:
            out += _menu_actions(action.menu())
        elif not action.isSeparator():
            out.append(action)
    return out


def test_each_annotation_action_has_an_icon_of_its_own(make_window: WindowFactory, tmp_path: Path) -> None:
    """Polygon Cut and Lasso Cut shared the scissors, Mask Outline Only showed Polygon Fill's polygon:
    told apart only by their text in the menu, not at all on the Annotate dock's buttons."""
    window = _window(make_window, tmp_path)
    actions = [a for a in _menu_actions(window.annotation.menu) if not a.icon().isNull()]  # not the docks' toggles
    assert len(actions) >= 25
    seen: dict[str, str] = {}
    for action in actions:
        image = picture(action.icon())
        key = hashlib.sha1(bytes(image.constBits())).hexdigest()
        assert key not in seen, f"{action.text()!r} has the icon of {seen.get(key)!r}"
        seen[key] = action.text()
    tools, a = window.annotation.actions.tools, window.annotation.actions
    assert picture(tools[Tool.POLYGON_CUT].icon()) != picture(tools[Tool.LASSO_CUT].icon())
    assert picture(a.outline.icon()) != picture(tools[Tool.POLYGON_FILL].icon())


def test_fill_holes_is_not_a_radio_dot(make_window: WindowFactory, tmp_path: Path) -> None:
    """Fill Holes was a plain filled circle: in the Clean Up menu it read as a selected radio button."""
    fill_holes = picture(_window(make_window, tmp_path).annotation.actions.fill_holes.icon())
    for dot in ("fa6s.circle", "fa6s.circle-dot"):
        assert fill_holes != picture(icon(dot))


# --- 4. the Export to SmokeSeg dialog ----------------------------------------------------------------
def _export_dialog(qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path):  # noqa: ANN001, ANN202
    window = _window(make_window, tmp_path)
    open_and_wait(qtbot, window, demo_dir)
    dialog = window.annotation.open_export_dialog()
    assert dialog is not None
    return dialog


def test_export_dialog_never_cuts_its_resize_option(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                    demo_dir: Path) -> None:
    """setMinimumWidth(520) overrode the layout's own minimum (~640 px): made as narrow as it allowed,
    the dialog cut "Resize to 512 × 512 (does not keep the aspect ratio: …)" (a checkbox never wraps)."""
    dialog = _export_dialog(qtbot, make_window, tmp_path, demo_dir)
    layout = dialog.layout()
    layout.activate()
    dialog.resize(1, dialog.height())  # as narrow as it goes
    layout.activate()
    for box in (dialog.resize_box, dialog.reviewed_only, dialog.overwrite):
        assert box.width() >= box.sizeHint().width(), box.text()


def test_export_dialog_resize_is_the_widget_s_own(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                  demo_dir: Path) -> None:
    """`dialog.resize` was the "Resize to 512 × 512" checkbox, hiding QWidget.resize()."""
    dialog = _export_dialog(qtbot, make_window, tmp_path, demo_dir)
    width = dialog.minimumSizeHint().width() + 50
    dialog.resize(width, 500)
    assert dialog.width() == width
    assert not dialog.resize_box.isChecked() and dialog.options().resize_to is None
    dialog.resize_box.setChecked(True)
    assert dialog.options().resize_to == 512


def _stylesheet_color(widget: QWidget) -> QColor:
    """The colour `widget`'s style sheet names: #rrggbb, or a palette role of the dark theme's palette
    ("palette(bright-text)": app.theme.ERROR_COLOR)."""
    role = re.search(r"palette\(([a-z-]+)\)", widget.styleSheet())
    if role is not None:
        name = "".join(part.capitalize() for part in role.group(1).split("-"))
        return dark_palette().color(getattr(QPalette.ColorRole, name))
    found = re.search(r"#[0-9a-fA-F]{6}", widget.styleSheet())
    assert found, widget.styleSheet()
    return QColor(found.group(0))


def test_export_dialog_error_is_readable(qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path) -> None:
    """The reason of a failed export was #e05050 on the dark window: 3.6:1, under WCAG AA's 4.5:1."""
    dialog = _export_dialog(qtbot, make_window, tmp_path, demo_dir)
    dst = tmp_path / "taken"
    dst.mkdir()
    (dst / "something.txt").write_text("taken")
    dialog.dst.setText(str(dst))
    dialog.start()  # not empty: the export's worker refuses it
    qtbot.waitUntil(lambda: dialog.error is not None, timeout=20000)
    assert dialog.error is not None and not dialog.error_label.isHidden()
    palette = dark_palette()
    text = _stylesheet_color(dialog.error_label)
    assert contrast(text, palette.color(QPalette.ColorRole.Window)) >= 4.5
    border = _stylesheet_color(dialog.dst)  # the destination box outlined: a UI part, 3:1 on its field
    assert contrast(border, palette.color(QPalette.ColorRole.Base)) >= 3


# --- 5. the analysis view with nothing open; a model that cannot be loaded ----------------------------
@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "tiny-fosp-s.safetensors")


def test_run_actions_wait_for_an_image(qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path,
                                       tiny_model: Path) -> None:
    """With a model ready and nothing open, Run on this image and Run on all (buttons, menu, keys) were
    enabled and did nothing, silently. They wait for an image and say so; opening one turns them on."""
    window = _window(make_window, tmp_path)
    ctl = window.analysis
    ctl.worker.set_input_size(INPUT)
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(tiny_model)
    pairs = ((ctl.action_run, ctl.panel.run_button, "Ctrl+R"), (ctl.action_run_all, ctl.panel.run_all_button,
                                                                 "Ctrl+Shift+R"))
    for action, button, keys in pairs:
        assert not action.isEnabled() and not button.isEnabled(), action.text()
        for tip in (action.toolTip(), button.toolTip()):
            assert keys in tip and "open an image" in tip.lower(), tip
    open_and_wait(qtbot, window, demo_dir)
    for action, button, keys in pairs:
        assert action.isEnabled() and button.isEnabled(), action.text()
        assert keys in button.toolTip() and "open an image" not in button.toolTip().lower()
    with qtbot.waitSignal(ctl.worker.loaded, timeout=WAIT_MS):
        ctl.settings.set_input("384")  # another model loads: the buttons wait for it and say so
        assert not ctl.panel.run_button.isEnabled() and "load" in ctl.panel.run_button.toolTip()
        assert ctl.action_run.isEnabled()  # Ctrl+R still runs once it is ready
    assert ctl.panel.run_button.isEnabled() and ctl.panel.run_button.toolTip() == "Run on This Image (Ctrl+R)"
    request = ctl.run_current()  # and they run
    assert request is not None
    qtbot.waitUntil(lambda: ctl.prediction is not None, timeout=WAIT_MS)


def test_run_buttons_say_they_wait_for_a_model(make_window: WindowFactory, tmp_path: Path) -> None:
    ctl = _window(make_window, tmp_path).analysis  # no default model
    for button in (ctl.panel.run_button, ctl.panel.run_all_button):
        assert not button.isEnabled()
        assert "checkpoint" in button.toolTip() or "model" in button.toolTip(), button.toolTip()


def test_a_model_load_error_names_the_file_once(qtbot, make_window: WindowFactory, tmp_path: Path) -> None:
    """It said "cannot load broken.safetensors: /tmp/…/broken.safetensors: not a readable …": the name,
    then the whole path again."""
    folder = tmp_path / "models"
    folder.mkdir()
    broken = folder / "broken.safetensors"
    broken.write_bytes(b"not a checkpoint at all")
    ctl = _window(make_window, tmp_path).analysis
    with qtbot.waitSignal(ctl.worker.failed, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(broken)
    status, (headline, details) = ctl.panel.status_label.text(), ctl.errors[-1].split("\n\nDetails: ")
    assert status == headline  # the panel's line: the plain headline (test_first_hour_words.py)
    assert headline.count("broken.safetensors") == 1, headline
    assert headline.startswith("cannot open broken.safetensors: it is a text file"), headline
    assert details.count("broken.safetensors") == 1, details  # the whole path in the details, once
    assert str(folder) in details and "a text file, not safetensors weights" in details, details  # where, and why


# --- 6. the metrics note ------------------------------------------------------------------------------
def wrapped_lines(text: str, font: QFont, width: int) -> list[str]:
    """The lines of `text` word-wrapped at `width` px, as a word-wrapping QLabel breaks them."""
    layout = QTextLayout(text)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.setFont(font)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


def test_the_metrics_note_keeps_each_value_with_its_name(qtbot) -> None:
    """The note wrapped between "τ" and "0.15" (and could between "threshold" and "0.50")."""
    note = metrics_note(12, 1, 0.5, 0.15, "core:0.7", pending=3)
    for pair in ("threshold\u00a00.50", "regions with a core above\u00a00.7", "τ\u00a00.15"):
        assert pair in note, note
    box = MetricsBox()
    qtbot.addWidget(box)
    box.set_scores(None, {}, note)
    for width in range(120, 480, 4):  # every width the dock may give it
        for line in wrapped_lines(box.note.text(), box.note.font(), width):
            assert not line.rstrip().endswith(("τ", "threshold", "above")), (width, line)


def test_run_keys_without_a_model_say_what_to_do(qtbot, make_window: WindowFactory, tmp_path: Path,
                                                 demo_dir: Path) -> None:
    """Images open but no model (none bundled, or the last one failed to load): Ctrl+R and Ctrl+Shift+R
    did nothing and said nothing. They say that a model is needed and where to open one."""
    window = _window(make_window, tmp_path)  # no default model
    open_and_wait(qtbot, window, demo_dir)
    ctl = window.analysis
    assert ctl.model is None
    for action in (ctl.action_run, ctl.action_run_all):
        window.statusBar().clearMessage()
        action.trigger()
        message = window.statusBar().currentMessage()
        assert "no model" in message.lower() and "Open…" in message, message
        assert "no model" in ctl.panel.status_label.text().lower()
