"""What stamping model summaries with the checkpoint's digest costs the GUI thread, in the real window.

    python bench/bench_stamp_gui_thread.py [--images 300] [--repeat 3]

Builds the real main window offscreen (``bench_label_scale.build_window``), loads a copy of the
bundled default model (13.7 MB) from a temporary folder, opens ``--images`` SMOKE5K photos (symlinked)
and gives every image a summary stamped by that model (in memory). Then, on the GUI thread, it times:

1. Run on all's question for every image (`WorklistSummaries.summarised`, what `RunPlanner.run_all`
   asks), the checkpoint's digest cache cold and the file just written (a fine-tune exported a moment
   ago: `trained_on.DigestCache` keeps no digest of a file younger than 2 s);
2. the same with the cache warm and the file settled;
3. one summary stored on the GUI thread (`WorklistSummaries.on_result`'s fallback: nothing came from the
   worker) of a 1920x1080 map, the cache cold and the file just written.

Prints a markdown table (median of ``--repeat``, ms), and the checkpoint's hashes on the GUI thread.
Run it in an older checkout's tree (``PYTHONPATH=OLD python OLD/bench/...``) for the before figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_label_scale import build_window, link_folder, open_folder  # noqa: E402


def _ms(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import numpy as np
    import torch

    torch.set_num_threads(2)
    from app.main import create_app
    from fosp_core.annotation import prelabel as prelabel_module
    from fosp_core.annotation.prelabel import ModelStamp, checkpoint_digest, stamp_summary
    from fosp_core.annotation.summaries import file_stamp, label_file
    from fosp_core.paths import find_model

    app = create_app([])  # noqa: F841 - kept alive
    hashed: list[bool] = []  # on the GUI thread
    real = prelabel_module.file_digest
    import fosp_core.trained_on as trained_on

    def spy(path):  # noqa: ANN001, ANN202
        hashed.append(threading.current_thread() is threading.main_thread())
        return real(path)

    trained_on.file_digest = spy
    prelabel_module.file_digest = spy
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        load = os.getloadavg()[0]
        window = build_window(tmp)
        ckpt = Path(shutil.copy(find_model(), tmp / "model.safetensors"))
        ctl = window.analysis
        ctl.settings.set_checkpoint(ckpt)
        from gui_window import wait_until

        assert wait_until(lambda: ctl.model is not None and ctl.settings.checkpoint == ckpt
                          and ctl._load_request is None, 600)
        folder = link_folder(tmp, args.images)
        total = len(list(folder.iterdir()))
        open_folder(window, folder, total)
        summaries, registry = window.worklist_summaries, window.annotation.controller.registry
        settings, model_id = ctl.settings, ctl.model.model_id
        stamp = ModelStamp(checkpoint_digest(ckpt), float(settings.tau), float(settings.threshold), settings.keep)
        for path in window.session.paths:
            project, image_id = registry.lookup(path)
            label = file_stamp(label_file(project, image_id))
            project.entry(image_id).prediction = stamp_summary({"uncertainty": 0.1}, stamp, label)
        summaries.follow([])  # a run asked for: its stamp, for the summaries made on the GUI thread

        def plan() -> None:
            assert all(summaries.summarised(p, model_id) for p in window.session.paths)

        prob = np.random.default_rng(0).random((1080, 1920), dtype=np.float32)
        first = window.session.paths[0]

        def fallback() -> None:
            summaries.on_result(0, str(first), model_id, settings.tau, type("P", (), {"probability": prob})())

        rows: dict[str, list[float]] = {"cold": [], "warm": [], "fallback": []}
        gui_hashes = 0

        def timed(what: str, fn) -> None:  # noqa: ANN001
            nonlocal gui_hashes
            before = len(hashed)
            rows[what].append(_ms(fn))
            gui_hashes += sum(hashed[before:])

        for _ in range(args.repeat):
            prelabel_module._CHECKPOINTS.clear()
            os.utime(ckpt)  # written just now
            timed("cold", plan)
            os.utime(ckpt, (time.time() - 60, time.time() - 60))  # settled
            checkpoint_digest(ckpt)  # the cache warm (not timed)
            timed("warm", plan)
            prelabel_module._CHECKPOINTS.clear()
            os.utime(ckpt)
            timed("fallback", fallback)
        window.annotation.controller.close()
        window.close()
    print(f"\n{total} SMOKE5K photos, default model (13.7 MB) on CPU, load {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end; median of {args.repeat}\n")
    print("| GUI thread | ms | notes |\n|---|---|---|")
    print(f"| Run on all's question, {total} images, cache cold, checkpoint just written | "
          f"{statistics.median(rows['cold']):.0f} | |")
    print(f"| Run on all's question, {total} images, cache warm | {statistics.median(rows['warm']):.0f} | |")
    print(f"| one summary stored on the GUI thread (1920x1080), cache cold | "
          f"{statistics.median(rows['fallback']):.0f} | |")
    print(f"| checkpoint hashes on the GUI thread in the steps timed | {gui_hashes} | |")


if __name__ == "__main__":
    main()
