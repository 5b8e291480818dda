"""``--screenshot --run-model --compare PATH`` says why the compare grid was not written, as Export
Compare Grid… does since 0fa78cf (`GridExport.failure`): the command line said only "could not write
PATH" whether its folder could not be made or the PNG writer refused the grid."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.screenshot import run_model_for_screenshot
from tests.gui.tiny_model import INPUT, WAIT_MS, save_tiny_checkpoint


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_tiny_checkpoint(tmp_path_factory.mktemp("models") / "default.safetensors", seed=0)


def test_a_compare_grid_not_written_is_said_with_its_reason(qtbot, make_window, checkpoint, demo_dir,  # noqa: ANN001
                                                           tmp_path) -> None:  # noqa: ANN001
    window = make_window(default_model=checkpoint)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.analysis.worker.set_input_size(INPUT)
    image = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    window.open_paths([image], remember=False)
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=WAIT_MS)
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "grid.png"  # its folder cannot be made: a file is there
    problems = run_model_for_screenshot(window, checkpoint, [], target, WAIT_MS / 1000)
    assert problems == [f"could not write {target}: {window.analysis.grid_export.failure}"], problems
    assert window.analysis.grid_export.failure  # the OS's words ("Not a directory"), not nothing
    assert not target.exists()
