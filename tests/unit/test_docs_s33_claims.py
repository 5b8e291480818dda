"""Claims of the README and docs/saving.md that session 33's changes made wrong or put in the wrong place,
each checked against the product (session 33, D1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _text(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _section(text: str, heading: str) -> str:
    """The text under `heading` (a whole heading line) up to the next heading of any level."""
    after = text.split(f"\n{heading}\n", 1)[1]
    return after.split("\n#", 1)[0]


def test_the_video_frame_export_is_said_to_ask_before_the_window_closes_as_it_does() -> None:
    asks = "ExportCloseGuard" in _text("app/video/exporting.py")  # 35928ec3
    assert "Export frames…" in _text("app/video/panel.py"), "the Video panel's button is named otherwise"
    readme = _flat(_text("README.md"))
    assert ("A video's frame export is not asked about" in readme) == (not asks)
    assert ("A video's **Export frames…** asks the same" in readme) == asks


def test_the_speeds_no_gpu_note_is_in_the_speed_section_not_under_its_smoke5k_subsection() -> None:
    readme = _text("README.md")
    assert "No GPU inference figures" not in _section(readme, "### The whole SMOKE5K training set as one project")
    assert "No GPU inference figures" in _section(readme, "## Speed")


def test_the_record_wait_is_said_as_it_is_set() -> None:
    from fosp_core.annotation import log_sync

    saving = _flat(_text("docs/saving.md"))
    assert log_sync.RECORD_WAIT_S == 0.5, "docs/saving.md says half a second: say the new wait"
    assert "the app does not wait for it: see below" not in saving  # it waits RECORD_WAIT_S once
    assert "the app waits for it half a second at most: see below" in saving


def test_the_macos_flush_is_said_where_a_power_cut_is() -> None:
    saving = _text("docs/saving.md")
    assert "F_FULLFSYNC" in _section(saving, "### The computer crashes or loses power")
    assert "F_FULLFSYNC" not in _section(saving, "### The disk stops answering (a network drive gone, a USB disk pulled)")


def test_init_run_again_adds_a_plain_folders_new_images_only_as_the_readme_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.cli import main

    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    dataset = tmp_path / "photos"
    shutil.copytree(ROOT / "resources" / "demo", dataset)
    assert main(["project", "init", str(dataset)]) == 0
    first = next(iter(sorted((dataset / "JPEGImages").glob("*.jpg"))))
    shutil.copy(first, dataset / "JPEGImages" / "new1.jpg")  # put in the dataset's images folder
    capsys.readouterr()
    assert main(["project", "init", str(dataset)]) == 0
    said = capsys.readouterr().out.splitlines()[0]
    readme = _flat(_text("README.md"))
    keeps = "new images added" not in said and "new image added" not in said
    assert ("a dataset's project keeps the images it was made with" in readme) == keeps, said


def test_the_dead_disk_close_question_is_said_to_cover_what_it_covers_for_a_video() -> None:
    asks = "def settle_video" in _text("app/annotation/close_waits.py")  # a6b3bb42: the window's close asks
    switch_leaves = "leave_saves(" in _text("app/video/switching.py")  # 3cbc4ab3: leaving waits 2 s at most
    saving = _flat(_text("docs/saving.md"))
    assert ("It asks the same about an open video's frames" in saving) == asks
    assert "still waits for its frame saves" not in saving or not switch_leaves
    assert ("closing the video alone (back to the images, or another file opened) waits two seconds at most"
            in saving) == switch_leaves
    assert "A video's frame saves are not in this question yet" not in saving or not asks


def test_the_video_lock_page_says_where_an_images_lock_look_is_made_now() -> None:
    off_gui = "self.lock.taken_by()" in _text("fosp_core/annotation/mask_saves.py").split("def _before_record", 1)[1]
    page = _flat(_text("docs/video-lock.md"))
    assert ("as image projects do at each save" in page) == (not off_gui)  # a36365ec: on the log's append thread


def test_the_best_metric_keys_scored_lower_is_better_are_named_as_best_lowest() -> None:
    from fosp_core.train.best import LOWER_IS_BETTER

    training = _flat(_text("docs/training.md"))
    said = training.split("`best_metric` (default `fbeta`", 1)[1].split("), `ema_decay`", 1)[0]
    assert "is best lowest" in said and all(f"`{key}`" in said for key in LOWER_IS_BETTER), said  # dad230ca
    assert "keeps whichever of the two scored higher" not in training


def test_the_team_pages_images_added_paragraph_says_a_datasets_project_keeps_its_images() -> None:
    follows = _text("fosp_core/annotation/project_open.py").count('kind == "folder"') > 0  # only a plain folder's
    saving = _flat(_text("docs/saving.md"))
    said = "A SmokeSeg or SMOKE5K dataset's project keeps the images it was made with."
    assert (said in saving) == follows
    assert "or at `fosp project init` run again" in saving  # 2ba80726


def test_the_fine_tunes_how_long_says_the_lines_own_batch_as_the_loop_table_measured_it() -> None:
    import re

    readme = _flat(_text("README.md"))
    batch = re.search(r"fosp train small-cpu .*?train\.batch_size=(\d+)", readme)
    row = re.search(r"\| `train small-cpu` \(crop 256, batch (\d+)\): [^|]*\| [^|]*\(([\d.–]+ s) an iteration\)", readme)
    assert batch and row, "the fine-tune line or the loop table moved: update this test"
    how_long = readme.split("- How long:", 1)[1].split(" - ", 1)[0]
    assert row.group(1) == batch.group(1)
    assert f"this line's batch of {batch.group(1)} took {row.group(2)} an iteration" in how_long, how_long


def test_each_dead_disk_case_says_its_own_things_under_its_own_bullet() -> None:
    section = _section(_text("docs/saving.md"), "### The disk stops answering (a network drive gone, a USB disk pulled)")
    bullets = {item.split("**", 2)[1]: _flat(item) for item in section.split("\n- ")[1:]}
    assert "starts once the saves under way have ended" in bullets["Export"]  # 955b45c0
    assert "waits two seconds, then closes" in bullets["Export"]  # ee7ca34b
    assert "It starts once" not in bullets["An image resized on disk"]  # a line of Export's, left there by a merge


def test_save_now_with_a_video_open_is_said_as_it_answers() -> None:
    frames = "Each frame's edit is saved as it is made" in _text("app/annotation/save_now.py")  # a3998597
    readme = _flat(_text("README.md"))
    assert ("Save Now (Ctrl+S)" in readme) and (
        ("(with a video open, that each frame's edit is saved as it is made)" in readme) == frames)
