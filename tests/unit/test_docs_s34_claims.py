"""Claims of the README and Help ▸ Getting Started that session 34's changes made wrong or left unsaid,
each checked against the product (session 34, DOC): Threshold to Mask's status, N going round the
worklist, an edit taking a review off, R on a mask with no smoke, the prediction tools' hint while the
model runs or loads, a SMOKE5K subset's new images joining."""

from __future__ import annotations

from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def _text(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _section(text: str, heading: str) -> str:
    """The text under `heading` (a whole heading line) up to the next heading of any level."""
    after = text.split(f"\n{heading}\n", 1)[1]
    return after.split("\n#", 1)[0]


def _tools_row(name: str) -> str:
    rows = [line for line in _section(_text("README.md"), "### Tools").splitlines() if line.startswith(f"| {name} |")]
    assert len(rows) == 1, f"the README's Tools table has no single row '{name}'"
    return rows[0]


def test_threshold_to_mask_is_said_to_leave_a_model_only_image_predicted_as_it_does() -> None:
    from fosp_core.annotation.cleanup import threshold_to_mask
    from fosp_core.annotation.document import AnnotationDocument, Status

    probability = np.zeros((8, 8), np.float32)
    probability[2:5, 2:5] = 0.9
    unlabelled = AnnotationDocument((8, 8), np.zeros((8, 8), np.uint8), probability)
    assert threshold_to_mask(unlabelled, 0.5)
    edited = AnnotationDocument((8, 8), np.zeros((8, 8), np.uint8), probability, status=Status.EDITED)
    assert threshold_to_mask(edited, 0.5)
    reviewed = AnnotationDocument((8, 8), np.zeros((8, 8), np.uint8), probability, status=Status.REVIEWED)
    assert threshold_to_mask(reviewed, 0.5)
    row = _flat(_tools_row("threshold to mask"))
    assert unlabelled.status == Status.PREDICTED and "the image is *predicted*" in row, row
    assert edited.status == Status.EDITED and "an edited image stays *edited*" in row, row
    assert reviewed.status == Status.EDITED and "a reviewed one becomes *edited*" in row, row
    assert "keeps its status" not in row


def test_next_unreviewed_is_said_to_go_round_and_say_so() -> None:
    from app.annotation.worklist_panel import WENT_ROUND

    worklist = _flat(_section(_text("README.md"), "### Worklist and finding images"))
    assert "back at the start of the worklist" in WENT_ROUND[1]
    assert "goes round to the first" in worklist and "the status bar says so" in worklist


def test_an_edit_on_a_reviewed_image_is_said_to_take_the_review_off_and_say_so() -> None:
    worklist = _flat(_section(_text("README.md"), "### Worklist and finding images"))
    assert "edited, no longer reviewed (R marks it reviewed again)" in _text("app/annotation/controller.py")
    assert "An edit on a reviewed image takes its review off" in worklist
    assert "no longer reviewed" in worklist
    from app.help_menu import getting_started_html

    assert "an edit after that takes the review off" in _flat(getting_started_html())


def test_mark_reviewed_with_no_smoke_is_said_to_export_it_smoke_free() -> None:
    from app.annotation.controller_editing import REVIEWED_SMOKE_FREE

    worklist = _flat(_section(_text("README.md"), "### Worklist and finding images"))
    assert "exported as a smoke-free image" in REVIEWED_SMOKE_FREE
    assert "holds no smoke" in worklist and "exported as a smoke-free image" in worklist


def test_the_prediction_tools_hint_is_said_as_it_reads() -> None:
    hint = _flat(_text("app/annotation/prediction_hint.py"))
    tools = _flat(_section(_text("README.md"), "### Tools"))
    for words in ("the model is running on it", "the model is busy with another image",
                  "the model is still loading", "No prediction for this image yet"):
        assert words in hint, f"the hint no longer says '{words}'"
        assert words in tools, f"the README's Tools section does not say '{words}'"


def test_a_smoke5k_subsets_new_images_are_said_to_join() -> None:
    saving = _flat(_section(_text("README.md"), "### Projects and saving"))
    assert "a SMOKE5K subset's `img/`" in saving
    cli = _flat(_section(_text("README.md"), "### From the command line"))
    assert "images put in its `JPEGImages/` (a SMOKE5K subset's `img/`) join" in cli
    assert "(a SMOKE5K image: the subset it is in)" in cli


def test_a_cancel_or_close_during_a_run_is_said_to_stop_between_tiles() -> None:
    from app.analysis.engine_stop import RunCancelled, between_tiles

    class Tiled:
        tile_progress = None

    predictor = Tiled()
    stopped = False
    with between_tiles(predictor, lambda: True):
        try:
            predictor.tile_progress(1, 49)  # type: ignore[misc]
        except RunCancelled:
            stopped = True
    assert stopped and predictor.tile_progress is None
    dock = _flat(_section(_text("README.md"), "### The Model dock"))
    assert "between two tiles of a tiled image" in dock
    assert "self.hide()" in _text("app/main_window.py"), "the close no longer hides the window before its waits"
    assert "goes from the screen at once" in dock


def test_the_tests_bytecode_compiled_once_is_said_in_docs_testing() -> None:
    assert "compile_once(config, ROOT)" in _text("tests/conftest.py")
    testing = _flat(_text("docs/testing.md"))
    assert "`tests/bytecode_cache.py`" in testing and "PYTHONDONTWRITEBYTECODE" in testing


def test_getting_started_says_the_model_panels_settings_are_kept() -> None:
    kept = _text("app/analysis/panel_kept.py")
    for key in ('"threshold"', '"checkpoint"', '"tau_checkpoint"'):
        assert key in kept, f"the Model panel no longer keeps {key}"
    from app.help_menu import getting_started_html

    assert "are kept for the next session (τ for the model it was set for)" in _flat(getting_started_html())


def test_the_runs_folder_is_said_as_the_commands_help_says(monkeypatch) -> None:
    from fosp_core.paths import RUNS_DIR_WORDS, runs_dir

    monkeypatch.delenv("FOSP_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/x")
    assert runs_dir() == Path("/x/fosp/runs") and "$XDG_CACHE_HOME/fosp/runs" in RUNS_DIR_WORDS
    assert "(`$FOSP_CACHE/runs/` when set, else `$XDG_CACHE_HOME/fosp/runs/`)" in _flat(_text("README.md"))
    assert "(`$FOSP_CACHE/runs` when set, else `$XDG_CACHE_HOME/fosp/runs`)" in _flat(_text("docs/training.md"))


def test_docs_video_lock_says_an_opening_of_a_video_still_saving_is_read_only() -> None:
    from fosp_core.video import folder_lock
    from fosp_core.video.lock_words import still_saving

    assert folder_lock.JOIN_WAIT_S == 10.0, "docs/video-lock.md says ten seconds: say the new wait"
    assert "still being saved" in still_saving(Path("x"))
    lock = _flat(_text("docs/video-lock.md"))
    assert "opens read-only, saying its last edits are still being saved" in lock
    assert "waits ten seconds at most" in lock


def test_the_sessions_new_speed_benches_have_their_rows() -> None:
    speed = _section(_text("README.md"), "## Speed")
    for bench in ("bench/bench_dataset_reopen.py", "bench/bench_window_build.py"):
        assert (ROOT / bench).is_file(), bench
        assert f"`{bench}" in speed, f"no Speed row names {bench}"


def test_the_readme_says_a_dead_disk_exports_close_as_docs_saving_does() -> None:
    from app.annotation import export_dialog

    assert export_dialog.CLOSE_WAIT_S == 2.0, "the README says two seconds: say the new wait"
    assert "quit_leaving_exports" in _text("app/main.py")
    export = _flat(_section(_text("README.md"), "### Export"))
    assert "waits two seconds for it, then closes, and the app quits without that write" in export
