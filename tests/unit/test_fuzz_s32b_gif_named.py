"""A GIF named by the user was read by `fosp predict` (its first frame, the note saying so) but refused by
the app and the library's `collect_image_paths` ("not an image file type (.gif)"), and a folder's GIFs were
left out without a word. Now a named .gif is read everywhere; a folder still does not list its GIFs (the
projects of folders opened before never held them) and hands them to the caller, who says so once."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from fosp_core.io.image_files import is_image_file, is_named_image_file, list_images
from fosp_core.session import collect_image_paths


def _gif(path: Path, frames: int = 3) -> Path:
    images = [Image.new("RGB", (48, 32), (40 * i, 90, 60)).convert("P") for i in range(frames)]
    images[0].save(path, save_all=True, append_images=images[1:], duration=50)
    return path


def test_a_named_gif_is_opened(tmp_path: Path) -> None:
    gif = _gif(tmp_path / "plume.GIF")
    found, errors = collect_image_paths([gif])
    assert errors == [] and found == [gif.resolve()]
    assert is_named_image_file(gif) and not is_image_file(gif)


def test_a_folder_leaves_its_gifs_out_and_names_them(tmp_path: Path) -> None:
    Image.new("RGB", (48, 32)).save(tmp_path / "a.jpg")
    gifs = [_gif(tmp_path / "b.gif"), _gif(tmp_path / "c.gif", frames=1)]
    (tmp_path / ".hidden.gif").write_bytes(gifs[0].read_bytes())
    left_out: list[Path] = []
    found, errors = collect_image_paths([tmp_path], gifs=left_out)
    assert errors == [] and [p.name for p in found] == ["a.jpg"]
    assert [p.name for p in left_out] == ["b.gif", "c.gif"]
    assert [p.name for p in list_images(tmp_path)] == ["a.jpg"]  # a project's listing: unchanged
    assert collect_image_paths([tmp_path])[0] == found  # not asked: as before
