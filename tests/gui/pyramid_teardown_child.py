"""Run by tests/gui/test_display_pyramid_teardown.py in a child process (a crash there is a return
code, not the test run's end): a layer whose level the display-pyramid thread is rendering gets a new
image, is dropped on the GUI thread, and the thread then finishes the level. It prints the thread the
item's Python wrapper was freed on, the threads that ran a LayerItem method, and 'ok' at the end."""

from __future__ import annotations

import gc
import sys
import threading
import time

import numpy as np
from PySide6.QtWidgets import QApplication

from app import display_pyramid
from app.layer_item import LayerItem

_entered: list[str] = []


def _watch_items(frame, event, _arg):  # noqa: ANN001, ANN202 - a profile hook of the pyramid's thread
    if event == "call" and isinstance(frame.f_locals.get("self"), LayerItem):
        _entered.append(f"{frame.f_code.co_name} on {threading.current_thread().name}")


class _Item(LayerItem):
    def __del__(self) -> None:
        print(f"freed on {threading.current_thread().name}", flush=True)


def main() -> None:
    """See the module doc; argv[1] 'collect': the thread also runs the cyclic garbage collector."""
    app = QApplication.instance() or QApplication([])
    threading.setprofile(_watch_items)  # the pyramid's thread starts below, with the hook
    rendering, release = threading.Event(), threading.Event()
    original = display_pyramid.render_level

    def held(*args):  # noqa: ANN002, ANN202
        if threading.current_thread() is not threading.main_thread():
            rendering.set()
            release.wait(30)
        return original(*args)

    display_pyramid.render_level = held
    item = _Item()
    item.setAutoDownsample(True)
    item.setImage(np.zeros((1500, 1500), np.float32), levels=(0, 1))  # a prefetch timer, started
    item._render_deferred((2, 2))  # the level asked of the pyramid's thread, as the canvas's paint does
    rendering.wait(30)
    item.setImage(np.ones((1500, 1500), np.float32), levels=(0, 1))  # the level's pyramid dropped
    del item
    gc.collect()
    if sys.argv[1:] == ["collect"]:
        display_pyramid._background().submit(gc.collect)
    release.set()
    display_pyramid._background().submit(lambda: None).result(30)
    time.sleep(0.2)
    app.processEvents()
    gc.collect()
    threading.setprofile(None)
    print("entered: " + "; ".join(_entered), flush=True)
    print("ok", flush=True)


if __name__ == "__main__":
    main()
