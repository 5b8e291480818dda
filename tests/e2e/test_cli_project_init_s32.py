"""`fosp project init PATH`: the project of an images folder or dataset made from the command line, as the
app's first opening of the folder makes it (`fosp_core.annotation.source_opening.open_source`, which
`app.annotation.projects.prepare_projects` calls too). Before it there was no command: `fosp project` said
"no annotation project (open the images in the app first)" on a machine without a display, and the README
gave a Python one-liner.

Made where the app makes it (``.fosp``, or the user cache for a folder that may not be written), said with
its image count; a second run opens it as the app's opening does (exit 0: the images added since added, said); a missing path, a file, a folder with no
images: exit 2, nothing made; a project another process holds: said in `fosp project status`'s words. The
other actions, on a folder with no project, name the command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from fosp_core.annotation.project import Project
from fosp_core.cli import main

ROOT = Path(__file__).resolve().parents[2]


def photos_in(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        cv2.imwrite(str(folder / name), np.full((24, 32, 3), 40 + 30 * i, np.uint8))
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    return int(code), captured.out, captured.err


def test_init_makes_the_project_of_a_folder_and_the_other_commands_take_it(tmp_path: Path, capsys) -> None:
    photos = photos_in(tmp_path / "photos", ["b.jpg", "a.png", "c.jpeg"])
    (photos / "notes.txt").write_text("not an image")
    code, out, err = run(["project", "init", str(photos)], capsys)
    assert code == 0, err
    assert f"made the annotation project of {photos}: {photos / '.fosp'}" in out, out
    assert f"3 images in {photos}" in out, out
    assert (photos / ".fosp" / "project.json").is_file() and not (photos / ".fosp" / "lock").exists()
    code, out, err = run(["project", "status", str(photos)], capsys)
    assert code == 0 and "images   3" in out and "unlabeled  3" in out, out + err


def test_init_makes_the_project_the_app_opening_makes(tmp_path: Path, capsys) -> None:
    """The same entries, header and files as `prepare_projects` (the app's open, given its listing) on a copy
    of the folder; a file name that is not valid UTF-8 left out by both, named by init."""
    from app.annotation.projects import close_prepared, prepare_projects
    from fosp_core.session import collect_image_paths

    names = ["z.jpg", "a.png", "m.JPG", "a.jpg"]
    by_init = photos_in(tmp_path / "init" / "photos", names)
    by_app = photos_in(tmp_path / "app" / "photos", names)
    for folder in (by_init, by_app):
        odd = os.fsdecode(os.fsencode(str(folder)) + b"/caf\xe9.jpg")
        shutil.copyfile(folder / "a.jpg", odd)
    code, out, err = run(["project", "init", str(by_init)], capsys)
    assert code == 0 and "4 images" in out, out + err
    assert "caf\\xe9.jpg: the file name is not valid UTF-8" in err, err

    found, _errors = collect_image_paths([by_app])  # what the app's open of the folder lists, then makes
    found = [p for p in found if p.name.isascii()]
    prepared = prepare_projects([(by_app.resolve(), None)], {by_app.resolve(): found})
    assert prepared[0].opened.error is None
    close_prepared(prepared)
    with Project.open(by_init, create=False) as made, Project.open(by_app, create=False) as app:
        assert [(e.id, e.image, e.status, e.label) for e in made.entries] == \
               [(e.id, e.image, e.status, e.label) for e in app.entries]
        drop = {"created", "updated", "source"}
        assert {k: v for k, v in made.header.items() if k not in drop} == \
               {k: v for k, v in app.header.items() if k not in drop}
        assert made.header["source"]["kind"] == app.header["source"]["kind"] == "folder"
    assert sorted(files_of(by_init / ".fosp")) == sorted(files_of(by_app / ".fosp"))


def test_init_again_says_so_and_adds_what_the_apps_opening_adds(tmp_path: Path, capsys) -> None:
    """Opened as the app's opening opens it (session 33: it was read and "left as it is", the images added since
    never added by any command): the new image added and said, the journal's save kept; a run with nothing new
    changes nothing."""
    photos = photos_in(tmp_path / "photos", ["a.jpg", "b.jpg"])
    assert main(["project", "init", str(photos)]) == 0
    with Project.open(photos, create=False) as project:  # a save in the journal, not yet in project.json
        project.compact_in_background = False
        project.save_mask("a", np.ones((24, 32), np.uint8), "edited")
    photos_in(photos, ["c.jpg"])  # added since: added as the app's next opening adds it
    code, out, err = run(["project", "init", str(photos)], capsys)
    assert code == 0, err
    assert f"already an annotation project: {photos / '.fosp'}; 1 new image added\n  3 images in {photos}\n" in out, out
    with Project.open(photos, create=False) as project:
        assert {e.id: str(e.status) for e in project.entries}["a"].endswith("edited")
    before = files_of(photos / ".fosp")
    code, out, _ = run(["project", "init", str(photos / ".fosp")], capsys)  # the project folder itself
    assert code == 0 and f"already an annotation project: {photos / '.fosp'}\n  3 images" in out, out
    assert files_of(photos / ".fosp") == before


def test_init_of_a_dataset_counts_its_reference_masks_and_import_takes_them(demo_dir: Path, tmp_path: Path,
                                                                            capsys) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(demo_dir, demo)
    code, out, err = run(["project", "init", str(demo)], capsys)
    assert code == 0, err
    assert "4 images (SmokeSeg dataset, 4 with a reference mask)" in out, out
    code, out, err = run(["project", "import", str(demo)], capsys)
    assert code == 0 and "imported 4 mask(s)" in out, out + err


def test_a_folder_that_may_not_be_written_gets_its_project_in_the_user_cache(tmp_path: Path, capsys) -> None:
    photos = photos_in(tmp_path / "shared" / "photos", ["a.jpg", "b.jpg"])
    photos.chmod(0o555)  # read-only for everyone, root included (`writable_folder`)
    try:
        code, out, err = run(["project", "init", str(photos)], capsys)
        assert code == 0, err
        cache = Path(os.environ["FOSP_CACHE"]) / "projects"
        assert f"made the annotation project of {photos}: {cache}" in out, out
        assert "(in the user cache: the folder may not be written)" in out and "2 images" in out, out
        assert not (photos / ".fosp").exists()
        code, out, err = run(["project", "status", str(photos)], capsys)
        assert code == 0 and f"project  {cache}" in out, out + err
        code, out, _ = run(["project", "init", str(photos)], capsys)
        assert code == 0 and f"already an annotation project: {cache}" in out, out
    finally:
        photos.chmod(0o755)


@pytest.mark.parametrize("case", ["missing", "file", "empty", "no images"])
def test_a_path_with_nothing_to_make_a_project_of_is_a_usage_error(tmp_path: Path, capsys, case: str) -> None:
    photos = photos_in(tmp_path / "photos", ["a.jpg"])
    path = {"missing": tmp_path / "nowhere", "file": photos / "a.jpg", "empty": tmp_path / "empty",
            "no images": tmp_path / "texts"}[case]
    if case == "empty":
        path.mkdir()
    if case == "no images":
        path.mkdir()
        (path / "notes.txt").write_text("x")
    code, out, err = run(["project", "init", str(path)], capsys)
    assert code == 2 and out == "", out
    said = {"missing": f"error: {path}: no such file or folder",
            "file": f"error: {path}: not a folder; a project is made for a whole folder of images or a dataset: "
                    f"fosp project init {photos}",
            "empty": f"error: {path}: the folder contains no image files: no project made",
            "no images": f"error: {path}: the folder contains no image files: no project made"}[case]
    assert err.startswith(said), err
    assert not list(tmp_path.rglob(".fosp")) and not (Path(os.environ["FOSP_CACHE"]) / "projects").exists()


def test_a_project_another_process_holds_is_said_in_the_words_of_status(tmp_path: Path, capsys) -> None:
    photos = photos_in(tmp_path / "photos", ["a.jpg"])
    assert main(["project", "init", str(photos)]) == 0
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from fosp_core.annotation.project import Project; "
                               "p = Project.open(sys.argv[1]); print('held', flush=True); sys.stdin.read(); p.close()",
                               str(photos)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        code, out, err = run(["project", "init", str(photos)], capsys)
        assert code == 0, err
        code_status, status, _ = run(["project", "status", str(photos)], capsys)
        note = next(line for line in status.splitlines() if line.startswith("note: locked by"))
        assert f"note: locked by pid {holder.pid}" in note
        assert "already an annotation project" in out and note in out.splitlines(), out
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    assert (photos / ".fosp" / "project.json").is_file() and not (photos / ".fosp" / "lock").exists()


@pytest.mark.parametrize("action", ["status", "prelabel", "import", "export", "take-over", "discard-log"])
def test_the_other_actions_name_init_on_a_folder_without_a_project(tmp_path: Path, capsys, action: str) -> None:
    photos = photos_in(tmp_path / "my photos", ["a.jpg"])
    extra = {"export": [str(tmp_path / "dst")], "discard-log": ["--all"]}.get(action, [])
    code, _, err = run(["project", action, str(photos), *extra], capsys)
    assert code == 2, err
    assert err.startswith(f"error: {photos}: no annotation project (open the images in the app first)"), err
    assert f"fosp project init '{photos}'" in err, err  # quoted as a shell takes it: the name has a space
    assert not (photos / ".fosp").exists()


def test_project_help_lists_init(capsys) -> None:
    for argv, said in ((["project", "--help"], "fosp project init PATH"), (["--help"], "init (make one without the app)")):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 0 and said in " ".join(capsys.readouterr().out.split()), argv
