"""`fosp --help` (and a subcommand's --help) import neither OpenCV nor numpy: they did, through
`fosp_core.cli.video` -> `fosp_core.video.splits` -> the `fosp_core.video` package `__init__`, which
imported `reader` (cv2), and through `fosp_core.cli.project`'s top-level annotation imports
(numpy, cv2). The package's names stay importable from it, loaded on first use
(`bench/bench_cli_startup.py`, docs/benchmarks-cli.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Runs each command line (one JSON list per argument) through fosp_core.cli.main in a fresh
#: process and prints the modules of interest imported by then.
_PROBE = """
import json, sys
from fosp_core.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit:  # --help
    pass
print("LOADED", json.dumps({m: m in sys.modules for m in ("cv2", "numpy", "torch", "fosp_core.video.reader")}))
"""


def _loaded(argv: list[str], cwd: Path) -> dict[str, bool]:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(argv)], capture_output=True, text=True,
                          timeout=120, cwd=cwd)
    lines = [line for line in done.stdout.splitlines() if line.startswith("LOADED ")]
    assert done.returncode == 0 and len(lines) == 1, done.stderr[-2000:]
    return json.loads(lines[0].removeprefix("LOADED "))


def test_help_imports_no_cv2_nor_numpy(tmp_path: Path) -> None:
    for argv in (["--help"], ["video", "export", "--help"], ["project", "export", "--help"]):
        loaded = _loaded(argv, tmp_path)
        assert loaded == {"cv2": False, "numpy": False, "torch": False, "fosp_core.video.reader": False}, argv


def test_video_package_names_load_on_first_use(tmp_path: Path) -> None:
    probe = ("import sys\nimport fosp_core.video as video\n"
             "print('BEFORE', 'cv2' in sys.modules)\nfrom fosp_core.video import open_video, VideoMeta\n"
             "from fosp_core.video.reader import open_video as defined\n"
             "print('AFTER', 'cv2' in sys.modules, open_video is defined, set(video.__all__) <= set(dir(video)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.stdout.split() == ["BEFORE", "False", "AFTER", "True", "True", "True"], done.stderr[-2000:]


def test_video_package_names_are_the_readers() -> None:
    import fosp_core.video as video
    from fosp_core.video import reader

    assert all(getattr(video, name) is getattr(reader, name) for name in video.__all__)
    try:
        video.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name was found")


def test_cli_video_defaults_are_the_apps() -> None:
    from fosp_core.cli import video as cli_video
    from fosp_core.video import splits

    assert cli_video.DEFAULT_VIDEO_RATIOS == splits.DEFAULT_VIDEO_RATIOS
    assert cli_video.DEFAULT_GAP_S == splits.DEFAULT_GAP_S
