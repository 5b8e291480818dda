"""Where a folder and a video resume (the image last shown from a folder, the frame last shown from a
video): one store of "last position per path" in QSettings, whose keys and JSON are those earlier versions
wrote, so that a user's saved state still loads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.recent import LAST_IMAGES_KEY, LAST_IMAGES_LIMIT, RecentPaths
from app.video.resume import LAST_FRAMES_KEY, LAST_FRAMES_LIMIT, LastFrames

# written by the version before the store (RecentPaths.set_last_image and LastFrames.remember), as is
SAVED_INI = r'''[recent]
last_images="[[\"/data/fog, day\", \"/data/fog, day/\\u00e9 1.png\"], [\"/data/smoke\", \"/data/smoke/frame_017.jpg\"]]"
paths=/data/smoke

[video]
last_frames="[[\"/data/videos/a.mp4\", 31], [\"/data/videos/b b.mp4\", 0]]"
'''


def _settings(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_state_saved_by_an_earlier_version_loads(tmp_path: Path) -> None:
    ini = tmp_path / "fosp-studio.ini"
    ini.write_text(SAVED_INI, encoding="utf-8")
    settings = _settings(ini)
    recent, frames = RecentPaths(settings), LastFrames(settings)
    assert recent.paths() == [Path("/data/smoke")]
    assert recent.last_image("/data/smoke") == Path("/data/smoke/frame_017.jpg")
    assert recent.last_image(Path("/data/fog, day")) == Path("/data/fog, day/é 1.png")
    assert recent.last_image("/data/elsewhere") is None
    assert frames.frame("/data/videos/a.mp4") == 31 and frames.frame("/data/videos/b b.mp4") == 0
    assert frames.frame("/data/videos/never.mp4") == 0


def test_what_is_written_is_what_earlier_versions_wrote(tmp_path: Path) -> None:
    """The same keys and the same JSON text (an earlier version reads a newer one's state too)."""
    ini = tmp_path / "fosp-studio.ini"
    settings = _settings(ini)
    recent, frames = RecentPaths(settings), LastFrames(settings)
    recent.add("/data/smoke")
    recent.set_last_image("/data/smoke", "/data/smoke/frame_017.jpg")
    recent.set_last_image("/data/fog, day", "/data/fog, day/é 1.png")
    frames.remember("/data/videos/a.mp4", 30)
    frames.remember("/data/videos/b b.mp4", 0)
    frames.remember("/data/videos/a.mp4", 31)
    settings.sync()
    assert ini.read_text(encoding="utf-8") == SAVED_INI
    assert (LAST_IMAGES_KEY, LAST_FRAMES_KEY) == ("recent/last_images", "video/last_frames")


def test_most_recent_first_and_only_the_most_recent_kept(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "s.ini")
    recent, frames = RecentPaths(settings), LastFrames(settings)
    for n in range(LAST_IMAGES_LIMIT + 5):
        recent.set_last_image(f"/f/{n}", f"/f/{n}/img.png")
        frames.remember(f"/v/{n}.mp4", n + 1)
    assert recent.last_image("/f/4") is None and recent.last_image("/f/5") == Path("/f/5/img.png")
    assert frames.frame("/v/4.mp4") == 0 and frames.frame("/v/5.mp4") == 6
    recent.set_last_image("/f/5", "/f/5/other.png")  # again: first, so it outlives the next one added
    frames.remember("/v/5.mp4", 7)
    recent.set_last_image("/f/new", "/f/new/a.png")
    frames.remember("/v/new.mp4", 1)
    assert recent.last_image("/f/5") == Path("/f/5/other.png") and recent.last_image("/f/6") is None
    assert frames.frame("/v/5.mp4") == 7 and frames.frame("/v/6.mp4") == 0
    assert LAST_FRAMES_LIMIT == LAST_IMAGES_LIMIT == 50


def test_a_video_is_known_by_its_resolved_path(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "videos").mkdir()
    (tmp_path / "videos" / "clip.mp4").write_bytes(b"")
    (tmp_path / "link.mp4").symlink_to(tmp_path / "videos" / "clip.mp4")
    monkeypatch.chdir(tmp_path)
    frames = LastFrames(_settings(tmp_path / "s.ini"))
    frames.remember("videos/clip.mp4", 12)
    assert frames.frame(tmp_path / "link.mp4") == 12 and frames.frame(tmp_path / "videos" / "clip.mp4") == 12


def test_damaged_state_starts_afresh(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "s.ini")
    for text in ("not json", "{\"a\": 1}", "[[\"/v/a.mp4\"]]", "[5]", "7", "[[\"/v/a.mp4\", null]]"):
        settings.setValue(LAST_FRAMES_KEY, text)
        settings.setValue(LAST_IMAGES_KEY, text)
        assert LastFrames(settings).frame("/v/a.mp4") == 0
        assert RecentPaths(settings).last_image("/v/a.mp4") is None
    settings.setValue(LAST_FRAMES_KEY, "[[\"/v/a.mp4\", \"x\"]]")
    assert LastFrames(settings).frame("/v/a.mp4") == 0
    settings.setValue(LAST_FRAMES_KEY, "[[\"/v/a.mp4\", 1e400]]")  # JSON reads it as inf: no frame number
    assert LastFrames(settings).frame("/v/a.mp4") == 0
    settings.setValue(LAST_FRAMES_KEY, "[[\"/v/a.mp4\", -3]]")  # a negative frame is the first
    assert LastFrames(settings).frame("/v/a.mp4") == 0
    frames = LastFrames(settings)
    settings.setValue(LAST_FRAMES_KEY, "not json")
    frames.remember("/v/b.mp4", 4)  # written afresh
    assert frames.frame("/v/b.mp4") == 4


def test_clear_recent_forgets_the_folders_images_not_the_videos_frames(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "s.ini")
    recent, frames = RecentPaths(settings), LastFrames(settings)
    recent.add("/f")
    recent.set_last_image("/f", "/f/a.png")
    frames.remember("/v/a.mp4", 9)
    recent.clear()
    assert recent.paths() == [] and recent.last_image("/f") is None
    assert frames.frame("/v/a.mp4") == 9


def test_windows_paths_match_without_regard_to_case(tmp_path: Path, monkeypatch) -> None:
    """On Windows, C:\\Fires\\a.mp4 and c:\\fires\\A.MP4 are one file (RecentPaths compared Path objects,
    which do so there): the store compares paths as the platform does."""
    import ntpath

    import app.last_position as last_position

    monkeypatch.setattr(last_position, "_normcase", ntpath.normcase)
    store = last_position.LastPositions(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                                        "test/positions", 50, int, int)
    store.put("C:\\Fires\\a.mp4", 7)
    assert store.get("c:\\fires\\A.MP4") == 7
    store.put("c:\\fires\\A.MP4", 9)  # the same file: one entry, the newest position
    assert store.get("C:\\Fires\\a.mp4") == 9
