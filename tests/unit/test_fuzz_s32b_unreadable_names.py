"""A file that cannot be read is named with the reason, as `read_image` names it.

- `read_mask` of a file this user may not read said "cannot decode: [Errno 13] Permission denied: '...'"
  (Python's words, the path twice): now "permission denied", as `read_image` and the checkpoint loader.
- `fosp dataset stats` named an unreadable mask by its sample id alone ("  20180706_West...: cannot
  decode: ..."): now by its path, as its unreadable images.
- `fosp project import` said "skipped ID: unreadable image PATH" without the reason: now with
  `read_image`'s ("the file is truncated (incomplete image data)").

Tests run as root, who reads a chmod 000 file: a refused open is simulated (and a real chmod is tried
where the user is not root)."""

from __future__ import annotations

import builtins
import io
import os
import shutil
from pathlib import Path

import pytest

from fosp_core.cli import main
from fosp_core.io.images import ImageReadError, read_image
from fosp_core.io.masks import MaskReadError, read_mask


def _refuse_opening(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real_open = io.open

    def refusing_open(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    monkeypatch.setattr(io, "open", refusing_open)


def _first_mask(demo_dir: Path, tmp_path: Path) -> Path:
    mask = tmp_path / "mask.png"
    shutil.copy(sorted((demo_dir / "SegmentationClass").glob("*.png"))[0], mask)
    return mask


def test_a_mask_this_user_may_not_read_says_permission_denied(demo_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    mask = _first_mask(demo_dir, tmp_path)
    _refuse_opening(monkeypatch, mask)
    with pytest.raises(MaskReadError) as caught:
        read_mask(mask)
    assert caught.value.reason == "permission denied", caught.value
    with pytest.raises(ImageReadError) as as_image:  # the words of the image reader
        read_image(mask)
    assert as_image.value.reason == caught.value.reason


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_a_chmod_000_mask_says_permission_denied(demo_dir: Path, tmp_path: Path) -> None:
    mask = _first_mask(demo_dir, tmp_path)
    mask.chmod(0)
    try:
        with pytest.raises(MaskReadError, match="permission denied$"):
            read_mask(mask)
    finally:
        mask.chmod(0o644)


def test_stats_names_an_unreadable_mask_by_its_path(demo_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    mask = sorted((data / "SegmentationClass").glob("*.png"))[0]
    mask.write_bytes(mask.read_bytes()[:100])  # cut short
    assert main(["dataset", "stats", str(data)]) == 1
    out = capsys.readouterr().out
    listed = out.split("unreadable masks: 1\n", 1)[1].splitlines()[0]
    assert listed.startswith(f"  {mask}: "), out
    assert "cannot decode" in listed, out


def test_import_says_why_an_image_is_unreadable(demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / "cache"))
    images, masks = tmp_path / "images", tmp_path / "masks"
    shutil.copytree(demo_dir / "JPEGImages", images)
    shutil.copytree(demo_dir / "SegmentationClass", masks)
    assert main(["project", "init", str(images)]) == 0
    cut = sorted(images.glob("*.jpg"))[0]
    cut.write_bytes(cut.read_bytes()[:300])  # its header too: no size without decoding
    capsys.readouterr()
    assert main(["project", "import", str(images), str(masks)]) == 1
    out = capsys.readouterr()
    said = [line for line in (out.out + out.err).splitlines() if str(cut) in line]
    assert said and all("the file is truncated (incomplete image data)" in line for line in said), out
