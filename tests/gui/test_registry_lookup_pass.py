"""`ProjectRegistry.lookup_pass` / `lookup_many`: many paths looked up with each folder resolved once
for the pass (Compare's refresh on 1000 images made ~7 file-system calls per image in `lookup`), with
the answers `lookup` gives: through a linked folder, a linked file, a project's images moved, a
folder without a project. Counted file-system calls, not time (bench/bench_compare_refresh.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.annotation.projects import ProjectRegistry
from app.training.compare_dialog import CompareDialog
from fosp_core.analysis.settings import AnalysisSettings
from tests.stat_count import counted_stats

N = 30


@pytest.fixture()
def registry(tmp_path: Path) -> Iterator[ProjectRegistry]:
    registry = ProjectRegistry(tmp_path / "projects")
    yield registry
    registry.close()


def _folder(folder: Path, stem: str) -> list[Path]:
    folder.mkdir(parents=True)
    for i in range(N):
        (folder / f"{stem}{i}.png").touch()
    return sorted(folder.iterdir())


def _layout(root: Path, registry: ProjectRegistry) -> list[Path]:
    """Two projects deep under `root`, looked at through a link to their parent; a folder without a
    project holding a link to an image of one; a folder of images that moved after its project opened."""
    deep = root / "share" / "team" / "smoke" / "2026"
    a, b, gone = _folder(deep / "a", "a"), _folder(deep / "b", "b"), _folder(deep / "gone", "g")
    registry.open_for([a[0], b[0], gone[0]])
    assert len(registry.projects) == 3, [o.error for o in registry.open_for([a[0], b[0], gone[0]])]
    (deep / "gone").rename(deep / "moved")
    loose = root / "loose"
    _folder(loose, "x")
    (loose / "to_b0.png").symlink_to(b[0])
    (root / "link").symlink_to(deep, target_is_directory=True)
    via_link = [root / "link" / p.parent.name / p.name for p in a + b]
    return (via_link + a[:3] + sorted(loose.iterdir()) + gone[:3] + [deep / "moved" / "g0.png"]
            + [deep / "a" / "nothing.png", root / "link" / "a" / ".." / "b" / "b1.png"])


def test_lookup_many_answers_as_lookup_with_a_call_per_path(
        tmp_path: Path, registry: ProjectRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _layout(tmp_path, registry)
    one_by_one, per_path = counted_stats(monkeypatch, lambda: [registry.lookup(p) for p in paths])
    many, in_pass = counted_stats(monkeypatch, lambda: registry.lookup_many(paths))
    assert many == one_by_one
    ids = [None if found is None else (registry.projects.index(found[0]), found[1]) for found in many]
    assert ids[:2 * N] == [(0, f"a{i}") for i in sorted(range(N), key=str)] + [
        (1, f"b{i}") for i in sorted(range(N), key=str)]
    assert ids[2 * N:] == ([(0, "a0"), (0, "a1"), (0, "a10")] + [(1, "b0")] + [None] * N  # loose: no project
                           + [(2, "g0"), (2, "g1"), (2, "g10")] + [None, None, (1, "b1")])
    # one lstat per path (a link?) and a few per folder; before, every path's folder walked anew
    # each of the 8 folders walked once, a call or two per component of its (tmp) path: pytest-xdist's
    # popen-gwN adds a level, and a fixed +100 failed in the clean-clone run (204 calls, 100 paths)
    per_folder = 2 * (len(tmp_path.parts) + 3)
    assert in_pass <= len(paths) + 8 * per_folder, (in_pass, len(paths), per_path)
    assert 4 * in_pass < per_path, (in_pass, per_path)
    assert per_path > 5 * len(paths), per_path


def test_a_pass_resolves_folders_when_made_not_when_the_registry_was(
        tmp_path: Path, registry: ProjectRegistry) -> None:
    paths = _layout(tmp_path, registry)
    b0 = registry.lookup(paths[N])
    assert b0 is not None and b0[1] == "b0"
    (tmp_path / "link").unlink()
    (tmp_path / "link").symlink_to(tmp_path / "loose", target_is_directory=True)
    relinked = [tmp_path / "link" / "a" / "a0.png", tmp_path / "link" / "to_b0.png"]
    assert registry.lookup_many(relinked) == [registry.lookup(p) for p in relinked] == [None, b0]


def test_compare_refresh_with_the_pass_lookup_makes_a_call_or_two_per_image(
        qtbot, tmp_path: Path, registry: ProjectRegistry, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    paths = _layout(tmp_path, registry)[:2 * N]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = CompareDialog(settings, AnalysisSettings(device="cpu"), lambda: paths,
                           projects=registry.lookup, project_pass=registry.lookup_pass)
    qtbot.addWidget(dialog)
    try:
        before = dialog.status.text()
        _, calls = counted_stats(monkeypatch, dialog.refresh)
        assert dialog.status.text() == before
        assert before.startswith(f"{2 * N} images open, 0 with a ground truth"), before
        assert calls <= 2 * len(paths) + 40, (calls, len(paths))
    finally:
        dialog.shutdown()
