"""The README's command-line labelling loop ("Fine-tuning on your labels ▸ From the command line") on the bundled
demo, as its "No photos of your own yet?" lines set it up: the demo copied to `photos/`, its labels to
`corrected/`, then the loop's lines as written. The demo lists its 4 images in `val`: the export kept that split
(train 0, val 4) and the fine-tune line stopped with "no labelled images", so a newcomer never reached a trained
model. Now the export draws new splits (the README quotes its line) and the recipe (cut to 1 iteration at 64 px)
trains on the export's train images and writes the model, which then pre-labels and predicts.

Needs no shared data (the demo is in the repository); the default model runs on the 4 images three times and the
fine-tune once: `slow`. The faster guard of the export's split runs by default (test_loop_s33_export_train)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import torch

from tests.unit.test_newcomer_s32_readme_cli_loop import ROOT, TINY, block_with, run, section

pytestmark = pytest.mark.slow


def demo_lines() -> list[str]:
    """The `cp -r SRC DST` lines of the README's demo block."""
    for block in re.findall(r"```bash\n(.*?)```", section(), flags=re.S):
        lines = [line.partition("  #")[0].strip() for line in block.splitlines()]
        if any(line.startswith("cp -r resources/demo ") for line in lines):
            return [line for line in lines if line]
    raise AssertionError("no block copying resources/demo in the README's section: update this test")


@pytest.mark.timeout(900)
def test_the_readme_loop_on_the_demo_reaches_a_trained_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    torch.set_num_threads(1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    for line in demo_lines():  # as a shell in the repository root would copy, into the working folder
        command, flag, src, dst = shlex.split(line)
        assert (command, flag) == ("cp", "-r"), line
        shutil.copytree(ROOT / src, tmp_path / dst)
    assert len(list((tmp_path / "photos" / "JPEGImages").glob("*.jpg"))) == 4
    assert len(list((tmp_path / "corrected").glob("*.png"))) == 4

    (init, _), (prelabel, _), (import_, _), (export, _) = block_with("fosp project prelabel photos")
    for line, says in ((init, "made the annotation project of photos"), (prelabel, "pre-labelled 4 images"),
                       (import_, "imported 4 mask(s)")):
        code, out = run(line, capsys, DIR=str(tmp_path))
        assert code == 0 and says in out, (line, out)
    code, out = run(export, capsys, DIR=str(tmp_path))
    quoted = re.search(r"Its export says `(exported [^`]+)`", " ".join(section().split()))
    assert quoted is not None, "the README's quote of the demo's export moved: update this test"
    assert code == 0 and quoted.group(1).replace("DIR/", f"{tmp_path}/") in " ".join(out.split()), (quoted, out)
    lists = tmp_path / "my-export" / "ImageSets" / "Segmentation"
    train = lists.joinpath("train.txt").read_text().split()
    assert len(train) == 2, out  # was 0: "no labelled images"

    (recipe, _), = block_with("fosp train small-cpu")
    code, out = run(f"{recipe} {' '.join(TINY)}", capsys, DIR=str(tmp_path))
    assert code == 0, out
    assert "no labelled images" not in out
    assert re.search(r"^done: 1 iterations?, ", out, flags=re.M), out
    run_dir = tmp_path / "cache" / "runs" / "my-finetune"
    assert (run_dir / "last.pt").is_file() or (run_dir / "best.safetensors").is_file(), sorted(run_dir.iterdir())
    assert (tmp_path / "my-model.safetensors").is_file() and (tmp_path / "my-model.card.json").is_file()
    card = json.loads((tmp_path / "my-model.card.json").read_text())
    assert card["data"]["opened"] == [{"name": "my-export[train]", "size": 2, "weight": 1.0}], card["data"]
    assert card["training"]["iterations"] == 1, card["training"]

    after = block_with("fosp project prelabel photos --checkpoint")
    code, out = run(after[0][0], capsys, DIR=str(tmp_path))
    assert code == 3 and "all 4 images have a mask already" in out, out  # every mask corrected: left alone
    # (3: nothing to do, README's exit codes; session 36: it was 0)
    code, out = run(after[1][0], capsys, DIR=str(tmp_path))
    assert code == 0 and len(list((tmp_path / "my-pred-finetuned" / "masks").glob("*.png"))) == 4, out
