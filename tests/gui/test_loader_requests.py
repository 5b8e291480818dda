"""What the loader decodes when the user moves on faster than images decode: a full-image request
supersedes the older ones (those not started are dropped, running ones are cancelled), while
every thumbnail asked for is still made. Decodes are stood in by `read_image` wrappers: one
that holds named files until released (a decode that cannot be interrupted, e.g. a slow disk),
one that passes a real huge PNG to the real reader."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import app.loader
from app.loader import ImageLoader, wait_for_decodes
from app.main_window import MainWindow
from fosp_core.io.images import LoadedImage, ReadCancelled, read_image
from tests.big_png import write_big_png

from .conftest import WindowFactory


class HeldDecodes:
    """Records the files decoded, in order; files named hold* wait for `release` first."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.full_images: list[str] = []  # the started reads that were not for a thumbnail
        self.release = threading.Event()

    def __call__(self, path: str | Path, *, min_side: int | None = None, cancelled=None) -> LoadedImage:
        self.started.append(Path(path).name)
        if min_side is None:
            self.full_images.append(Path(path).name)
        if Path(path).name.startswith("hold"):
            assert self.release.wait(10)
        return read_image(path, min_side=min_side, cancelled=cancelled)


class TracedDecodes:
    """The real reader; records the reads started, and the reads cancelled (stopped before the end of
    their decode). A cancelled read ends (returns to the loader) only once `let_cancelled_end` is set,
    as it is unless a test clears it (10 s at most)."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.cancelled: list[str] = []
        self.let_cancelled_end = threading.Event()
        self.let_cancelled_end.set()

    def __call__(self, path: str | Path, *, min_side: int | None = None, cancelled=None) -> LoadedImage:
        self.started.append(Path(path).name)
        try:
            return read_image(path, min_side=min_side, cancelled=cancelled)
        except ReadCancelled:
            self.cancelled.append(Path(path).name)
            self.let_cancelled_end.wait(10)
            raise


@pytest.fixture()
def held(monkeypatch: pytest.MonkeyPatch) -> HeldDecodes:
    stand_in = HeldDecodes()
    monkeypatch.setattr(app.loader, "read_image", stand_in)
    yield stand_in
    stand_in.release.set()
    assert wait_for_decodes(timeout=10)


@pytest.fixture()
def traced(monkeypatch: pytest.MonkeyPatch) -> TracedDecodes:
    stand_in = TracedDecodes()
    monkeypatch.setattr(app.loader, "read_image", stand_in)
    yield stand_in
    stand_in.let_cancelled_end.set()
    assert wait_for_decodes(timeout=20)


@pytest.fixture()
def files(tmp_path: Path, demo_dir: Path) -> dict[str, Path]:
    """hold1.jpg, hold2.jpg (held by HeldDecodes) and a.jpg .. c.jpg, copies of a demo sample."""
    sample = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    return {name: Path(shutil.copy(sample, tmp_path / f"{name}.jpg")) for name in ("hold1", "hold2", "a", "b", "c")}


@pytest.fixture(scope="module")
def big_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 8000 x 8000 PNG that takes seconds to decode."""
    return write_big_png(tmp_path_factory.mktemp("big") / "big.png", 8000, 8000)


@pytest.fixture()
def loader(qtbot) -> ImageLoader:
    loader = ImageLoader()
    yield loader
    loader.shutdown()


def test_only_the_latest_waiting_image_request_is_decoded(qtbot, loader: ImageLoader, held: HeldDecodes,
                                                          files: dict[str, Path]) -> None:
    loaded: list[tuple[int, str]] = []
    loader.image_loaded.connect(lambda request_id, image: loaded.append((request_id, image.path.name)))
    loader.request_image(files["hold1"])  # two older requests that cannot stop at once
    qtbot.waitUntil(lambda: len(held.started) == 1, timeout=5_000)
    loader.request_image(files["hold2"])
    qtbot.waitUntil(lambda: len(held.started) == 2, timeout=5_000)  # both image threads are busy
    loader.request_image(files["a"])  # the user presses Next three times
    loader.request_image(files["b"])
    latest = loader.request_image(files["c"])
    assert loader.pending == 1  # only the image the user is on is still wanted
    with qtbot.waitSignal(loader.idle, timeout=10_000):
        held.release.set()
    assert sorted(held.started) == ["c.jpg", "hold1.jpg", "hold2.jpg"]  # a and b were never decoded
    assert loaded == [(latest, "c.jpg")]  # superseded results are not delivered
    assert loader.pending == 0


def test_the_image_the_user_is_on_starts_at_once_on_a_free_thread(qtbot, loader: ImageLoader, held: HeldDecodes,
                                                                  files: dict[str, Path]) -> None:
    loader.request_image(files["hold1"])  # an old request that cannot be interrupted
    qtbot.waitUntil(lambda: held.started == ["hold1.jpg"], timeout=5_000)
    with qtbot.waitSignal(loader.image_loaded, timeout=5_000) as blocker:
        latest = loader.request_image(files["a"])
    assert blocker.args[0] == latest and blocker.args[1].path == files["a"]


