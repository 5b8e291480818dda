"""A light theme beside the dark one: View ▸ Theme ▸ Dark / Light / Follow the System, applied at once
to an open window (palette, control edges, icons, hint and error text, the worklist's dots) and kept in
the settings for the next run; ``--theme`` for one run. Text the app colours itself stays 4.5:1 and its
status dots 3:1 in both themes (the palettes' pairs: tests/gui/test_theme_contrast.py)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from app.icons import icon
from app.main import parse_args
from app.theme import DARK, ERROR_COLOR, HINT_STYLE, LIGHT, apply_theme, current_theme
from app.theme_choice import SETTINGS_KEY, ThemeChoice, resolve_choice, stored_choice
from tests.gui import theme_helpers
from tests.gui.rendered_edges import contrast
from tests.gui.theme_helpers import image_pixels

restore_theme = theme_helpers.restore_theme


def _text_contrast(label: QLabel) -> float:
    """The contrast of `label`'s glyph cores (the pixels farthest from its background) on its background."""
    pixels = image_pixels(label.grab().toImage(), alpha=True)[..., :3].reshape(-1, 3).astype(int)
    background = pixels[0]
    far = pixels[np.abs(pixels - background).sum(axis=1).argmax()]
    return contrast(QColor(*far), QColor(*background))


def _glyph_colour(image: QImage) -> str:
    """The colour of an icon's opaque pixels (its glyph)."""
    pixels = image_pixels(image, alpha=True)
    opaque = pixels[pixels[..., 3] == 255][:, :3]
    colours, counts = np.unique(opaque, axis=0, return_counts=True)
    return QColor(*colours[counts.argmax()]).name()


def test_view_theme_light_is_applied_at_once_and_kept(qtbot, qapp, make_window, settings_path,
                                                      restore_theme) -> None:
    apply_theme(qapp, "dark")  # as create_app does, before the window is made
    window = make_window(show=True)
    choice = window.theme_choice
    choice.apply()  # as the app's main does: the kept choice, dark in a new settings file
    assert [a.text() for a in choice.menu.actions()] == ["&Dark", "&Light", "Follow the &System"]
    assert choice.actions["dark"].isChecked() and current_theme() is DARK
    play = icon("fa6s.play")  # made under the dark theme, painted in the theme of the moment
    assert _glyph_colour(play.pixmap(QSize(24, 24)).toImage()) == DARK.icon.name()
    hint = QLabel("Open a folder to list its images here")
    hint.setStyleSheet(HINT_STYLE)
    error = QLabel("could not save")
    error.setStyleSheet(f"color: {ERROR_COLOR};")
    for label in (hint, error):
        qtbot.addWidget(label)
        label.setAutoFillBackground(True)
        font = label.font()
        font.setPointSize(24)  # glyph cores of the full colour to measure
        label.setFont(font)
        label.show()
        assert _text_contrast(label) >= 4.5  # drawn (polished) in the dark theme first
    timeline = window.video.timeline  # its readouts' sheet names no colour: they kept the dark text
    readout = timeline.time_label
    choice.actions["light"].trigger()
    timeline.setEnabled(True)  # a video opened
    timeline.show()
    QApplication.processEvents()
    assert current_theme() is LIGHT
    assert qapp.palette().color(QPalette.ColorRole.Window) == LIGHT.window
    assert _glyph_colour(play.pixmap(QSize(24, 24)).toImage()) == LIGHT.icon.name()
    for label in (hint, error, readout):  # style sheets set under the dark theme read the light palette now
        assert _text_contrast(label) >= 4.5, label.text()
    assert readout.palette().color(QPalette.ColorRole.WindowText) == LIGHT.text
    assert _text_contrast(error) > 4.5 and hint.palette().color(QPalette.ColorRole.Window) == LIGHT.window
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value(SETTINGS_KEY) == "light"
    window.close()
    again = make_window().theme_choice  # the next run, the same settings
    assert again.choice == "light" and again.actions["light"].isChecked()
    assert again.apply() is LIGHT


def test_the_command_line_theme_is_for_this_run_only(qtbot, make_window, settings_path, restore_theme) -> None:
    args, _ = parse_args(["--theme", "light"])
    assert args.theme == "light" and parse_args([])[0].theme is None
    with pytest.raises(SystemExit):
        parse_args(["--theme", "purple"])
    window = make_window()
    assert window.theme_choice.choose(args.theme, keep=False) is LIGHT
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value(SETTINGS_KEY) is None
    assert make_window().theme_choice.choice == "dark"


