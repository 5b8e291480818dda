"""(R's review, session 37; failed before the fix.) A SmokeSeg dataset's images folder opened itself
(File ▸ Open Folder… on <dataset>/JPEGImages, or `python main.py <dataset>/JPEGImages`) made a project of its own,
beside the dataset's: the masks painted when the dataset (or one of its images alone) was opened were not there
("Opened 4 images", every image unlabelled), and that project knew no dataset labels (the worklist's Error vs label
had nothing to sort by, no "dataset label only" words) while the metrics box scored the same images against them.
README: an image of a SmokeSeg JPEGImages/ belongs to its dataset's project, "one project whichever way the dataset
is opened". Suggested fix: app.annotation.projects.project_source sends a folder named JPEGImages whose parent is a
SmokeSeg dataset (SegmentationClass/ beside it) to that parent, as fosp_core.annotation.source_choice.image_source
does for an image in it (keeping a JPEGImages project that holds work, as image_source keeps a SMOKE5K img/ one)."""

from __future__ import annotations

from pathlib import Path

from tests.gui.annotation_helpers import copy_demo, drag, key, open_and_wait


def test_the_images_folder_opens_the_datasets_project(qtbot, make_window, demo_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                      monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    demo = copy_demo(demo_dir, tmp_path / "demo")
    first = make_window(show=True)
    first.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, first, demo)  # the dataset
    key(first, "B")
    drag(first, [(100, 100), (200, 150)])
    painted = int((first.annotation.controller.document.mask == 1).sum())
    assert painted
    first.close()

    second = make_window(show=True)
    second.annotation.controller.registry.projects_root = tmp_path / "projects"
    open_and_wait(qtbot, second, demo / "JPEGImages")  # the same images, by their folder
    controller = second.annotation.controller
    assert int((controller.document.mask == 1).sum()) == painted  # HEAD: 0, status unlabeled (another project)
    assert controller.project.entry(controller.project.ids[0]).label is not None  # HEAD: None (no dataset labels)


def test_loose_s37_the_images_folder_is_sent_to_its_dataset_on_the_open_worker(
        qtbot, make_window, demo_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Which project the images folder belongs to (`folder_source`: a project made for it before, its work) is looked
    at where the open's other looks are, on its worker (`ProjectRegistry.look`, ``pending``), never on the GUI
    thread as the open is applied: a share that stops answering holds the worker, the window turns."""
    from pathlib import Path as _Path

    from tests.gui.test_stall_s36_open_slow_share import HELD_S, Share, _turns_while_held

    share = Share(tmp_path / "share", HELD_S)
    try:
        demo = copy_demo(demo_dir, tmp_path / "share" / "demo")
        window = make_window(show=True)
        registry = window.annotation.controller.registry
        registry.projects_root = tmp_path / "projects"  # outside the share
        for name in ("resolve", "is_dir", "exists", "is_file"):
            monkeypatch.setattr(_Path, name, share.hold(name, getattr(_Path, name), lambda path, *_: path))
        assert window.open_paths([demo / "JPEGImages"], remember=True) == []  # the open goes on on the worker
        qtbot.waitUntil(share.stuck.is_set, timeout=10_000)
        _turns_while_held(qtbot, share)
        with qtbot.waitSignal(window.opener.opened, timeout=30_000):
            share.released.set()
        assert share.on_gui() == {}, share.on_gui()
        assert [opened.source for opened in (registry.opened(p) for p in registry.projects) if opened] == [demo]
    finally:
        share.released.set()