def test_every_thumbnail_asked_for_is_made(qtbot, loader: ImageLoader, held: HeldDecodes,
                                           files: dict[str, Path]) -> None:
    made: list[str] = []
    loader.thumbnail_ready.connect(lambda _id, path, thumbnail: made.append(path.name))
    for path in files.values():
        loader.request_thumbnail(path)
    qtbot.waitUntil(lambda: len(held.started) >= 2, timeout=5_000)
    with qtbot.waitSignal(loader.idle, timeout=10_000):
        held.release.set()
    assert sorted(made) == sorted(p.name for p in files.values())


def test_a_superseded_running_decode_is_cancelled(qtbot, loader: ImageLoader, traced: TracedDecodes,
                                                  big_png: Path, files: dict[str, Path]) -> None:
    loader.request_image(big_png)
    qtbot.waitUntil(lambda: traced.started == ["big.png"], timeout=5_000)
    qtbot.wait(200)  # well into the decode (2-5 s in all)
    with qtbot.waitSignal(loader.image_loaded, timeout=5_000) as blocker:
        latest = loader.request_image(files["a"])
    assert blocker.args[0] == latest
    qtbot.waitUntil(lambda: len(traced.cancelled) == 1, timeout=10_000)
    assert traced.cancelled == ["big.png"]  # stopped in its decode (not finished, then dropped)
    assert loader.pending == 0


def test_shutdown_cancels_running_decodes_and_delivers_nothing(qtbot, traced: TracedDecodes,
                                                               big_png: Path) -> None:
    loader = ImageLoader()
    delivered: list[object] = []
    for signal in (loader.image_loaded, loader.thumbnail_ready, loader.failed, loader.idle):
        signal.connect(lambda *args: delivered.append(args))
    traced.let_cancelled_end.clear()  # the decodes stay running until the test lets them end
    loader.request_image(big_png)
    loader.request_thumbnail(big_png)  # a PNG's thumbnail decodes it in full too
    qtbot.waitUntil(lambda: len(traced.started) == 2, timeout=5_000)
    qtbot.wait(200)
    loader.shutdown()
    assert not wait_for_decodes(timeout=0)  # it returned while its decodes still ran: it waited for none
    traced.let_cancelled_end.set()
    assert wait_for_decodes(timeout=10)
    assert traced.cancelled == ["big.png", "big.png"]  # both stopped in their decode
    qtbot.wait(50)
    assert delivered == [] and loader.pending == 0
    with pytest.raises(RuntimeError, match="after shutdown"):
        loader.request_image(big_png)


def test_pressing_next_over_slow_images_decodes_only_the_one_the_user_stops_at(
    qtbot, make_window: WindowFactory, tmp_path: Path, demo_dir: Path, held: HeldDecodes
) -> None:
    folder = tmp_path / "images"
    folder.mkdir()
    sample = sorted((demo_dir / "JPEGImages").glob("*.jpg"))[0]
    paths = [Path(shutil.copy(sample, folder / f"hold{i}.jpg")) for i in range(1, 6)]
    window: MainWindow = make_window(show=True)
    window.annotation.controller.registry.projects_root = tmp_path / "projects"
    window.video.state_root = tmp_path / "video-state"
    window.open_paths([folder], remember=False)
    qtbot.waitUntil(lambda: held.full_images == ["hold1.jpg"], timeout=5_000)
    window.session.set_current(1)
    qtbot.waitUntil(lambda: held.full_images == ["hold1.jpg", "hold2.jpg"], timeout=5_000)
    for index in (2, 3, 4):  # Next, Next, Next while both image threads are busy
        window.session.set_current(index)
    held.release.set()
    qtbot.waitUntil(lambda: window.session.current_image is not None, timeout=10_000)
    assert window.session.current_image.path == paths[4]
    assert held.full_images == ["hold1.jpg", "hold2.jpg", "hold5.jpg"]  # hold3, hold4: never decoded


def test_unreadable_files_fail_with_their_reason(qtbot, loader: ImageLoader, tmp_path: Path) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / "folder.jpg").mkdir()
    failed: list[tuple[int, str, str]] = []
    loader.failed.connect(lambda request_id, path, reason: failed.append((request_id, path.name, reason)))
    with qtbot.waitSignal(loader.idle, timeout=5_000):
        image = loader.request_image(tmp_path / "empty.jpg")
        thumbnail = loader.request_thumbnail(tmp_path / "folder.jpg")
    assert sorted(failed) == [(image, "empty.jpg", "the file is empty (0 bytes)"),
                              (thumbnail, "folder.jpg", "is a folder, not an image file")]
