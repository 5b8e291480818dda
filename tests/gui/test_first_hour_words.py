"""A newcomer's first hour, the words: where the app met a first-time user with jargon ("kind=None",
"ready on cpu · 0 results cached", a tooltip that repeats a name, "τ contour"), it now says in plain
words what is going on, keeping the technical detail second (a Details part, a tooltip's later lines)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from app.main_window import MainWindow
from fosp_core.checkpoint import CheckpointError, load_checkpoint
from tests.gui.conftest import WindowFactory
from tests.gui.tiny_model import WAIT_MS, ready_window, save_tiny_checkpoint
from tests.odd_inputs.checkpoints import CHECKPOINTS


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A tiny fosp-s checkpoint (random weights: the wiring, not the smoke)."""
    return save_tiny_checkpoint(tmp_path / "tiny.safetensors")


def _foreign(folder: Path) -> Path:
    """A safetensors file of another tool's layers (a classifier's), without FoSp metadata."""
    path = folder / "resnet18.safetensors"
    save_file({"conv1.weight": torch.zeros(8, 3, 7, 7), "fc.bias": torch.zeros(10)}, str(path))
    return path


def _text(folder: Path) -> Path:
    """Notes renamed .safetensors."""
    path = folder / "notes.safetensors"
    path.write_text("my notes on the smoke runs\nsecond line\n")
    return path


def _refused(qtbot, ctl, path: Path) -> str:  # noqa: ANN001
    """The app's message for opening `path`, which fails to load."""
    before = len(ctl.errors)
    with qtbot.waitSignal(ctl.worker.failed, timeout=WAIT_MS):
        ctl.settings.set_checkpoint(path)
    qtbot.waitUntil(lambda: len(ctl.errors) > before, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ctl._load_request is None, timeout=WAIT_MS)
    return ctl.errors[-1]


def _headline(message: str) -> str:
    return message.split("\n\n", 1)[0]


# --- 1. the Layers dock's note ------------------------------------------------------------------
def test_the_layers_note_says_to_open_a_model_first_while_none_is_open(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                                        demo_dir: Path, tiny: Path,
                                                                        tmp_path: Path) -> None:
    window = make_window()  # no model: Run on this image is disabled, the note pointed at it
    note = window.analysis.layer_list.empty_note.text()
    assert "Run on This Image (Ctrl+R)" not in note, note
    assert "Open…" in note and "Model panel" in note, note
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path)
    note = ctl.layer_list.empty_note.text()
    assert "Run on This Image (Ctrl+R)" in note, note  # a model open: running is the next step


# --- 2. a checkpoint of the wrong kind ----------------------------------------------------------
@pytest.mark.parametrize("make", [_foreign, _text], ids=["foreign_layers", "text_file"])
def test_a_wrong_kind_of_checkpoint_is_refused_in_plain_words(qtbot, make_window: WindowFactory, demo_dir: Path,  # noqa: ANN001
                                                             tiny: Path, tmp_path: Path, make) -> None:
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path)
    path = make(tmp_path)
    message = _refused(qtbot, ctl, path)
    headline = _headline(message)
    assert headline.startswith(f"cannot open {path.name}: "), headline
    assert "not a FoSp checkpoint" in headline, headline
    for words in ("fosp-s", "segformer", "`fosp train`", "`fosp train-export`", "The model you had open, tiny.safetensors, stays in use."):
        assert words in headline, (words, headline)
    for jargon in ("kind=", "build_model", "load_state_into", str(path.parent)):
        assert jargon not in headline, (jargon, headline)
    details = message.split("\n\n", 1)[1]
    assert details.startswith("Details: ") and str(path) in details, details
    dialog = ctl.reports.dialog
    assert dialog is not None and "kind=" not in dialog.text() and "not a FoSp checkpoint" in dialog.text()
    assert (("kind=None" if make is _foreign else "a text file") in dialog.detailedText()), dialog.detailedText()
    status = ctl.panel.status_label.text()
    assert status == headline, status  # the panel's line: the headline, kept after the load is over
    assert ctl.model is not None and ctl.settings.checkpoint == tiny  # still using the previous model


def test_with_no_model_before_the_message_says_none_is_open(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                           tmp_path: Path) -> None:
    window = make_window()
    headline = _headline(_refused(qtbot, window.analysis, _foreign(tmp_path)))
    assert "not a FoSp checkpoint" in headline and "No model is open" in headline, headline
    assert "stays in use" not in headline


