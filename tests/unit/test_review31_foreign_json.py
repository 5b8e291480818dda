"""Label files from elsewhere (COCO, labelme) given to Import Labels: JSON nested deeper than Python's
reader goes (damaged bytes such as a run of '[') raised RecursionError out of read_foreign - no
ForeignLabelError naming the file, the CLI's import a traceback - the gap f2fc45a closed for the project's
own files. The deep file is now refused as not readable, naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fosp_core.annotation.foreign_labels import read_foreign
from fosp_core.annotation.labelme import read_labelme
from fosp_core.data.datasets import DatasetError


@pytest.mark.parametrize("text", ['{"images": ' + "[" * 100_000, '{"shapes": ' + "[" * 100_000, "[" * 100_000],
                         ids=["coco", "labelme", "bare"])
def test_a_file_nested_too_deep_is_refused_naming_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "labels.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError, match="nested too deeply"):
        read_foreign(path)


def test_a_labelme_file_nested_too_deep_read_alone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"shapes": ' + "[" * 100_000, encoding="utf-8")
    with pytest.raises(DatasetError, match="nested too deeply"):
        read_labelme(path)

