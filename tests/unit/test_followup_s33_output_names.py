"""fosp predict names its outputs after the input files (con.jpg -> masks/con.png): on Windows such a
name (a device's, a ':' ...) fails in the OS's words or writes to the device; it is said before, naming
the file and the rule, and that image fails alone. Elsewhere such a name is a file like any other."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fosp_core import windows_names
from fosp_core.infer.outputs import OutputWriteError, write_prediction
from fosp_core.infer.result import Prediction


def _pred() -> Prediction:
    return Prediction(np.zeros((8, 8), np.float32))


@pytest.mark.parametrize(("image_id", "said"), [("con", "con is a name Windows keeps for a device"),
                                                 ("a:b", "Windows refuses the character ':'")])
def test_an_output_named_so_windows_cannot_hold_it_is_refused_there(tmp_path: Path, image_id: str, said: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(windows_names, "on_windows", lambda: True)
    rgb = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(OutputWriteError) as info:
        write_prediction(tmp_path, image_id, rgb, _pred(), ("mask", "prob"), 0.5)
    assert said in str(info.value) and "input" in str(info.value), str(info.value)
    assert not any(tmp_path.rglob("*.png"))


def test_elsewhere_and_for_plain_names_outputs_are_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rgb = np.zeros((8, 8, 3), np.uint8)
    assert len(write_prediction(tmp_path, "con", rgb, _pred(), ("mask",), 0.5)) == 1  # not Windows: a file
    monkeypatch.setattr(windows_names, "on_windows", lambda: True)
    assert len(write_prediction(tmp_path, "smoke", rgb, _pred(), ("mask", "prob"), 0.5)) == 2
