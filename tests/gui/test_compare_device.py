"""Compare Two Checkpoints said "Run on auto, …" under its summary (and "auto" in the CSV's device
column): the Model panel's setting, not the device the checkpoints ran on. It says the resolved
device now (cpu here; cuda:0 or mps where there is one)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import torch

from fosp_core.analysis.settings import device_words
from fosp_core.checkpoint import save_checkpoint
from fosp_core.infer.devices import resolve_device
from fosp_core.model import build_model
from tests.gui.conftest import WindowFactory

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
torch.set_num_threads(1)
WAIT_MS = 60_000


def test_the_summary_and_csv_name_the_device_used(qtbot, make_window: WindowFactory, demo_dir: Path,
                                                 tmp_path: Path) -> None:
    torch.manual_seed(0)
    a = save_checkpoint(build_model("fosp-s").eval(), tmp_path / "a.safetensors")
    window = make_window(default_model=a)
    window.analysis.worker.set_input_size(64)
    window.analysis.settings.set_device("auto")
    window.open_paths(sorted((demo_dir / "JPEGImages").glob("*.jpg"))[:2], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    dialog = window.training.open_compare(a, a)
    with qtbot.waitSignal(dialog.compared, timeout=WAIT_MS):
        assert dialog.start()
    used = str(resolve_device("auto"))
    summary = dialog.summary.text()
    # the summary names the device as the Model panel does ("CPU"), the CSV by its torch name ("cpu")
    assert f"Run on {device_words(used)}, " in summary and "Automatic" not in summary, summary
    dialog.save_csv(tmp_path / "compare.csv")
    with (tmp_path / "compare.csv").open(encoding="utf-8", newline="") as fh:
        assert {row["device"] for row in csv.DictReader(fh)} == {used}
