"""The Fine-tune form reads the dataset folder once per settled path, off the GUI thread: it read the
folder (the split lists, else every mask's name) on each keystroke in the Dataset box, on the GUI
thread, so a path typed on a network drive or to a 6000-image folder froze the typing. Now typing a
path character by character reads it once, on a worker thread, and an answer for a path no longer
in the box is dropped."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

import app.training.form as form_module
import app.training.messages as messages
from app.training.form import FineTuneForm
from app.training.messages import DatasetFacts, read_dataset
from fosp_core.analysis.settings import AnalysisSettings
from tests.gui.finetune_start import read_settled

DEVICES = [("auto", "Automatic"), ("cpu", "CPU (2 cores)")]


def _masks_only(folder: Path, n: int) -> Path:
    """A SmokeSeg-shaped folder without split lists: its masks are listed to count its training images."""
    (folder / "JPEGImages").mkdir(parents=True)
    (folder / "SegmentationClass").mkdir()
    for i in range(n):
        (folder / "SegmentationClass" / f"m{i}.png").write_bytes(b"")
    return folder


def _form(qtbot, tmp_path: Path) -> FineTuneForm:  # noqa: ANN001
    form = FineTuneForm(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), AnalysisSettings(),
                        DEVICES)
    qtbot.addWidget(form)
    return form


def test_typing_a_path_reads_its_folder_once_and_never_on_the_gui_thread(
        qtbot, qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    folder = _masks_only(tmp_path / "masks", 3)
    reads: list[str] = []  # the folders read
    threads: list[tuple[str, bool]] = []  # (what, on the GUI thread) for each look into a folder

    def spy(name: str):  # noqa: ANN202
        real = getattr(messages, name)

        def wrapped(*args: object) -> object:
            threads.append((name, threading.current_thread() is threading.main_thread()))
            return real(*args)
        return wrapped

    for name in ("training_images", "dataset_note", "_split_size"):
        monkeypatch.setattr(messages, name, spy(name))

    def counted(text: str) -> DatasetFacts:
        reads.append(text)
        return read_dataset(text)

    monkeypatch.setattr(form_module, "read_dataset", counted, raising=False)
    form = _form(qtbot, tmp_path)
    for char in str(folder):  # typed, the event loop running between keys as it does for a user
        qtbot.keyClicks(form.dataset_edit, char)
        qapp.processEvents()
    assert form.dataset_edit.text() == str(folder)
    read_settled(qtbot, form)
    on_gui = [what for what, gui in threads if gui]
    assert threads and not on_gui, f"{len(on_gui)} looks into the folder on the GUI thread: {on_gui[:6]}"
    assert reads == [str(folder)]
    assert form.batch.value() == 3 and "3 training images" in form.batch_note.text()
    assert "no val split" in form.note.text()
    form.update_notes()  # the lines say the read facts again: no folder read for them
    form.batch.setValue(2)
    assert reads == [str(folder)] and not any(on_gui for _, on_gui in threads)


def test_an_answer_for_a_path_no_longer_in_the_box_is_dropped(
        qtbot, qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    slow, fast = _masks_only(tmp_path / "slow", 1), _masks_only(tmp_path / "fast", 3)
    gate, asked, answered = threading.Event(), [], []

    def reader(text: str) -> DatasetFacts:
        asked.append(text)
        if text == str(slow):
            gate.wait(30)  # a network drive: answers after the next path was read
        facts = read_dataset(text)
        answered.append(text)
        return facts

    monkeypatch.setattr(form_module, "read_dataset", reader, raising=False)
    form = _form(qtbot, tmp_path)
    form.dataset_edit.setText(str(slow))
    qtbot.waitUntil(lambda: asked == [str(slow)])
    with qtbot.waitSignal(form.dataset_read):
        form.dataset_edit.setText(str(fast))
    assert form.facts is not None and form.facts.folder == str(fast) and form.batch.value() == 3
    gate.set()
    qtbot.waitUntil(lambda: not any(t.name.startswith("dataset-reader") for t in threading.enumerate()))
    qapp.processEvents()  # the stale answer (posted before its thread ended) is delivered, and dropped
    assert str(slow) in answered
    assert form.facts.folder == str(fast) and form.batch.value() == 3 and "3 training images" in form.batch_note.text()
