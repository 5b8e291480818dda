"""The README's first command-line commands, run as written on a copy of the bundled demo: each
exits and prints what its comment says. In-process (`fosp_core.cli.main`), the default model runs on
the 4 demo images twice (predict, eval)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main as fosp

ROOT = Path(__file__).resolve().parents[2]


def first_commands() -> list[tuple[str, str]]:
    """(command, comment) of each line of the README's block of first commands on the demo."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    block = next(b for b in blocks if "fosp predict resources/demo" in b)
    out = []
    for line in block.splitlines():
        command, _, comment = line.partition("  #")
        if command.strip():
            out.append((command.strip(), comment.strip()))
    return out


@pytest.fixture
def demo_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder laid out as the repository root (a copy of the demo, the models linked), the
    working directory; the user cache in tmp."""
    shutil.copytree(ROOT / "resources" / "demo", tmp_path / "resources" / "demo")
    (tmp_path / "resources" / "models").symlink_to(ROOT / "resources" / "models")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    return tmp_path


def run(command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and printed text (stdout + stderr) of one `fosp ...` line."""
    args = shlex.split(command)
    assert args[0] == "fosp", command
    capsys.readouterr()
    code = fosp(args[1:])
    captured = capsys.readouterr()
    return int(code), captured.out + captured.err


def test_the_block_is_the_one_checked_here() -> None:
    names = [" ".join(shlex.split(command)[1:3]) for command, _ in first_commands()]
    assert names == ["info", "predict resources/demo", "dataset stats", "eval --dataset",
                     "project status", "project import", "project export"]


def test_the_first_commands_do_what_their_comments_say(demo_checkout: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    commands = dict((" ".join(shlex.split(c)[1:3]), (c, note)) for c, note in first_commands())

    command, note = commands["info"]
    code, out = run(command, capsys)
    assert code == 0 and "default model:" in out and "default model" in note

    command, note = commands["predict resources/demo"]
    code, out = run(command, capsys)
    masks = sorted((demo_checkout / "my-pred" / "masks").glob("*.png"))
    assert code == 0 and len(masks) == 4 and "4 mask PNGs in my-pred/masks/" in note, out
    code, out = run(command, capsys)
    assert code == 3 and "nothing to do" in out and "exit 3, nothing to do" in note

    command, note = commands["dataset stats"]
    code, out = run(command, capsys)
    assert code == 0, out
    assert "images: 4" in out and "split files: val 4" in out and "medium 4" in out
    assert note == "4 images, split val 4, size buckets: medium 4"

    command, note = commands["project status"]
    code, out = run(command, capsys)
    assert code == 2 and "open the images in the app first" in out and "exit 2 before" in note, out
    Project.open(demo_checkout / "resources" / "demo").close()  # what the app's open of the demo does
    code, out = run(command, capsys)
    assert code == 0 and re.search(r"unlabeled\s+4\b", out) and note.startswith("unlabeled 4"), out

    command, note = commands["project import"]
    code, out = run(command, capsys)
    assert code == 0 and "imported 4" in out and note.endswith("imported 4"), out
    code, out = run(commands["project status"][0], capsys)
    assert re.search(r"edited\s+4\b", out), out  # the Command line table: people's work, status *edited*

    command, note = commands["project export"]
    code, out = run(command, capsys)
    assert code == 0 and "(train 2, val 2)" in out and note.endswith("train 2, val 2"), out
    assert len(list((demo_checkout / "my-export" / "JPEGImages").glob("*.jpg"))) == 4


def test_the_first_eval_scores_the_demo_by_size_bucket(demo_checkout: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    command, note = next((c, n) for c, n in first_commands() if c.startswith("fosp eval "))
    code, out = run(command, capsys)
    assert code == 0 and re.search(r"^medium\s+4\s+\d", out, re.M) and "by size bucket" in note, out
