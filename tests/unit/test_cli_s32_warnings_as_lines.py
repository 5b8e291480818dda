"""The library's warnings reached `fosp`'s user as Python prints them: "/usr/bin/fosp:8: NotAMaskWarning:
<text>" and then the line "sys.exit(main())", once for each mask of ``fosp project import`` or ``fosp
dataset stats`` over grayscale photos named as masks. `fosp` now says a fosp_core warning as its other
messages: "warning: <text>", one line each; other warnings are shown as Python shows them."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from PIL import Image

from fosp_core.cli import main


def test_a_photo_read_as_a_mask_is_one_warning_line(demo_dir: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    data = tmp_path / "photos as masks"
    shutil.copytree(demo_dir, data)
    for mask in (data / "SegmentationClass").glob("*.png"):
        photo = data / "JPEGImages" / f"{mask.stem}.jpg"
        Image.open(photo).convert("L").save(mask)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert main(["dataset", "stats", str(data)]) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "looks like a photo" in line]
    assert len(lines) == 4 and all(line.startswith(f"warning: {data / 'SegmentationClass'}") for line in lines), err
    assert "NotAMaskWarning" not in err and "sys.exit" not in err and "main(" not in err


def test_other_warnings_are_left_to_python(monkeypatch: pytest.MonkeyPatch) -> None:
    import fosp_core.cli.info as info

    def noisy(_args: object) -> int:
        warnings.warn("someone else's", DeprecationWarning, stacklevel=1)
        return 0

    monkeypatch.setattr(info, "run", noisy)  # `fosp info` runs it (register reads it when the parser is built)
    with pytest.warns(DeprecationWarning, match="someone else's"):
        assert main(["info"]) == 0
