"""The README's model-assisted labelling loop from the command line ("Fine-tuning on your labels ▸ From the
command line"), run as written on 8 of the SmokeSeg sample photos, as its comments count them: the
project made without a display by `fosp project init photos` (the README's Python one-liner before), pre-label,
corrections imported, export, the recipe (cut to 1 iteration at 64 px), then the new weights pre-label again
and predict.

In-process (`fosp_core.cli.main`); the default model runs on the 8 photos twice and the fine-tune's once:
about 30 s on one thread, so `slow` (-m slow). The faster guards of the same lines run by default:
test_docs_cli_flags (every flag), test_readme_finetune_line (the recipe, on the demo)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import torch

from fosp_core.cli import main as fosp

ROOT = Path(__file__).resolve().parents[2]
TINY = ["train.iterations=1", "data.crop=64", "train.val_size=64", "optim.warmup_iters=0", "train.threads=1",
        "train.progress=false"]

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("### From the command line", 1)[1].split("\n### ", 1)[0]


def block_with(start: str) -> list[tuple[str, str]]:
    """(command, comment) of each line of the section's first bash block holding a line that starts with `start`."""
    for block in re.findall(r"```bash\n(.*?)```", section(), flags=re.S):
        if any(line.startswith(start) for line in block.splitlines()):
            out = []
            for line in block.splitlines():
                command, _, comment = line.partition("  #")
                if command.strip():
                    out.append((command.strip(), comment.strip()))
            return out
    raise AssertionError(f"no block with {start!r} in the README's section: update this test")


def run(command: str, capsys: pytest.CaptureFixture[str], **paths: str) -> tuple[int, str]:
    """Exit code and printed text (stdout + stderr) of one `fosp ...` line, with `DIR` and friends replaced."""
    args = shlex.split(command)
    assert args[0] == "fosp", command
    args = [arg.replace("data.root=DIR", f"data.root={paths['DIR']}").replace("DIR/", paths["DIR"] + "/")
            .replace("=resources/", f"={ROOT}/resources/") for arg in args[1:]]
    capsys.readouterr()
    code = fosp(args)
    captured = capsys.readouterr()
    return int(code), captured.out + captured.err


@pytest.fixture
def photos(shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the working directory: `photos/` (8 sample photos) and `corrected/` (the labels of 6 of
    them, as an annotator's corrected masks); the user cache in tmp."""
    samples = shared_data / "smokeseg-samples"
    names = sorted(p.stem for p in (samples / "JPEGImages").glob("*.jpg"))[:8]
    (tmp_path / "photos").mkdir()
    (tmp_path / "corrected").mkdir()
    for i, name in enumerate(names):
        shutil.copyfile(samples / "JPEGImages" / f"{name}.jpg", tmp_path / "photos" / f"{name}.jpg")
        if i < 6:
            shutil.copyfile(samples / "SegmentationClass" / f"{name}.png", tmp_path / "corrected" / f"{name}.png")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    return tmp_path / "photos"


@pytest.mark.timeout(600)
def test_the_readme_labelling_loop_does_what_it_says(photos: Path, capsys: pytest.CaptureFixture[str]) -> None:
    torch.set_num_threads(1)
    work = photos.parent
    loop = block_with("fosp project prelabel photos")
    assert [" ".join(shlex.split(c)[1:3]) for c, _ in loop] == ["project init", "project prelabel",
                                                               "project import", "project export"]
    (init, init_note), (prelabel, prelabel_note), (import_, _), (export, export_note) = loop

    code, out = run(prelabel, capsys, DIR=str(work))  # before the app (or init) made the project
    said = " ".join(section().split())  # the README's quote of it, its lines joined
    assert code == 2 and "no annotation project (open the images in the app first)" in out, out
    quoted = re.search(r"\*(no annotation project \(open the images in the app first\)[^*]*)\*", said)
    assert quoted is not None, "the README's quote of the missing-project error moved: update this test"
    assert quoted.group(1) in out, (quoted.group(1), out)  # "...; to make it without the app: fosp project init photos"
    assert "python -c" not in section()  # the one-liner init replaced

    code, out = run(init, capsys, DIR=str(work))
    made, _, count = init_note.partition("; ")  # "made the annotation project of photos: .../photos/.fosp", "8 images"
    assert code == 0 and made.split(": ")[0] + ": " in out and f"{photos / '.fosp'}" in out and count in out, out
    assert made.endswith("/photos/.fosp"), init_note
    code, out = run(init, capsys, DIR=str(work))  # "Run it again ...: it says the project is there and adds them"
    quoted = re.search(r"\*(already an annotation project: )…(; 2 new images added)\*", said)
    assert quoted is not None, "the README's quote of init run again moved: update this test"
    assert code == 0 and quoted.group(1) in out and "new image" not in out, out  # none added: nothing said
    assert "changes nothing" not in said  # 2ba80726: init on an existing project adds the folder's new images

    code, out = run(prelabel, capsys, DIR=str(work))
    assert code == 0 and prelabel_note in out, out  # "pre-labelled 8 images (status predicted)"
    code, out = run(import_, capsys, DIR=str(work))
    assert code == 0 and "imported 6 mask(s)" in out, out
    code, out = run(export, capsys, DIR=str(work))
    assert code == 0, out
    head, _, splits = export_note.removesuffix(" ...)").partition(" (")
    assert head in out and f"({splits}" in out, (export_note, out)  # exported 8 image(s) ... (train 6, val 1, ...

    (recipe, _), = block_with("fosp train small-cpu")
    code, out = run(f"{recipe} {' '.join(TINY)}", capsys, DIR=str(work))  # the line, cut to 1 iteration
    assert code == 0, out
    assert (work / "my-model.safetensors").is_file()

    after = block_with("fosp project prelabel photos --checkpoint")
    assert [" ".join(shlex.split(c)[1:3]) for c, _ in after] == ["project prelabel", "predict photos"]
    code, out = run(after[0][0], capsys, DIR=str(work))
    quoted = re.search(r'\("(pre-labelled [^"]+)" when 6 of the 8 were corrected\)', " ".join(section().split()))
    assert quoted is not None, "the README's quoted pre-label summary moved: update this test"
    from fosp_core.annotation.prelabel import weights_digest

    best = work / "cache" / "runs" / "my-finetune" / "best.safetensors"
    default = Path(__file__).resolve().parents[2] / "resources" / "models" / "fosp-default.safetensors"
    if weights_digest(best) == weights_digest(default):  # the 1-iteration run beat nothing: the start's weights
        # (as fp32): the same model, nothing to replace (session 36; before, 2 masks redone, identical, exit 0)
        assert code == 3 and "nothing to replace" in out, out
    else:  # weights of its own, as the README's 300 iterations
        assert code == 0 and quoted.group(1) in " ".join(out.split()), (quoted.group(1), out)
    code, out = run(after[1][0], capsys, DIR=str(work))
    assert code == 0 and len(list((work / "my-pred-finetuned" / "masks").glob("*.png"))) == 8, out
