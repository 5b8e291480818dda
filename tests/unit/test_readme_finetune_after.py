"""What the README says to do after its command-line fine-tune ("Fine-tuning on your labels ▸ From
the command line"), run as written: `fosp train-export my-finetune OUT.safetensors` by the run's name
(the user's runs folder: `$FOSP_CACHE/runs` here) and `fosp eval ... --checkpoint A --checkpoint B`
on the export's val split, and the eval by the run's name, which "takes the run's weights too". The
fine-tune itself runs cut short as in test_readme_finetune_line.py (1 iteration at 64 px), and the
evals at input 64."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import torch

from tests.unit.test_readme_finetune_line import ROOT, TINY, _readme_line
from tests.unit.test_train_support import make_export


def readme_lines_after_the_fine_tune() -> tuple[list[str], list[str]]:
    """The README's `fosp train-export ...` and `fosp eval ...` lines of the command-line fine-tune."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### From the command line", 1)[1].split("\n## ", 1)[0]
    export = re.search(r"```bash\n(fosp train-export [^\n]+)\n```", section)
    evaluate = re.search(r"```bash\n(fosp eval [^\n]+)\n```", section)
    assert export and evaluate, "the lines after the fine-tune moved: update this test"
    return shlex.split(export.group(1)), shlex.split(evaluate.group(1))


def test_the_lines_after_the_fine_tune_run(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main

    torch.set_num_threads(1)
    export_line, eval_line = readme_lines_after_the_fine_tune()
    assert export_line[:3] == ["fosp", "train-export", "my-finetune"]
    assert eval_line[:2] == ["fosp", "eval"] and eval_line.count("--checkpoint") == 2
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    make_export(demo_dir, tmp_path / "my-export")
    monkeypatch.chdir(tmp_path)
    train = [a.replace("data.root=DIR", f"data.root={tmp_path}").replace("=resources/", f"={ROOT}/resources/")
             for a in _readme_line()[1:]]
    assert main([*train, *TINY]) == 0, capsys.readouterr().err
    assert (tmp_path / "cache" / "runs" / "my-finetune" / "best.safetensors").is_file()

    assert main(export_line[1:]) == 0, capsys.readouterr().err
    assert (tmp_path / "OUT.safetensors").is_file() and (tmp_path / "OUT.card.json").is_file()

    evaluate = [a.replace("DIR/", f"{tmp_path}/").replace("resources/", f"{ROOT}/resources/")
                for a in eval_line[1:]]
    capsys.readouterr()
    assert main([*evaluate, "--input-size", "64"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "comparison on the same images" in out and "my-model.safetensors" in out

    by_name = [*evaluate[:evaluate.index("--checkpoint")], "--checkpoint", "my-finetune", "--input-size", "64"]
    assert main(by_name) == 0, capsys.readouterr().err
    said = capsys.readouterr()
    assert "is a run folder: using its best.safetensors" in said.out + said.err
