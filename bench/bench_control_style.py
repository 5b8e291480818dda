"""What the app's Python style (``app.control_style.ContrastStyle``) costs a repaint, against plain Fusion.

    python bench/bench_control_style.py [--repeats 20] [--rows 2000]

``ContrastStyle`` is a ``QProxyStyle`` written in Python, so every ``drawPrimitive`` and
``drawComplexControl`` of the whole app crosses into Python. This paints, offscreen, (a) the real
main window (1600x1000, no images open: its docks, forms, buttons and the empty canvas) with
``QWidget.grab()`` and (b) a 2000-row list (a ``QListWidget`` of file names with check boxes, 300x900,
as the Images panel of a big folder), `--repeats` times each, under plain Fusion and under
``ContrastStyle`` (both with the dark palette), alternating the two in blocks of 5 repeats so that a
shared machine's load falls on both alike (CPU time of the painting thread, so that time spent
descheduled is not counted). ``--also FILE`` adds the ``ContrastStyle`` of another copy of
``app/control_style.py`` (an older commit's: ``git show <commit>:app/control_style.py > FILE``) to the
rotation, for a before/after in one process. It also counts the calls that crossed into Python per paint
and how many of them the style restyles. Prints a markdown table (median ms per paint).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QCheckBox,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStyle,
    QStyleFactory,
    QWidget,
)

from app.control_style import OUTLINED_CONTROLS, OUTLINED_PRIMITIVES, ContrastStyle  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from app.services import CollectingErrorReporter, Services  # noqa: E402
from app.theme import dark_palette  # noqa: E402

BLOCK = 5


class CountingStyle(ContrastStyle):
    """ContrastStyle that counts its calls (all of them, and those it restyles)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.restyled = 0

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: ANN001, N802
        self.calls += 1
        self.restyled += element in OUTLINED_PRIMITIVES or (element == QStyle.PrimitiveElement.PE_FrameFocusRect
                                                           and isinstance(widget, (QCheckBox, QRadioButton)))
        super().drawPrimitive(element, option, painter, widget)

    def drawComplexControl(self, control, option, painter, widget=None) -> None:  # noqa: ANN001, N802
        self.calls += 1
        self.restyled += control in OUTLINED_CONTROLS
        super().drawComplexControl(control, option, painter, widget)


def image_list(rows: int) -> QListWidget:
    """A shown list of `rows` checkable file names (the Images panel of a big folder)."""
    view = QListWidget()
    for i in range(rows):
        item = QListWidgetItem(f"frame_{i:05d}.jpg")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if i % 3 == 0 else Qt.CheckState.Unchecked)
        view.addItem(item)
    view.setCurrentRow(3)
    view.resize(300, 900)
    view.show()
    return view


def use(app: QApplication, make: Callable[[], QStyle]) -> QStyle:
    style = make()
    app.setStyle(style)
    app.setPalette(dark_palette())
    app.processEvents()
    return style


def paint_ms(widget: QWidget) -> float:
    start = time.thread_time()
    widget.grab()
    return (time.thread_time() - start) * 1000


def style_from(path: Path) -> Callable[[], QStyle]:
    """The ContrastStyle class of the module file `path`."""
    spec = importlib.util.spec_from_file_location("other_control_style", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.ContrastStyle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--also", type=Path, help="another app/control_style.py to time beside this one")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp())
    window = MainWindow(Services(settings=QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat),
                                 error_reporter=CollectingErrorReporter()))
    window.annotation.controller.registry.projects_root = tmp / "projects"
    window.resize(1600, 1000)
    window.show()
    targets = {"main window 1600x1000": window, f"image list, {args.rows} rows": image_list(args.rows)}
    styles: dict[str, Callable[[], QStyle]] = {"Fusion": lambda: QStyleFactory.create("Fusion"),
                                               "ContrastStyle": ContrastStyle}
    if args.also is not None:
        styles[f"ContrastStyle ({args.also.name})"] = style_from(args.also)
    times = {(t, s): [] for t in targets for s in styles}
    for _ in range(max(1, args.repeats // BLOCK)):
        for style_name, make in styles.items():
            use(app, make)
            for target_name, widget in targets.items():
                paint_ms(widget)  # warm: caches after the style change
                times[(target_name, style_name)] += [paint_ms(widget) for _ in range(BLOCK)]
    counting = use(app, CountingStyle)
    counts = {}
    for target_name, widget in targets.items():
        counting.calls = counting.restyled = 0
        widget.grab()
        counts[target_name] = (counting.calls, counting.restyled)
    print(f"load average {os.getloadavg()[0]:.2f}, {len(times[next(iter(times))])} paints each\n")
    print("| paint | style | CPU ms (median) | over Fusion | calls into Python | restyled |")
    print("|---|---|---:|---:|---:|---:|")
    for target_name in targets:
        fusion = statistics.median(times[(target_name, "Fusion")])
        calls, restyled = counts[target_name]
        for style_name in styles:
            ms = statistics.median(times[(target_name, style_name)])
            print(f"| {target_name} | {style_name} | {ms:.2f} | {100 * (ms / fusion - 1):+.0f} % "
                  f"| {calls} | {restyled} |")
    window.close()


if __name__ == "__main__":
    main()
