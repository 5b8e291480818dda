"""`fosp compare FOLDER` and `fosp project init FOLDER` left a folder's GIFs out without a word, as `fosp predict`
did (a folder lists no GIF: `NAMED_ONLY_EXTENSIONS`; the app's open says so, `gifs_left_out`): each says it in
one counted line now."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from fosp_core.cli import main


def _folder(tmp_path: Path, image: bool = True) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    if image:
        cv2.imwrite(str(folder / "a.jpg"), np.full((24, 32, 3), 40, np.uint8))
    Image.fromarray(np.full((16, 16, 3), 90, np.uint8)).save(folder / "plume.gif")
    Image.fromarray(np.full((16, 16, 3), 90, np.uint8)).save(folder / "wisp.gif")
    return folder


def test_compare_says_the_gifs_it_skips(tmp_path: Path, capsys) -> None:
    from tests.tiny_checkpoints import save_tiny_checkpoint

    folder = _folder(tmp_path)  # (a folder of GIFs alone is refused naming them: collect_image_paths' error)
    a = save_tiny_checkpoint(tmp_path / "a.safetensors")
    assert main(["compare", str(a), str(a), str(folder), "--input-size", "64", "--device", "cpu"]) == 0
    err = capsys.readouterr().err
    assert f"note: {folder}: 2 GIFs skipped (plume.gif, wisp.gif): a folder lists no GIF; name one to compare " \
           "on its first frame" in err.splitlines(), err


def test_init_says_the_gifs_a_project_leaves_out(tmp_path: Path, capsys) -> None:
    folder = _folder(tmp_path)
    assert main(["project", "init", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "1 image in" in captured.out, captured.out
    assert f"note: {folder}: 2 GIFs left out of the project (plume.gif, wisp.gif): a project holds no GIF; the app " \
           "opens one by its name (its first frame)" in captured.err.splitlines(), captured.err
