"""The last two import circles of fosp_core, ended by moving the shared pieces down (lint-imports guards both
with a `forbidden` contract in pyproject.toml):

- fosp_core.video <-> fosp_core.infer.video: video/errors.py took VideoReadError and video/reader.py took
  VIDEO_EXTENSIONS and is_video_file from the inference's video module, which imports the video package's
  reader. VideoReadError lives in fosp_core.video.errors, the extensions in fosp_core.video.extensions.
- fosp_core.metrics.accumulate <-> fosp_core.metrics.report: the table printer took SPLITS and SplitScores
  from the accumulator, which prints with it. They live in fosp_core.metrics.split_scores.

Every name stays importable where it was, as the same object."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "fosp_core"


def _imported(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return imported | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def test_the_video_package_never_imports_the_inference() -> None:
    offenders = {path.name: sorted(m for m in _imported(path) if m == "fosp_core.infer" or m.startswith("fosp_core.infer."))
                 for path in sorted((CORE / "video").glob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_table_printer_never_imports_the_accumulator() -> None:
    imported = _imported(CORE / "metrics" / "report.py")
    assert "fosp_core.metrics.accumulate" not in imported
    assert "fosp_core.metrics" not in imported  # the package imports the accumulator


def test_the_video_names_stay_where_they_were() -> None:
    from fosp_core import video
    from fosp_core.infer import video as infer_video
    from fosp_core.video import errors, extensions, reader

    assert infer_video.VideoReadError is errors.VideoReadError
    assert issubclass(reader.VideoOpenError, infer_video.VideoReadError)
    assert video.VideoOpenError is errors.VideoOpenError
    assert infer_video.VIDEO_EXTENSIONS is reader.VIDEO_EXTENSIONS is extensions.VIDEO_EXTENSIONS
    assert infer_video.is_video_file is reader.is_video_path is video.is_video_path
    assert infer_video.is_video_file("clip.MP4") and not infer_video.is_video_file("clip.png")
    error = infer_video.VideoReadError("a.mp4", "empty file")
    assert (error.path, error.reason, str(error)) == (Path("a.mp4"), "empty file", "cannot read video a.mp4: empty file")


def test_the_metrics_names_stay_where_they_were() -> None:
    import numpy as np

    from fosp_core import metrics
    from fosp_core.metrics import accumulate, report, split_scores

    assert accumulate.SplitScores is report.SplitScores is metrics.SplitScores is split_scores.SplitScores
    assert accumulate.SPLITS == metrics.SPLITS == ("total", "small", "medium", "large")
    acc = metrics.MetricAccumulator()
    label = np.zeros((8, 8), np.uint8)
    label[2:6, 2:6] = 1
    acc.add(label.astype(np.float32), label)
    assert acc.table() == metrics.format_table(acc.result(), "smokeseg", 0.5)
    assert acc.table().splitlines()[0].startswith("protocol: smokeseg")
