"""fosp project export DST is asked for the names Windows cannot hold, as the other commands' typed
destinations are (86b63d4b): on Windows a folder called AUX or holding a ':' is refused before the
project is opened, naming the part."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core import windows_names
from fosp_core.cli import main


def test_a_destination_windows_cannot_make_is_refused_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(windows_names, "on_windows", lambda: True)
    dst = tmp_path / "aux"
    assert main(["project", "export", str(tmp_path / "photos"), str(dst)]) == 2
    err = capsys.readouterr().err
    assert f"error: {dst}: aux: aux is a name Windows keeps for a device" in err, err
    assert not dst.exists()


def test_elsewhere_the_name_is_a_folder_like_any_other(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["project", "export", str(tmp_path / "photos"), str(tmp_path / "aux")])
    assert "Windows" not in capsys.readouterr().err
