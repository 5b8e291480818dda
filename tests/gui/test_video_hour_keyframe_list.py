"""The Video panel's keyframe list was cleared and filled again at each keyframe toggled (K): with 500
keyframes over an hour, 500 rows made for one change (27 ms on the GUI thread, quadratic over a session of
marking). `VideoPanel.set_keyframes` now inserts or takes the rows that changed. Rows made are counted."""

from __future__ import annotations

from app.video.panel import VideoPanel


def _time_of(frame: int) -> float:
    return frame / 25.0


def _rows(panel: VideoPanel) -> list[tuple[int, str]]:
    items = [panel.keyframe_list.item(i) for i in range(panel.keyframe_list.count())]
    return [(int(item.data(256)), item.text()) for item in items]


def test_one_keyframe_toggled_makes_or_takes_one_row(qtbot, monkeypatch) -> None:  # noqa: ANN001
    panel = VideoPanel()
    qtbot.addWidget(panel)
    keyframes = list(range(0, 90_000, 180))  # 500 over an hour at 25 fps
    panel.set_keyframes(keyframes, _time_of)
    made: list[str] = []
    box = panel.keyframe_list
    for name in ("addItem", "insertItem", "clear"):
        original = getattr(box, name)
        monkeypatch.setattr(box, name, lambda *a, name=name, original=original: made.append(name) or original(*a))
    more = sorted([*keyframes, 12_345])
    panel.set_keyframes(more, _time_of)
    assert made == ["insertItem"]  # before: a clear and 501 addItem
    made.clear()
    panel.set_keyframes([k for k in more if k != 180], _time_of)
    assert made == []  # a row taken, none made
    fresh = VideoPanel()
    qtbot.addWidget(fresh)
    fresh.set_keyframes(sorted(k for k in [*keyframes, 12_345] if k != 180), _time_of)
    assert _rows(panel) == _rows(fresh)  # the same rows, in order, as a list filled afresh


def test_another_video_s_times_fill_the_list_again(qtbot) -> None:  # noqa: ANN001
    panel = VideoPanel()
    qtbot.addWidget(panel)
    panel.set_keyframes([0, 50], _time_of)
    panel.set_keyframes([0, 50, 60], lambda frame: frame / 10.0)
    assert [text.split()[-2] for _, text in _rows(panel)] == ["0.00", "5.00", "6.00"]
