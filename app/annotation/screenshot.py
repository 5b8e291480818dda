"""Render the annotation view offscreen to a picture (``docs/images/annotation.png``), in the format
OUT's suffix names (.png, .jpg, ...; no suffix: PNG; one no writer knows is refused before the render).

    python -m app.annotation.screenshot OUT.png [DATASET]

Copies the dataset (default: the bundled demo) to a temporary folder, opens it, imports its
labels as starting masks, paints a brush stroke and an ignore band with the real tools, leaves
the brush outline over the image, and saves the window.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from app.picture_format import out_problem, save_picture
from fosp_core.annotation import tools
from fosp_core.annotation.tool_state import Tool
from fosp_core.paths import DEMO_DIR, find_model


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__)
        return 2
    out = Path(args[0])
    source = Path(args[1]) if len(args) > 1 else DEMO_DIR
    if (problem := out_problem(out, str(out))) is not None:
        print(problem, file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.main import create_app
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    app = create_app([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="fosp-annot-") as tmp:
        data = Path(tmp) / source.name
        shutil.copytree(source, data, ignore=shutil.ignore_patterns(".fosp"))
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter(),
                                     default_model=find_model()))
        window.resize(1400, 860)
        window.show()
        window.open_paths([data], remember=False)
        ui = window.annotation
        for _ in range(200):
            if ui.controller.document is not None:
                break
            _wait(50)
        doc = ui.controller.document
        if doc is None:
            print("no document opened", file=sys.stderr)
            return 1
        ui.import_labels(data)
        doc = ui.controller.document
        assert doc is not None
        ui.controller.state.set_tool(Tool.BRUSH)
        ui.controller.state.set_radius(6)
        ui.controller.state.set_opacity(0.5)
        h, w = doc.shape  # strokes in fractions of the image: the demo's first image has its plume here
        tools.brush(doc, [(w * 0.385, h * 0.555), (w * 0.41, h * 0.56), (w * 0.435, h * 0.565)], 6)
        tools.ignore_brush(doc, [(w * 0.47, h * 0.655), (w * 0.52, h * 0.665), (w * 0.565, h * 0.66)], 3)
        ui.controller.cursor.set_radius(6)
        ui.controller.cursor.move_to(w * 0.44, h * 0.567)
        ui.controller.cursor.show()
        ui.tool_dock.raise_()  # tabbed with other docks: show ours
        ui.worklist_dock.raise_()
        ui.worklist.refresh()
        _wait(300)
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = save_picture(window.grab(), out)  # shot.jpg: a JPEG (it was PNG data whatever the name)
        window.close()
    print(f"screenshot saved to {out}" if ok else f"could not write {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
