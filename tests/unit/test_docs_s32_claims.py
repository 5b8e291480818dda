"""Session 32's doc claims held to the product they describe (helper D1's read of the README and docs).

Each check reads the product's own words or code as text (no Qt, no model): the name of the Export dialogs'
Replace box, what a killed app's fine-tune does on Windows, which exports ask before the window closes, and
that docs/saving.md does not deny the Save Now that the README's key table (held to the app by
tests/gui/test_readme_shortcuts.py) lists. Text only: well under 1 s."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def _text(relative: str) -> str:
    return (ROOT / relative).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    """`text` with its line breaks and runs of white space as one space (a sentence wrapped anywhere)."""
    return re.sub(r"\s+", " ", text)


def test_the_saving_page_names_save_now_where_the_app_has_it() -> None:
    has_save_now = "| Annotate | Save Now | `Ctrl+S` |" in _text("README.md")
    page = _flat(_text("docs/saving.md"))
    if has_save_now:
        assert "no Save command" not in page, "docs/saving.md says there is no Save command; Annotate has Save Now"
        assert "Save Now** (Ctrl+S)" in page
        full_disk = page[page.index("### The disk is full"):page.index("### The disk reports an I/O error")]
        assert "Save Now" in full_disk, "the full-disk advice does not say that Save Now tries the saves again"


def test_the_replace_box_is_named_as_the_dialogs_show_it() -> None:
    found = re.search(r'^REPLACE_WORDS = "([^"]+)"', _text("app/annotation/export_worker.py"), re.M)
    assert found, "REPLACE_WORDS is no longer a plain string in app/annotation/export_worker.py"
    readme = _flat(_text("README.md"))
    assert f"**{found.group(1)}**" in readme, "the README's Export section names the Replace box otherwise"


def test_a_killed_apps_run_is_said_to_stop_on_windows_too_where_it_watches_its_pipe() -> None:
    watches_stdin = "def _watch_stdin" in _text("fosp_core/train/signals.py")
    killed = next(line for line in _flat(_text("README.md")).split("- ") if line.startswith("If the app is killed"))
    assert ("Windows" in killed) == watches_stdin, killed


def test_only_the_exports_that_ask_before_the_window_closes_are_said_to() -> None:
    video_asks = any(name in _text("app/video/exporting.py") for name in ("confirm_stop", "ExportCloseGuard"))
    readme = _flat(_text("README.md"))
    assert "Closing the window while Export to SmokeSeg runs asks first" in readme
    if not video_asks:
        assert "Closing the window while an export runs asks first" not in readme
        assert "A video's frame export is not asked about" in readme


def test_a_photo_taken_for_a_mask_is_said_in_the_importing_section_where_the_import_names_it() -> None:
    names_it = "looks like a photo" in _text("app/annotation/label_import.py")
    readme = _flat(_text("README.md"))
    section = readme[readme.index("### Importing labels"):readme.index("### Export")]
    assert ("looks like a photo" in section) == names_it



def test_the_announced_status_messages_are_said_to_need_the_qt_that_has_them() -> None:
    guarded = 'getattr(QtGui, "QAccessibleAnnouncementEvent"' in _text("app/annotation/spoken_status.py")
    readme = _flat(_text("README.md"))
    assert "is announced" in readme
    if guarded:
        assert "is announced (with PySide6 6.8 or later" in readme


def test_the_video_frame_names_the_readme_shows_are_the_exports() -> None:
    from fosp_core.video.export import export_stem
    from fosp_core.video.naming import frame_id

    readme = _flat(_text("README.md"))
    line = readme[readme.index("Export chosen frames"):][:300]
    shown = re.findall(r"`([^`]+)\.mp4`(?: gives)? `([^`]+)_(\d{6})`", line)
    assert len(shown) >= 2, "the README shows no exported frame name of a video with a space or a ':'"
    for stem, exported, frame in shown:
        assert frame_id(export_stem(stem), int(frame)) == f"{exported}_{frame}"


def test_the_python_way_to_save_a_reviewed_mask_says_its_import_and_runs(tmp_path: Path) -> None:
    import numpy as np
    from PIL import Image

    readme = _flat(_text("README.md"))
    line = readme[readme.index("keeps its status *predicted*"):][:600]
    found = re.search(r"`(from fosp_core\S* import Project)`", line)
    assert found, "the README's Project.open line does not say where Project comes from"
    namespace: dict[str, object] = {}
    exec(found.group(1), namespace)  # noqa: S102 - the README's own line
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(np.zeros((8, 12, 3), np.uint8)).save(photos / "a.png")
    project_class = namespace["Project"]
    with project_class.open(photos) as p:  # type: ignore[attr-defined]
        image_id = p.ids[0]
        p.save_mask(image_id, np.ones((8, 12), np.uint8), "reviewed")
        assert p.entry(image_id).status.value == "reviewed"


def test_the_compare_grids_key_marks_are_said_where_the_keys_mark_the_pixel() -> None:
    marks = "def set_mark" in _text("app/analysis/grid_key.py")
    readme = _flat(_text("README.md"))
    section = readme[readme.index("### Reading values and scores"):readme.index("### Compare grid and Export View")]
    assert ("keys mark the pixel's value" in section) == marks


def test_save_nows_longest_wait_is_the_apps() -> None:
    found = re.search(r"^SAVE_NOW_WAIT_S = ([\d.]+)", _text("app/annotation/save_now.py"), re.M)
    if found is None:  # no bound: the docs must not give one
        return
    said = f"({float(found.group(1)):g} s at most"
    assert said in _flat(_text("README.md")) and said in _flat(_text("docs/saving.md"))


def test_what_a_summarys_stamp_records_is_what_model_stamp_holds() -> None:
    stamp = _text("fosp_core/annotation/prelabel.py")
    stamp = stamp[stamp.index("class ModelStamp"):][:3000]
    readme = _flat(_text("README.md"))
    said = readme[readme.index("Every summary the model leaves records"):][:400]
    for field, words in (("precision: str", "precision"), ("input: str", "network input"), ("weights: str", "weights")):
        assert (field in stamp) == (words in said), (field, said)


def test_the_saving_page_says_what_becomes_of_frames_under_both_stems() -> None:
    merges = (ROOT / "fosp_core/video/stem_merge.py").exists()
    page = _flat(_text("docs/saving.md"))
    assert ("Frames under both stems (app versions mixed) are merged" in page) == merges
