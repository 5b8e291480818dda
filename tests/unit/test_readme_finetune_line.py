"""The README's command-line fine-tune ("Fine-tuning on your labels ▸ From the command line"), run
as written on an export of the demo, from another folder, with only its length and sizes cut
(1 iteration at 64 px): the line must stay a command that works, with the dialog's batch."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import torch

from tests.unit.test_train_support import make_export

ROOT = Path(__file__).resolve().parents[2]
TINY = ["train.iterations=1", "data.crop=64", "train.val_size=64", "optim.warmup_iters=0", "train.threads=1",
        "train.progress=false"]


def _readme_line() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### From the command line", 1)[1]
    line = re.search(r"```bash\n(fosp train small-cpu [^\n]+)\n```", section)
    assert line is not None, "the fine-tune line moved: update this test"
    return shlex.split(line.group(1))


def test_the_readme_fine_tune_line_runs(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main

    torch.set_num_threads(1)
    args = _readme_line()
    assert args[:3] == ["fosp", "train", "small-cpu"]
    make_export(demo_dir, tmp_path / "my-export")
    args = [a.replace("data.root=DIR", f"data.root={tmp_path}")
            .replace("=resources/", f"={ROOT}/resources/") for a in args[1:]]
    monkeypatch.chdir(tmp_path)
    code = main([*args, *TINY, "--runs-dir", str(tmp_path / "runs")])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert (tmp_path / "my-model.safetensors").is_file()  # --export-default, beside where it ran
    recorded = tomllib.loads((tmp_path / "runs" / "my-finetune" / "config.toml").read_text())
    assert recorded["train"]["batch_size"] == 4  # the dialog's, not small-cpu's 8
    assert recorded["train"]["val_at_start"] is True
