"""Session 34, review Q: the README read top to bottom by a new user on a fresh clone, every command
run in order. Text checks of the README, and of `fosp ... --help` in-process (no model runs)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[list[str]]:
    """Every command line of the README's ```bash blocks, split as a shell does, in reading order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line.split("  #", 1)[0].strip()
             for block in re.findall(r"```bash\n(.*?)```", readme, flags=re.S) for line in block.splitlines()]
    return [shlex.split(line) for line in lines if line and not line.startswith("#")]


def _option(args: list[str], name: str) -> str | None:
    """The value of `name VALUE` in `args`, or None."""
    return args[args.index(name) + 1] if name in args else None


def test_review_q_s34_predict_lines_with_other_weights_write_to_their_own_folder() -> None:
    """First commands: `fosp predict resources/demo --out my-pred` (the default model). After the
    command-line fine-tune: `fosp predict photos --out my-pred --checkpoint my-model.safetensors`, photos
    being the demo's copy: every mask name there already, so a reader following the README in order got
    'nothing to do: every output exists already', exit 3, and none of the new model's masks. Lines that
    predict with other weights name other --out folders."""
    seen: dict[str, str | None] = {}
    for args in readme_commands():
        if args[:2] != ["fosp", "predict"] or "--overwrite" in args:
            continue
        out, checkpoint = _option(args, "--out"), _option(args, "--checkpoint")
        assert out is not None, args
        if out in seen:
            assert seen[out] == checkpoint, (
                f"`{shlex.join(args)}` writes into {out}, where an earlier README line wrote the masks of "
                f"{seen[out] or 'the default model'}: its images are skipped (exit 3, nothing to do)")
        seen[out] = checkpoint
    assert len(seen) >= 2, seen  # both predict lines found


