"""An annotator's day compressed: thousands of mixed actions in the real window, and what grows.

    python bench/bench_annotator_day.py [--photos 200] [--actions 3000] [--every 250] [--seed 0]
                                        [--default-run 3] [--input-size 64] [--trim]

Builds the real main window (1000x700, offscreen, its settings and annotation projects under a
temporary folder) with a tiny model (a randomly initialised fosp-s at network input --input-size,
as tests/gui/tiny_model) and opens a folder of --photos real SMOKE5K photos copied from
/work/shared/data (only read). Then --actions actions drawn at random (seeded) from the mix an
annotator makes all day: next / previous / jump to an image, brush and eraser strokes (mouse drags
through the canvas, as the GUI tests drive them), undo, redo, a status, the mask and the analysis
layers shown / hidden and their opacity, zoom and pan (keys' actions and a navigate drag), Run on
This Image, and now and then a dialog opened and closed: Export (an export made), Compare, Import
Labels (a folder of the photos' masks imported) and the shortcut sheet. The theme is switched once,
half way; at two thirds the default model is loaded, run on --default-run images, and the tiny
model loaded again.

Every --every actions a row is printed: `all_day_counts.COLUMNS` then
`annotator_day_measures.EXTRA_COLUMNS`; at the end, the Python types whose live count grew most
between the second row and the last.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from day_window import DATA, idle, make_window, real_photos  # first: sets the environment, sys.path

# isort: split
from all_day_counts import COLUMNS, counts, type_counts  # noqa: E402
from annotator_day_measures import EXTRA_COLUMNS, extra_counts, grown_types  # noqa: E402
from gui_window import wait_until  # noqa: E402

import app.annotation as annotation_ui  # noqa: E402
from app.annotation.import_labels_dialog import ImportChoice, LabelSourceDialog  # noqa: E402
from app.main import create_app  # noqa: E402
from app.main_window import MainWindow  # noqa: E402
from fosp_core.annotation.document import Status  # noqa: E402
from fosp_core.annotation.tool_state import Tool  # noqa: E402
from tests.gui.annotation_helpers import drag  # noqa: E402


def make_folder(root: Path, photos: int) -> tuple[Path, Path]:
    """(images, labels): `photos` real SMOKE5K photos (names not all digits) in root/day, and their
    ground-truth masks (0 / 255 PNGs) for the first half of them in root/labels."""
    images, labels = root / "day", root / "labels"
    images.mkdir()
    labels.mkdir()
    real = real_photos()
    for n, src in enumerate(real[:photos]):
        shutil.copy(src, images / src.name)
        if n < photos // 2:
            shutil.copy(DATA / "smoke5k-train" / "gt" / f"{src.stem}.png", labels / f"{src.stem}.png")
    return images, labels


class Day:
    """The window and the actions of the day (each a method taking no argument)."""

    def __init__(self, window: MainWindow, tmp: Path, labels: Path, tiny: Path, rng: random.Random) -> None:
        self.window, self.tmp, self.labels, self.tiny, self.rng = window, tmp, labels, tiny, rng
        self.controller = window.annotation.controller
        self.exports = 0
        self.weights: dict[Callable[[], None], float] = {
            self.next: 12, self.previous: 4, self.jump: 3, self.brush: 14, self.erase: 6, self.undo: 8,
            self.redo: 4, self.status: 5, self.toggle_mask: 2, self.mask_opacity: 2, self.toggle_layer: 2,
            self.layer_opacity: 2, self.zoom: 6, self.pan: 5, self.run_model: 5, self.shortcuts: 0.6,
            self.compare: 0.4, self.export: 0.25, self.import_labels: 0.15,
        }

    def act(self) -> str:
        """Do one action drawn by weight; its name."""
        action = self.rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
        action()
        return action.__name__

    # --- images ------------------------------------------------------------------------------
    def _shown(self) -> None:
        session, controller = self.window.session, self.controller
        assert wait_until(lambda: controller.document is not None and controller.image_path == session.current_path
                          and session.current_image is not None, 60), "image not shown"

    def next(self) -> None:
        self.window.action_next.trigger()
        self._shown()

    def previous(self) -> None:
        self.window.action_previous.trigger()
        self._shown()

    def jump(self) -> None:
        self.window.session.set_current(self.rng.randrange(len(self.window.session)))
        self._shown()

    # --- editing -----------------------------------------------------------------------------
    def _stroke(self, tool: Tool) -> None:
        doc = self.controller.document
        if doc is None:
            return
        h, w = doc.shape
        self.controller.state.set_tool(tool)
        x, y = self.rng.uniform(0.1, 0.7), self.rng.uniform(0.1, 0.7)
        drag(self.window, [(w * (x + 0.05 * k), h * (y + 0.03 * k)) for k in range(5)])
        self.controller.state.set_tool(Tool.NAVIGATE)

    def brush(self) -> None:
        self._stroke(Tool.BRUSH)

    def erase(self) -> None:
        self._stroke(Tool.ERASER)

    def undo(self) -> None:
        self.controller.undo()

    def redo(self) -> None:
        self.controller.redo()

    def status(self) -> None:
        if self.controller.document is not None:
            self.controller.set_status(self.rng.choice([Status.EDITED, Status.REVIEWED]))

    # --- display -----------------------------------------------------------------------------
    def toggle_mask(self) -> None:
        self.window.annotation.actions.toggle_mask.trigger()

    def mask_opacity(self) -> None:
        self.window.annotation.tool_dock.opacity.setValue(self.rng.randrange(20, 101))

    def toggle_layer(self) -> None:
        layers = self.window.analysis.layers
        if layers.names:
            layers.toggle(self.rng.choice(layers.names))

    def layer_opacity(self) -> None:
        layers = self.window.analysis.layers
        if layers.names:
            layers.set_opacity(self.rng.choice(layers.names), self.rng.uniform(0.2, 1.0))

    def zoom(self) -> None:
        w = self.window
        self.rng.choice([w.action_zoom_in, w.action_zoom_out, w.action_fit, w.action_actual]).trigger()

    def pan(self) -> None:
        doc = self.controller.document
        if self.rng.random() < 0.5 or doc is None:
            self.rng.choice(self.window.pan_actions).trigger()
            return
        h, w = doc.shape  # the navigate tool's drag
        drag(self.window, [(w * 0.5, h * 0.5), (w * 0.45, h * 0.48), (w * 0.4, h * 0.46)], settle=False)

    def run_model(self) -> None:
        ctl = self.window.analysis
        request = ctl.run_current()
        if request is not None:
            assert wait_until(lambda: request not in ctl._runs, 300), ctl.errors

    # --- dialogs -----------------------------------------------------------------------------
    def shortcuts(self) -> None:
        sheet = self.window.show_shortcuts()
        idle(20)
        sheet.close()

    def compare(self) -> None:
        dialog = self.window.training.open_compare()
        idle(50)
        dialog.close()

    def export(self) -> None:
        dialog = self.window.annotation.open_export_dialog()
        assert dialog is not None
        dialog.dst.setText(str(self.tmp / f"export-{self.exports}"))
        self.exports += 1
        dialog.start()  # (a project with no mask yet fails: nothing to export, said in the dialog)
        assert wait_until(lambda: dialog.worker is None, 300), "export did not end"
        dialog.close()

    def import_labels(self) -> None:
        def ask(parent, directory: str = "") -> ImportChoice | None:  # noqa: ANN001 - the user's answer
            dialog = LabelSourceDialog(parent, directory)
            dialog.selectFile(str(self.labels))
            dialog.accept()
            choice = dialog.choice()
            dialog.deleteLater()
            return choice

        annotation_ui.ask_label_source = ask
        self.window.annotation.import_labels_dialog()
        self.window.annotation.imports.wait()

    # --- once a day --------------------------------------------------------------------------
    def switch_theme(self) -> None:
        choice = self.window.theme_choice
        choice.choose("dark" if choice.choice != "dark" else "light", keep=False)

    def default_model_run(self, images: int) -> None:
        """Load the bundled default model, run it on `images` images, load the tiny model again."""
        from app.analysis.inference_worker import DEFAULT_INPUT_SIZE
        from fosp_core.paths import find_model

        ctl = self.window.analysis
        default = find_model()
        if default is None or images <= 0:
            return
        size, began = ctl.worker.input_size, time.perf_counter()
        for checkpoint, input_size in ((default, DEFAULT_INPUT_SIZE), (self.tiny, size)):
            loaded: list[object] = []

            def took(_request: int, model: object, loaded: list[object] = loaded) -> None:
                loaded.append(model)

            ctl.worker.loaded.connect(took)
            ctl.worker.set_input_size(input_size)
            ctl.settings.set_checkpoint(checkpoint)
            assert wait_until(lambda loaded=loaded: bool(loaded) and ctl.model is not None, 300), ctl.errors
            ctl.worker.loaded.disconnect(took)
            if checkpoint == default:
                for _ in range(images):
                    self.next()
                    self.run_model()
        print(f"(default model {default.name}: loaded, run on {images} images, tiny model back in "
              f"{time.perf_counter() - began:.0f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--actions", type=int, default=3000)
    parser.add_argument("--every", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--default-run", type=int, default=3, help="images run with the default model")
    parser.add_argument("--input-size", type=int, default=64)
    parser.add_argument("--trim", action="store_true", help="also RSS after malloc_trim (then kept trimmed)")
    args = parser.parse_args()
    import torch

    from fosp_core.checkpoint import save_checkpoint
    from fosp_core.model import build_model

    torch.set_num_threads(1)
    app = create_app([])
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        images, labels = make_folder(tmp, args.photos)
        torch.manual_seed(0)
        tiny = save_checkpoint(build_model("fosp-s").eval(), tmp / "tiny.safetensors")
        window = make_window(tmp, tiny, args.input_size)
        window.open_paths([images], remember=False)
        day = Day(window, tmp, labels, tiny, random.Random(args.seed))
        day._shown()
        print(f"{len(window.session)} photos, {args.actions} actions (seed {args.seed}); "
              f"load {os.getloadavg()[0]:.1f}")
        columns = COLUMNS + EXTRA_COLUMNS
        print("| actions | s | " + " | ".join(columns) + " |")
        print("|" + "---|" * (len(columns) + 2))
        start, done = time.perf_counter(), Counter[str]()
        types: list[Counter[str]] = []

        def row(n: int) -> None:
            window.annotation.controller.open_documents.flush()
            idle(150)
            values = counts(window, args.trim) | extra_counts(window, tmp / "projects")
            cells = [f"{v:.0f}" if isinstance(v, float) else str(v) for v in values.values()]
            print(f"| {n} | {time.perf_counter() - start:.0f} | " + " | ".join(cells) + " |", flush=True)
            types.append(type_counts())

        row(0)
        for n in range(1, args.actions + 1):
            done[day.act()] += 1
            idle(1)
            if n == args.actions // 2:
                day.switch_theme()
            if n == args.actions * 2 // 3:
                day.default_model_run(args.default_run)
            if n % args.every == 0 or n == args.actions:
                row(n)
        print("\nactions done:", ", ".join(f"{k} {v}" for k, v in done.most_common()))
        print("Python types grown from the second row to the last:", grown_types(types[min(1, len(types) - 1)], types[-1]))
        print("... from the middle row to the last:", grown_types(types[len(types) // 2], types[-1]))
        print(f"load {os.getloadavg()[0]:.1f}")
        window.close()
        app.processEvents()


if __name__ == "__main__":
    main()
