"""``fosp project export`` of one labelled image at the default 0.8 / 0.1 / 0.1 wrote train 1 and no val, without a
word: the fine-tune then has nothing to choose its best weights on (it keeps the last ones). It now warns, in the
words the app's Export dialog says under its split choice (`fosp_core.annotation.export.no_val_words`); the reason
for new splits is the dialog's too (`no_train_reason`). --all-train, which asks for no val, says nothing of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main as fosp

ROOT = Path(__file__).resolve().parents[2]
FIRST = "20180706_West_lp-n-mobo-c__1530902221_+00540"


@pytest.fixture
def one_labelled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/demo (4 images, all listed in val) with one of its masks imported as a correction."""
    photos = tmp_path / "photos"
    shutil.copytree(ROOT / "resources" / "demo", photos)
    (tmp_path / "corrected").mkdir()
    shutil.copy(photos / "SegmentationClass" / f"{FIRST}.png", tmp_path / "corrected")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("FOSP_CACHE", str(tmp_path / "cache"))
    assert fosp(["project", "init", "photos"]) == 0
    assert fosp(["project", "import", "photos", "corrected"]) == 0
    return photos


def test_one_image_exported_warns_that_val_is_empty(one_labelled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fosp_core.annotation.export import no_train_reason, no_val_words

    capsys.readouterr()
    assert fosp(["project", "export", "photos", "out"]) == 0
    captured = capsys.readouterr()
    assert "(train 1; new splits 0.8/0.1/0.1" in captured.out, captured.out
    assert no_train_reason("1 in val") in captured.out, captured.out  # the dialog's reason, word for word
    words = no_val_words(would=False)
    assert words == "val holds no image: the fine-tune will have nothing to choose its best weights on"
    assert f"warning: {words}" in captured.err, captured.err  # was: nothing said
    assert no_val_words(would=True).startswith("val would hold no image")


def test_all_train_asked_for_says_nothing_of_val(one_labelled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert fosp(["project", "export", "photos", "out", "--all-train"]) == 0
    captured = capsys.readouterr()
    assert "(train 1)" in captured.out and "val" not in captured.err, captured


def test_a_val_share_of_zero_warns(one_labelled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert fosp(["project", "export", "photos", "out", "--split", "1,0"]) == 0
    assert "warning: val holds no image" in capsys.readouterr().err