def _help(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    """`fosp COMMAND... --help` in-process: its text, whitespace made single spaces (argparse wraps)."""
    from fosp_core.cli import main

    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("action", ["status", "import", "prelabel", "export", "discard-log", "take-over"])
def test_review_q_s34_project_help_says_where_the_demos_project_is(action: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The README's first commands run `fosp project status resources/demo`, whose project is in the user
    cache (the bundled demo is never written; so is a folder that may not be written). `fosp project
    --help` said 'its .fosp folder is used' and each action's PROJECT 'images folder / dataset with a
    .fosp project': a reader looked for resources/demo/.fosp, which is not there."""
    for text in (_help(capsys, "project"), _help(capsys, "project", action)):
        assert "user cache" in text, text


@pytest.mark.parametrize("command", [("train",), ("train-inpainter",), ("train-ssl",), ("train-export",)])
def test_review_q_s34_runs_folder_default_names_fosp_cache(command: tuple[str, ...],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The README keeps runs in `$FOSP_CACHE/runs/` when it is set (a second profile), as
    `fosp_core.paths.runs_dir` does ($XDG_CACHE_HOME/fosp/runs next); the --help of every command that
    takes --runs-dir gave '~/.cache/fosp/runs' alone: with FOSP_CACHE set, a user looked there for the
    run `fosp train-export my-finetune` then found."""
    text = _help(capsys, *command)
    assert "$FOSP_CACHE/runs" in text and "$XDG_CACHE_HOME/fosp/runs" in text, text


def test_review_q_s34_getting_started_says_where_the_demos_edits_go() -> None:
    """The Quick start opens the bundled demo and Help ▸ Getting Started says 'every edit is saved as
    you go, in a .fosp folder beside the images': the demo's edits go to the user cache (images shipped
    with FoSp Studio are never written; so do a read-only folder's), and a new user found no
    resources/demo/.fosp."""
    from app.help_menu import getting_started_html

    text = " ".join(getting_started_html().split())
    assert ".fosp" in text and "user cache" in text, text


@pytest.mark.parametrize(("command", "required", "optional"), [
    (["compare", "a.safetensors"], "B", "IMAGES"),
    (["project", "discard-log"], "PROJECT", "LOG"),
])
def test_review_q_s34_an_optional_list_is_not_said_required(command: list[str], required: str, optional: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`fosp compare A B [IMAGES ...]` (IMAGES optional with --project) and `fosp project discard-log
    PROJECT [LOG ...]` (or --all), given too little, said 'the following arguments are required: B,
    IMAGES' / 'PROJECT, LOG' (argparse counts a nargs='*' positional without a default as required)."""
    from fosp_core.cli import main

    with pytest.raises(SystemExit) as done:
        main(command)
    assert done.value.code == 2
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "the following arguments are required" in line)
    assert line.endswith(f"required: {required}"), line
    assert optional not in line


def _written_in_the_root() -> set[str]:
    """What the README's commands, run from the repository root, write there: `--out` folders,
    `fosp project export resources/demo DST`, `cp -r ... DST`, `--export-default FILE`, `train-export RUN OUT`."""
    written: set[str] = set()
    for args in readme_commands():
        if args[:2] == ["fosp", "predict"]:
            written.add(_option(args, "--out") or "")
        elif args[:3] == ["fosp", "project", "export"] and "/" not in args[4]:
            written.add(args[4])
        elif args[:2] == ["cp", "-r"]:
            written.add(args[3])
        elif args[:2] == ["fosp", "train-export"]:
            written.add(args[3])
        if "--export-default" in args:
            written.add(_option(args, "--export-default") or "")
    written.discard("")
    return {path for path in written if "/" not in path.rstrip("/")}


def test_review_q_s34_what_the_readme_writes_in_the_clone_is_ignored_by_git() -> None:
    """A new user who ran the README's commands in the clone had `git status` list my-pred/, my-export/,
    photos/, corrected/, my-model.safetensors (13 MB) ... as files to add: a `git add -A` committed them."""
    import shutil
    import subprocess

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout (or no git): nothing to ignore")
    written = sorted(_written_in_the_root())
    assert {"my-pred", "my-export", "photos", "corrected", "my-model.safetensors"} <= set(written), written
    done = subprocess.run(["git", "check-ignore", "--no-index", "-v", "-n", *written], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    not_ignored = [line.split("\t")[-1] for line in done.stdout.splitlines() if line.startswith("::")]
    assert not not_ignored, f"README outputs git would add: {not_ignored}"


def test_review_q_s34_train_help_example_sets_what_the_readme_line_sets(capsys: pytest.CaptureFixture[str]) -> None:
    """`fosp train --help` ends with 'fine-tune on an export (README: ...)', the README's line with a time
    budget: it left out the line's data.crop=256 (the Fine-tune dialog's crop too), so it trained at
    small-cpu's 320 px crops, 1.56x the pixels a step of the README's timings. Every key the README's line
    sets is set alike, but the warm-up, which the README says to keep below a budgeted run's iterations."""
    readme_line = next(args for args in readme_commands() if args[:3] == ["fosp", "train", "small-cpu"])
    text = _help(capsys, "train")
    example = shlex.split(text.split("From the command line):", 1)[1].split(" train.time_budget_s=SECONDS", 1)[0])
    settings = dict(a.split("=", 1) for a in example if "=" in a and not a.startswith("-"))
    for arg in readme_line[3:]:
        if "=" in arg and not arg.startswith("-"):
            key, value = arg.split("=", 1)
            if key != "optim.warmup_iters":
                assert settings.get(key) == value, (key, value, settings.get(key))


def test_review_q_s34_replace_predicted_with_no_model_masks_says_why_nothing_is_replaced(
        demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The README's loop on a copy of the demo imports the labels of all 4 images as corrections, then runs
    `fosp project prelabel photos --checkpoint my-finetune --replace-predicted`: it said 'nothing to pre-label:
    all 4 images have a mask already', which reads as if --replace-predicted had been ignored."""
    import shutil

    from fosp_core.cli import main

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    photos = tmp_path / "photos"
    shutil.copytree(demo_dir, photos)
    assert main(["project", "init", str(photos)]) == 0
    assert main(["project", "import", str(photos), str(demo_dir / "SegmentationClass")]) == 0
    capsys.readouterr()
    assert main(["project", "prelabel", str(photos), "--replace-predicted"]) == 3  # nothing to do (session 36: it was 0)
    out = " ".join(capsys.readouterr().out.split())
    assert "nothing to pre-label: all 4 images have a mask already" in out, out
    assert "none was made by a model only (status predicted)" in out, out
    assert main(["project", "prelabel", str(photos)]) == 3  # without the flag: as before (3 since session 36)
    assert "none was made" not in capsys.readouterr().out
