"""Render the Fine-tune dialog after a real short run, offscreen, to a PNG
(``docs/images/finetune-dialog.png``).

    python -m app.training.screenshot OUT.png [--iterations N] [--start CHECKPOINT]

In a temporary folder: the bundled demo as an export (``my-export``: 3 train, 1 val), the dialog
opened from the window as Analysis ▸ Fine-tune does, starting from the default model (the Model
panel's), N iterations (default 30) at 128 px crops, batch 2, on the CPU; the run goes to completion
in its own process as a user's does, then the dialog is saved. Nothing is written outside the
temporary folder but OUT.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from fosp_core.paths import DEMO_DIR, find_model

TIMEOUT_S = 900


def write_export(demo: Path, out: Path) -> Path:
    """The demo as an exported SmokeSeg dataset at `out`: its first 3 images train, the 4th val."""
    shutil.copytree(demo, out, ignore=shutil.ignore_patterns(".fosp"))
    ids = (demo / "ImageSets" / "Segmentation" / "val.txt").read_text(encoding="utf-8").split()
    (out / "ImageSets" / "Segmentation" / "train.txt").write_text("\n".join(ids[:3]) + "\n", encoding="utf-8")
    (out / "ImageSets" / "Segmentation" / "val.txt").write_text(ids[3] + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Capture the dialog; 0 when the run finished and the PNG was written, else 1."""
    parser = argparse.ArgumentParser(prog="python -m app.training.screenshot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--start", type=Path, default=None, help="checkpoint (default: the default model)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.main import create_app
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    app = create_app([sys.argv[0]])
    start = args.start or find_model()
    with tempfile.TemporaryDirectory(prefix="fosp-finetune-") as tmp:
        export = write_export(DEMO_DIR, Path(tmp) / "my-export")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter(),
                                     default_model=start))
        window.annotation.controller.registry.projects_root = Path(tmp) / "projects"
        window.training.runs_dir = str(Path(tmp) / "runs")
        dialog = window.training.open_dialog()
        dialog.resize(860, 720)
        dialog.dataset_edit.setText(str(export))
        dialog.iterations.setValue(args.iterations)
        dialog.crop.setCurrentIndex(dialog.crop.findData(128))
        dialog.batch.setValue(2)
        dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
        codes: list[int] = []
        loop = QEventLoop()
        dialog.worker.finished.connect(lambda code: (codes.append(code), loop.quit()))
        QTimer.singleShot(TIMEOUT_S * 1000, loop.quit)
        if not dialog.start():
            print(f"the dialog refused to start: {dialog.status.text()}", file=sys.stderr)
            return 1
        loop.exec()
        for _ in range(4):
            app.processEvents()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        saved = dialog.grab().save(str(args.out), "PNG")
        dialog.close()
        window.close()
    if codes != [0] or not saved:
        print(f"run finished with {codes or 'no end'}; PNG written: {saved}", file=sys.stderr)
        return 1
    print(f"screenshot saved to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