def test_every_broken_checkpoint_gets_a_plain_headline_and_its_details(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                                       demo_dir: Path, tiny: Path,
                                                                       tmp_path: Path) -> None:
    """Every kind of broken checkpoint, opened in turn in one window (a window and a model load for each
    kind cost ~0.4 s, 20 kinds; each refusal leaves the window as it was: the tiny model in use)."""
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path)
    problems: list[str] = []
    for kind in sorted(CHECKPOINTS):
        make, word = CHECKPOINTS[kind]
        folder = tmp_path / "odd" / kind
        folder.mkdir(parents=True)
        path = make(folder, tiny)
        message = _refused(qtbot, ctl, path)
        headline, details = message.split("\n\n", 1)
        if not headline.startswith(f"cannot open {path.name}: "):
            problems.append(f"{kind}: the headline does not start with the file's name: {headline}")
        if not ("FoSp checkpoint" in headline and "tiny.safetensors, stays in use" in headline):
            problems.append(f"{kind}: the headline does not say what it is nor that the model stays: {headline}")
        if str(path.parent) in headline:
            problems.append(f"{kind}: the headline holds the folder: {headline}")
        if word not in details:
            problems.append(f"{kind}: {word!r} not in the details: {details}")
    assert not problems, "\n".join(problems)


def test_the_cli_message_for_foreign_weights_leads_with_the_plain_words(tmp_path: Path) -> None:
    path = _foreign(tmp_path)
    with pytest.raises(CheckpointError) as caught:
        load_checkpoint(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: not a FoSp checkpoint"), text
    for words in ("fosp-s", "segformer", "`fosp train`", "`fosp train-export`"):
        assert words in text, (words, text)
    assert text.index("not a FoSp checkpoint") < text.index("kind=None") < text.index("load_state_into"), text


# --- 3. Compare (Fig. 7) ------------------------------------------------------------------------
def test_compare_says_what_it_shows_before_the_paper_reference(make_window: WindowFactory) -> None:
    window: MainWindow = make_window()
    action = window.analysis.grid_dock.toggleViewAction()
    tip = action.toolTip()
    assert tip.replace("&", "") != action.text().replace("&", "")  # not just the name again
    for words in ("side by side", "Focus Map", "ground truth", "background", "prediction", "PNG"):
        assert words in tip, (words, tip)
    assert "Fig. 7" in tip and tip.index("Fig. 7") > tip.index("side by side"), tip
    assert action.statusTip() == tip.split("\n", 1)[0]
    menu = next(a.menu() for a in window.menuBar().actions() if a.menu() is not None and action in a.menu().actions())
    assert menu.toolTipsVisible()  # else a menu shows no tooltip on hover


# --- 4. the Model panel's status ----------------------------------------------------------------
def test_the_model_status_says_ready_and_how_many_images_are_done(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                                  demo_dir: Path, tiny: Path, tmp_path: Path) -> None:
    window, ctl = ready_window(qtbot, make_window, tiny, [demo_dir], projects_root=tmp_path)
    status = ctl.panel.status_label
    assert status.text() == "Model ready (CPU) · no results yet", status.text()
    assert ctl.run_current() is not None
    qtbot.waitUntil(lambda: status.text().endswith("1 image done"), timeout=WAIT_MS)
    assert status.text() == "Model ready (CPU) · 1 image done", status.text()
    assert "cached" not in status.text()


# --- 5. layer tooltips --------------------------------------------------------------------------
PLAIN_FIRST_LINES = {
    "focus map": "Where the model looked hardest for smoke",
    "τ contour": "The edge of the part the model hid",
    "hole": "The part of the image the model hid",
    "foreground energy /4": "What stands out from the scene behind it",
    "separated background": "The scene as the model imagines it without the smoke",
}


def test_each_layer_tooltip_says_first_what_the_user_sees(make_window: WindowFactory) -> None:
    layers = make_window().analysis.layer_list  # one window read for every layer (a window a layer before)
    for name in sorted(PLAIN_FIRST_LINES):
        tip = layers.item(name).toolTip()
        first, rest = tip.split("\n", 1)
        assert first.startswith(PLAIN_FIRST_LINES[name]), (name, first)
        for jargon in ("τ", "β", "F^N", "Focus region", "inpaint", name):
            assert jargon not in first, (name, jargon, first)
        assert rest.startswith(f"{name}: ") and "toggle with" in rest, (name, rest)  # the paper's definition after it


def test_every_layer_tooltip_leads_with_a_plain_line(make_window: WindowFactory) -> None:
    layers = make_window().analysis.layer_list
    for name in layers._items:
        first = layers.item(name).toolTip().split("\n", 1)[0]
        assert not first.startswith(f"{name}:") and "τ" not in first, (name, first)


def test_a_checkpoint_moved_away_is_said_to_be_missing(qtbot, make_window: WindowFactory,  # noqa: ANN001
                                                       tmp_path: Path) -> None:
    headline = _headline(_refused(qtbot, make_window().analysis, tmp_path / "gone.safetensors"))
    assert headline.startswith("cannot open gone.safetensors: there is no such file"), headline
