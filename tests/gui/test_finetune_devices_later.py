"""Opening the Fine-tune dialog lists no devices on the GUI thread: `device_choices()` imports torch
(about 1.5 s the first time, when no model was loaded yet). The dialog takes the Model panel's list
when the panel has it, else shows "looking for devices…" and gets the list the inference thread makes
(app/analysis/device_list.py), as the Model panel does."""

from __future__ import annotations

import importlib.abc
import sys
import threading

import pytest

from app.analysis.device_combo import LOOKING_FOR_DEVICES
from tests.gui.conftest import WindowFactory

FOUND = [("auto", "Automatic"), ("cuda:0", "CUDA 0: Test GPU (8.0 GiB)"), ("cpu", "CPU (2 cores)")]
LISTERS = ("app.training", "app.analysis.device_list", "app.analysis.inference_worker")


class _NoTorch(importlib.abc.MetaPathFinder):
    """Records the thread of every attempt to import torch and refuses it (torch is hidden)."""

    def __init__(self) -> None:
        self.threads: list[str] = []

    def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201 - the finder protocol
        if name == "torch" or name.startswith("torch."):
            self.threads.append(threading.current_thread().name)
            raise ImportError("torch is hidden in this test")
        return None


def _record_listing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """device_choices, wherever the app calls it, records its thread and lists FOUND."""
    threads: list[str] = []

    def listing() -> list[tuple[str, str]]:
        threads.append(threading.current_thread().name)
        return list(FOUND)

    for module in LISTERS:
        monkeypatch.setattr(f"{module}.device_choices", listing, raising=False)
    return threads


def _items(combo) -> list[tuple[str, object]]:  # noqa: ANN001
    return [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]


def test_before_torch_is_in_the_dialog_waits_for_the_inference_thread(qtbot, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                                       make_window: WindowFactory) -> None:
    listed = _record_listing(monkeypatch)
    finder = _NoTorch()
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
    try:
        window = make_window()
        assert window.analysis.panel.device_combo.looking()  # no model loaded: the panel waits too
        gui = threading.current_thread().name
        dialog = window.training.open_dialog()
        assert gui not in listed and gui not in finder.threads  # nothing listed, no torch, on the GUI thread
        assert dialog.device.itemText(dialog.device.count() - 1) == LOOKING_FOR_DEVICES
        assert dialog.device.currentData() == "auto"
        qtbot.waitUntil(lambda: not dialog.device.looking(), timeout=20_000)
        assert listed and gui not in listed  # made on the inference thread
        assert _items(dialog.device) == [(label, name) for name, label in FOUND]
        assert not window.analysis.panel.device_combo.looking()  # the panel got the same list
        assert gui not in finder.threads
    finally:
        monkeypatch.undo()


def test_the_panel_list_is_taken_as_it_is(qtbot, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                          make_window: WindowFactory) -> None:
    import torch  # noqa: F401 - as after a model load: the panel lists the devices at once

    window = make_window()
    listed = _record_listing(monkeypatch)
    panel = window.analysis.panel.device_combo
    dialog = window.training.open_dialog()
    assert listed == []
    assert _items(dialog.device) == _items(panel) and not dialog.device.looking()
