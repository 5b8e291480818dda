"""The `fosp` commands that run no model start without importing torch (every command imported it:
`fosp_core.video` -> `fosp_core.infer.video` -> the `fosp_core.infer` package -> `devices` ->
torch, 1.6-1.9 s of a 0.2-0.3 s command; `bench/bench_cli_startup.py`). The infer package's names
stay importable from it, loaded on first use; `fosp info` reads package versions once a process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from fosp_core.annotation.project import Project
from fosp_core.video.testclip import write_clip
from fosp_core.video.timeline import VideoAnnotations

#: Runs each command line (one JSON list per argument) through fosp_core.cli.main in this one
#: process and prints, after each, its exit code and whether torch had been imported by then.
_RUN = """
import json, sys
from fosp_core.cli import main
for argv in map(json.loads, sys.argv[1:]):
    try:
        code = main(argv)
    except SystemExit as exc:  # --help
        code = exc.code
    print("RESULT", argv[0], argv[1] if len(argv) > 1 else "", code, "torch" in sys.modules)
"""


def _inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A 3-image SMOKE5K-style dataset, the annotation project of its images, a clip with 2 masks."""
    data = tmp_path / "data"
    (data / "img").mkdir(parents=True)
    (data / "gt").mkdir()
    for i in range(3):
        cv2.imwrite(str(data / "img" / f"s{i}.jpg"), np.full((24, 32, 3), 60 * i, np.uint8))
        mask = np.zeros((24, 32), np.uint8)
        mask[4:12, 6:20 + i] = 255
        cv2.imwrite(str(data / "gt" / f"s{i}.png"), mask)
    project = tmp_path / "project"
    Project.open(data / "img", project).close()
    clip = write_clip(tmp_path / "clip.mp4", frames=12, size=(64, 48), fps=12.0)
    notes = VideoAnnotations(clip, 12, (48, 64))
    mask = np.zeros(notes.shape, np.uint8)
    mask[10:30, 20:50] = 1
    for frame in (0, 6):
        notes.save_mask(frame, mask)
    return data, project, clip


def test_commands_without_a_model_do_not_import_torch(tmp_path: Path) -> None:
    import json

    data, project, clip = _inputs(tmp_path)
    commands = [
        ["--help"],
        ["dataset", "stats", str(data)],
        ["dataset", "convert", str(data), str(tmp_path / "conv")],
        ["project", "status", str(project)],
        ["video", "export", str(clip), str(tmp_path / "vid"), "--frames", "edited", "--all-train"],
    ]
    done = subprocess.run([sys.executable, "-c", _RUN, *map(json.dumps, commands)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    results = [line.split()[1:] for line in done.stdout.splitlines() if line.startswith("RESULT")]
    assert done.returncode == 0 and len(results) == len(commands), done.stderr[-2000:]
    for (*name, code, torch_loaded), argv in zip(results, commands, strict=True):
        assert code == "0", (argv, done.stderr[-2000:])
        assert torch_loaded == "False", f"fosp {' '.join(name)} imported torch"
    assert (tmp_path / "conv" / "JPEGImages" / "s2.jpg").is_file()  # the commands did their work
    assert len(list((tmp_path / "vid" / "JPEGImages").iterdir())) == 2


def test_infer_package_names_still_import_from_it() -> None:
    import fosp_core.infer as infer
    from fosp_core.infer import Predictor
    from fosp_core.infer.predictor import Predictor as defined

    assert Predictor is defined
    assert all(getattr(infer, name) is not None for name in infer.__all__)
    assert set(infer.__all__) <= set(dir(infer))


def test_package_versions_are_read_once_a_process(monkeypatch) -> None:  # noqa: ANN001
    from importlib import metadata

    from fosp_core.cli.info import collect_info

    first = collect_info()["packages"]
    calls: list[str] = []
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda dist: calls.append(dist) or real(dist))
    assert collect_info()["packages"] == first and first["numpy"] == np.__version__
    assert calls == []  # the next window's device list reads no package metadata again (was 8 reads)