def test_a_hand_edited_or_system_choice(qtbot, settings_path) -> None:
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue(SETTINGS_KEY, "purple")
    assert stored_choice(settings) == "dark"
    settings.setValue(SETTINGS_KEY, "system")
    assert stored_choice(settings) == "system" and resolve_choice("system") in ("dark", "light")


@pytest.mark.parametrize("theme", [DARK, LIGHT], ids=lambda t: t.name)
def test_worklist_dots_and_rows_in_either_theme(qtbot, make_window, qapp, theme, restore_theme) -> None:
    window = make_window()
    apply_theme(qapp, theme.name)
    model = window.annotation.worklist.model
    for status, dot in model.dots().items():
        colour = QColor(_glyph_colour(dot.pixmap(QSize(16, 16)).toImage()))
        assert contrast(colour, theme.base) >= 3.0, (status, colour.name())  # WCAG 1.4.11: a graphic
    assert contrast(theme.list_text, theme.base) >= 4.5 and contrast(theme.list_current, theme.base) >= 4.5
    assert ThemeChoice is type(window.theme_choice)


def test_the_video_headline_warns_in_the_theme_of_the_moment(qtbot, qapp, tmp_path, restore_theme) -> None:
    from app.video.panel import VideoPanel
    from fosp_core.video.meta import VideoMeta

    panel = VideoPanel()
    qtbot.addWidget(panel)
    meta = VideoMeta(path=tmp_path / "clip.mp4", width=160, height=120, fps=12.0, frame_count=12,
                     warnings=("the file's header and its data disagree",))
    panel.set_info(meta, failed_frames=2)
    assert DARK.warning_name in panel.info_label.text() and DARK.error_name in panel.info_label.text()
    apply_theme(qapp, "light")
    text = panel.info_label.text()
    assert LIGHT.warning_name in text and LIGHT.error_name in text and DARK.warning_name not in text
    for colour in (LIGHT.warning, LIGHT.error):
        assert contrast(colour, LIGHT.window) >= 4.5


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_a_compare_preview_note_on_its_dark_frame(qtbot, qapp, theme: str, restore_theme) -> None:
    """Compare Two Checkpoints' previews keep a dark frame in either theme: their note took the theme's
    hint grey, 2.4:1 on the frame in the light theme."""
    from app.training.compare_previews import ComparePreviews

    apply_theme(qapp, theme)
    previews = ComparePreviews()
    qtbot.addWidget(previews)
    label = previews.preview_a
    label.setText("no preview yet")
    font = label.font()
    font.setPointSize(24)
    label.setFont(font)
    label.resize(400, 160)
    label.show()
    assert _text_contrast(label) >= 4.5


def test_follow_the_system_follows_a_change_of_scheme(qtbot, qapp, make_window, monkeypatch,
                                                      restore_theme) -> None:
    """Follow the System applies the platform's scheme when it changes (light here), and only then."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    import app.theme_choice as choice_module

    scheme = ["dark"]
    monkeypatch.setattr(choice_module, "resolve_choice", lambda choice: scheme[0] if choice == "system" else choice)
    choice = make_window().theme_choice
    assert choice.choose("system") is DARK
    scheme[0] = "light"
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert current_theme() is LIGHT
    choice.choose("dark")
    scheme[0] = "light"
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert current_theme() is DARK  # a fixed choice ignores the system


def test_the_annotate_dock_notes_follow_a_switch(qtbot, qapp, make_window, demo_dir, tmp_path,
                                                 restore_theme) -> None:
    """The Annotate dock's "no prediction yet" note names its colour in rich text: the theme's, again
    after a switch (it kept the dark theme's grey, 2.5:1 on the light window, until the image changed)."""
    from tests.gui.annotation_helpers import demo_window

    window = demo_window(qtbot, make_window, demo_dir, tmp_path)
    label = window.annotation.tool_dock.status_label
    assert "no prediction yet" in label.text() and DARK.placeholder.name() in label.text()
    window.theme_choice.choose("light")
    assert LIGHT.placeholder.name() in label.text() and DARK.placeholder.name() not in label.text()
