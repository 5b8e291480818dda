"""Small truths of the words (helper Z1, session 32): a count of one in the prelabel line, the Getting
Started page naming the Model panel's button as it reads, the Export dialogs' Replace box saying what
it replaces, `fosp project --help` naming every exit 1, the photo warning's sentence after its ';'."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from fosp_core.annotation.project import Project
from fosp_core.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _text(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


def test_nothing_to_prelabel_with_one_image_says_it_in_the_singular(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    photos = _one_masked_image(tmp_path)
    assert main(["project", "prelabel", str(photos)]) == 3  # nothing to do (session 36: it was 0)
    out = capsys.readouterr().out
    assert "1 images" not in out, out
    assert "nothing to pre-label: the 1 image has a mask already" in out, out


def _one_masked_image(tmp_path: Path) -> Path:
    photos = tmp_path / "photos"
    photos.mkdir()
    Image.fromarray(np.zeros((8, 12, 3), np.uint8)).save(photos / "a.png")
    with Project.open(photos) as project:
        project.save_mask(project.ids[0], np.ones((8, 12), np.uint8), "edited")
    return photos


def test_with_nothing_to_prelabel_a_text_file_as_checkpoint_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.safetensors"
    notes.write_text("best run: 3\n", encoding="utf-8")
    assert main(["project", "prelabel", str(_one_masked_image(tmp_path)), "--checkpoint", str(notes)]) == 2
    captured = capsys.readouterr()
    assert "nothing to pre-label" not in captured.out and "notes.safetensors" in captured.err, captured


def test_with_nothing_to_prelabel_a_good_checkpoint_is_done(tmp_path: Path, tiny_checkpoint_file: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["project", "prelabel", str(_one_masked_image(tmp_path)), "--checkpoint",
                 str(tiny_checkpoint_file)]) == 3  # nothing to do, the checkpoint good (session 36: it was 0)
    assert "nothing to pre-label: the 1 image has a mask already" in capsys.readouterr().out


def test_getting_started_names_the_model_panels_button_as_it_reads() -> None:
    panel = _text("app/analysis/model_panel.py")
    one = re.search(r'self\.run_button = QPushButton\(icon\("[^"]+"\), "([^"]+)"\)', panel)
    every = re.search(r'self\.run_all_button = QPushButton\(icon\("[^"]+"\), "([^"]+)"\)', panel)
    assert one and every, "the Model panel's run buttons are no longer made as they were"
    page = re.sub(r"\s+", " ", _text("app/help_menu.py"))
    assert (f"In the Model panel on the right, press <b>{one.group(1)}</b> (Ctrl+R), "
            f"or <b>{every.group(1)}</b> (Ctrl+Shift+R)") in page


def test_the_replace_box_says_only_an_earlier_export_is_replaced() -> None:
    from app.annotation.export_worker import REPLACE_WORDS

    assert "not empty" not in REPLACE_WORDS and "earlier export" in REPLACE_WORDS, REPLACE_WORDS


def test_project_help_names_a_destination_holding_other_files_as_exit_1(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["project", "--help"])
    text = re.sub(r"\s+", " ", capsys.readouterr().out)
    one = text[text.index("0 done, 1 "):text.index(" 2 usage")]
    assert "other files" in one, one


def test_the_photo_warning_goes_on_in_lower_case_after_its_semicolon(tmp_path: Path) -> None:
    from fosp_core.io.masks import read_mask

    rng = np.random.default_rng(0)
    photo = tmp_path / "photo.png"
    Image.fromarray(rng.integers(40, 220, (32, 32), dtype=np.uint8)).save(photo)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read_mask(photo)
    texts = [str(w.message) for w in caught if "looks like a photo" in str(w.message)]
    assert texts, [str(w.message) for w in caught]
    assert not re.search(r"; [A-Z]", texts[0]), texts[0]
    assert "fosp_core.read_image; a mask file is a PNG" in texts[0]
