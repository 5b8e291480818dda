"""Render the Fine-tune dialog after a real short run, offscreen, to a picture
(``docs/images/finetune-dialog.png``) in the format OUT's suffix names (.png, .jpg, ...; no suffix:
PNG; one no writer knows is refused before the run).

    python -m app.training.screenshot OUT.png [--iterations N] [--start CHECKPOINT]

In a temporary folder laid out as a user's home (``HOME`` and the cache point there, so the dialog
shows no path of the machine that makes the picture): the bundled demo as an export (``~/my-export``:
3 train, 1 val), the default model copied to where a clone keeps it
(``~/fosp-studio/resources/models/``, the path the dialog shows for the bundled model), the dialog
opened from the window as Analysis ▸ Fine-tune does, starting from that model (the Model panel's),
N iterations (default 30) at 128 px crops, batch 2, on the CPU; the run goes to completion in its own
process as a user's does (into ``~/.cache/fosp/runs``), then the dialog is saved. Nothing is written
outside the temporary folder but OUT.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer

from app.picture_format import out_problem, save_picture
from fosp_core.paths import DEMO_DIR, find_model

TIMEOUT_S = 900
CLONE_MODELS = Path("fosp-studio") / "resources" / "models"  # where a clone in the home keeps the default
USER_ENV = ("HOME", "FOSP_CACHE", "XDG_CACHE_HOME", "FOSP_MODELS")


def as_user_home(home: Path, default_model: Path | None) -> Path | None:
    """Point this process's home and cache at `home` (as a user's, so no path of this machine shows)
    and copy `default_model` to where a clone there keeps it; returns that copy (None if no model)."""
    for key in USER_ENV:
        os.environ.pop(key, None)
    os.environ["HOME"] = str(home)
    os.environ["FOSP_CACHE"] = str(home / ".cache" / "fosp")
    if default_model is None:
        return None
    copy = home / CLONE_MODELS / default_model.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(default_model, copy)
    return copy


def write_export(demo: Path, out: Path) -> Path:
    """The demo as an exported SmokeSeg dataset at `out`: its first 3 images train, the 4th val."""
    shutil.copytree(demo, out, ignore=shutil.ignore_patterns(".fosp"))
    ids = (demo / "ImageSets" / "Segmentation" / "val.txt").read_text(encoding="utf-8").split()
    (out / "ImageSets" / "Segmentation" / "train.txt").write_text("\n".join(ids[:3]) + "\n", encoding="utf-8")
    (out / "ImageSets" / "Segmentation" / "val.txt").write_text(ids[3] + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Capture the dialog; 0 when the run finished and the picture was written, 2 for a suffix no writer
    knows, else 1."""
    parser = argparse.ArgumentParser(prog="python -m app.training.screenshot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--start", type=Path, default=None, help="checkpoint (default: the default model)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if (problem := out_problem(args.out, str(args.out))) is not None:
        print(problem, file=sys.stderr)  # was found out after the whole fine-tune (and written as a PNG)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from app.main import create_app, quiet_offscreen_platform

    app = create_app([sys.argv[0]])
    quiet_offscreen_platform()  # "This plugin does not support raise()" ...: not this report's (as --screenshot)
    saved_env = {key: os.environ.get(key) for key in USER_ENV}
    try:
        return capture(app, args.out, args.iterations, args.start)
    finally:
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def capture(app: QCoreApplication, out: Path, iterations: int, start_arg: Path | None) -> int:
    """Run the fine-tune in a temporary user home and save the dialog to `out`; 0 when both worked."""
    from app.main_window import MainWindow
    from app.services import CollectingErrorReporter, Services

    with tempfile.TemporaryDirectory(prefix="fosp-") as tmp:
        home = Path(tmp)
        copied = as_user_home(home, None if start_arg is not None else find_model())
        start = start_arg if start_arg is not None else copied
        export = write_export(DEMO_DIR, home / "my-export")
        settings = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Services(settings=settings, error_reporter=CollectingErrorReporter(),
                                     default_model=start))
        window.annotation.controller.registry.projects_root = home / "projects"
        dialog = window.training.open_dialog()
        dialog.resize(860, 720)
        dialog.dataset_edit.setText(str(export))
        dialog.iterations.setValue(iterations)
        dialog.crop.setCurrentIndex(dialog.crop.findData(128))
        dialog.batch.setValue(2)
        dialog.device.setCurrentIndex(max(0, dialog.device.findData("cpu")))
        codes: list[int] = []
        loop = QEventLoop()
        refused: list[bool] = []  # Start plans on a worker thread: a refused plan comes later
        dialog.worker.finished.connect(lambda code: (codes.append(code), loop.quit()))
        dialog.planned.connect(lambda ok: None if ok else (refused.append(True), loop.quit()))
        QTimer.singleShot(TIMEOUT_S * 1000, loop.quit)
        if not dialog.start():
            print(f"the dialog refused to start: {dialog.status.text()}", file=sys.stderr)
            return 1
        loop.exec()
        if refused:
            print(f"the dialog refused to start: {dialog.status.text()}", file=sys.stderr)
            return 1
        print(f"Dataset: {dialog.dataset_edit.text()}")
        print(f"Start from: {dialog.checkpoint_edit.text()}")
        print(f"Run: {dialog.plan.run_dir if dialog.plan else None}")
        for _ in range(4):
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        saved = save_picture(dialog.grab(), out)
        dialog.close()
        window.close()
    if codes != [0] or not saved:
        print(f"run finished with {codes or 'no end'}; picture written: {saved}", file=sys.stderr)
        return 1
    print(f"screenshot saved to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
