"""Making a project without waste: a new project is kept as made (not read back from the file it
just wrote) and equals the same project reopened; a folder already listed is not listed again;
``project.json`` is written and read through fast paths that give exactly what the plain json
encoder and the field-by-field checks give."""

from __future__ import annotations

import json
import math
import os
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fosp_core.annotation import entries as entries_module
from fosp_core.annotation.document import Status
from fosp_core.annotation.entries import (
    ImageEntry,
    ProjectFormatError,
    check_entries,
    dump_change,
    dump_project,
    parse_project,
)
from fosp_core.annotation.labels import first_free, listed_names, read_source, unique_ids
from fosp_core.annotation.project import Project
from fosp_core.io.images import list_image_names, list_images
from fosp_core.session import collect_image_paths


def _same_as_reopened(project: Project) -> None:
    """`project`, as Project.open made it, equals the same project read from its files."""
    made = (project.header, [_fields(e) for e in project.entries], project.images_root, project.ids)
    project.close()
    with Project.open(project.folder) as again:
        assert (again.header, [_fields(e) for e in again.entries], again.images_root, again.ids) == made


def _fields(entry: ImageEntry) -> tuple:
    return (entry.id, entry.image, entry.status, type(entry.status), entry.updated, entry.label, entry.split,
            entry.size, entry.smoke_ratio, entry.prediction, entry.extra)


@pytest.fixture()
def photos(demo_dir: Path, tmp_path: Path) -> Path:
    """A plain folder of the demo's real photos, with names that share a stem (ids get the
    extension) and one in another script."""
    folder = tmp_path / "photos"
    shutil.copytree(demo_dir / "JPEGImages", folder)
    first = sorted(folder.iterdir())[0]
    shutil.copy(first, folder / "shared.jpg")
    shutil.copy(first, folder / "Shared.png")
    shutil.copy(first, folder / "shared.jpeg")
    shutil.copy(first, folder / "дым «1».jpg")
    (folder / ".hidden.jpg").write_bytes(first.read_bytes())
    (folder / "notes.txt").write_text("not an image")
    return folder


def test_a_new_dataset_project_equals_it_reopened(demo_dir: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "demo"
    shutil.copytree(demo_dir, dataset)
    project = Project.open(dataset)
    assert len(project.ids) == 4 and all(e.split == "val" and e.label for e in project.entries)
    _same_as_reopened(project)


@pytest.mark.parametrize("listed", [False, True])
def test_a_new_folder_project_equals_it_reopened(photos: Path, tmp_path: Path, listed: bool) -> None:
    found, _ = collect_image_paths([photos])
    project = Project.open(photos, tmp_path / "p", images=found if listed else None)
    assert {"shared_jpg", "Shared_png", "shared_jpeg", "дым «1»"} <= set(project.ids)
    assert len(project.ids) == 4 + 4
    _same_as_reopened(project)


def test_a_journal_beside_a_new_project_file_is_applied_as_on_reopening(photos: Path, tmp_path: Path) -> None:
    location = tmp_path / "p"
    with Project.open(photos, location) as project:
        image_id = project.ids[2]
    (location / "project.json").unlink()  # deleted by hand; the journal of generation 0 stays
    edited = ImageEntry(image_id, project.entry(image_id).image, Status.REVIEWED, 5.0)
    (location / "changes.jsonl").write_bytes(dump_change(edited, 0))
    again = Project.open(photos, location)
    assert again.entry(image_id).status == Status.REVIEWED
    _same_as_reopened(again)


def test_a_listing_is_taken_instead_of_listing_again(photos: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    listed_by_project = Project.open(photos, tmp_path / "a")
    found, _ = collect_image_paths([photos])
    import fosp_core.annotation.labels as labels

    def no_listing(folder: object) -> list[str]:
        raise AssertionError("the folder was listed again")

    monkeypatch.setattr(labels, "list_image_names", no_listing)
    given = Project.open(photos, tmp_path / "b", images=found)
    assert [(e.id, e.image) for e in given.entries] == [(e.id, e.image) for e in listed_by_project.entries]
    given.close()
    listed_by_project.close()


def test_a_listing_with_a_file_linked_from_elsewhere_is_not_taken(photos: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "target.jpg"
    shutil.copy(sorted(photos.glob("2*.jpg"))[0], target)
    try:
        (photos / "linked.jpg").symlink_to(target)
    except OSError:
        pytest.skip("no symbolic links here")
    found, _ = collect_image_paths([photos])
    assert Path(os.path.realpath(target)) in found  # listed resolved: its own name is not in the listing
    assert listed_names(photos, found) is None
    with Project.open(photos, tmp_path / "p", images=found) as project:
        assert "linked.jpg" in [e.image for e in project.entries]  # the folder was listed
        assert [e.image for e in project.entries] == list_image_names(photos)


def test_a_listing_of_another_folder_is_not_taken(demo_dir: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "demo"
    shutil.copytree(demo_dir, dataset)
    found, _ = collect_image_paths([dataset])  # the images of JPEGImages/
    assert listed_names(dataset, found) is None
    assert read_source(dataset, found) == read_source(dataset)


def test_listed_names_takes_resolved_or_given_paths(photos: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(photos, target_is_directory=True)
    names = list_image_names(link)
    assert listed_names(link, list_images(link)) == names
    assert listed_names(link, list_images(link, resolve=True)) == names
    assert listed_names(link, [str(p) for p in list_images(link)]) == names


def test_list_image_names_are_those_of_list_images(photos: Path) -> None:
    assert list_image_names(photos) == [p.name for p in list_images(photos)]
    assert ".hidden.jpg" not in list_image_names(photos) and "notes.txt" not in list_image_names(photos)


def _unique_ids_before(names: list[str]) -> list[str]:
    """unique_ids as it was, with os.path.splitext and one pass per name."""
    stems = [os.path.splitext(name)[0] for name in names]
    counts = Counter(stem.casefold() for stem in stems)
    taken = {stem.casefold() for stem in stems if counts[stem.casefold()] == 1}
    ids = []
    for name, stem in zip(names, stems, strict=True):
        if counts[stem.casefold()] == 1:
            ids.append(stem)
            continue
        ids.append(first_free(f"{stem}_{os.path.splitext(name)[1].lstrip('.')}", taken, str.casefold))
    return ids


def test_unique_ids_as_before() -> None:
    rnd = random.Random(7)
    odd = ["a.jpg", "A.png", "a.JPG", ".jpg", "..jpg", "...b.png", ".c.jpg", "d..jpg", "e.f.jpg", "e.F.png",
           "e_jpg.png", "noext", "x.", "Ü.jpg", "ü.png"]
    names = odd + ["".join(rnd.choice("aA.b_") for _ in range(rnd.randint(1, 6))) + ".jpg" for _ in range(3000)]
    assert unique_ids(names) == _unique_ids_before(names)
    assert unique_ids(odd[:1] + ["b.jpg"]) == ["a", "b"]


def test_check_entries_refuses_what_reading_back_would() -> None:
    path = Path("project.json")
    check_entries([ImageEntry("a", "a.jpg"), ImageEntry("b", "b.jpg")], path)
    with pytest.raises(ProjectFormatError) as info:
        check_entries([ImageEntry("a", "a.jpg"), ImageEntry("A", "A.jpg"), ImageEntry("a", "a.png")], path)
    assert info.value.field == "images[2].id"
    with pytest.raises(ProjectFormatError) as info:
        check_entries([ImageEntry("a", "a.jpg"), ImageEntry("b", "")], path)
    assert info.value.field == "images[1].image"


# --- project.json: the fast writer and reader against the plain ones -------------------------------------

def _dump_before(header: dict[str, Any], entries: list[ImageEntry]) -> bytes:
    """dump_project as it was: one json encoder call per image."""
    data = dict(header)
    data.pop("images", None)
    data["format"], data["version"] = "fosp-project", max(int(header.get("version", 1)), 1)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    lines = [f" {encode(key)}: {encode(value)}," for key, value in data.items()]
    images = ",\n".join(f"  {encode(e.to_json())}" for e in entries)
    lines.append(f' "images": [\n{images}\n ]' if entries else ' "images": []')
    return ("{\n" + "\n".join(lines) + "\n}\n").encode("utf-8")


class _Float(float):
    pass


def _varied_entries() -> list[ImageEntry]:
    rnd = random.Random(3)
    texts = ["a", "a b.jpg", 'quote"s.jpg', "back\\slash.jpg", "tab\t.jpg", "ctl\x01\x1f.jpg", "дым.jpg", "雾.png",
             "emoji 🔥.jpg", "line\nbreak.jpg", "\u2028sep.jpg", "sub/dir/x.jpg"]
    numbers: list[Any] = [None, 0.0, -0.0, 1.0, 0.1, 1e-7, 1e21, 123456789.123456, 1712345679.5, 3, 0, -2,
                          math.nan, math.inf, -math.inf, _Float(0.25), True]
    sizes: list[Any] = [None, (480, 640), (1, 1), (True, 3), [4, 5], ()]
    predictions: list[Any] = [None, {}, {"threshold": 0.5, "uncertainty": 0.031, "error_vs_label": None},
                              {"nested": {"a": [1, 2.5, "x"]}, "n": math.nan}]
    extras: list[dict[str, Any]] = [{}, {}, {}, {"reviewer": "ana"}, {"z": [1, {"q": None}], "a": 1.5}]
    out = []
    for i in range(600):
        entry = ImageEntry(f"{rnd.choice(texts)}-{i}", rnd.choice(texts), rnd.choice(list(Status)),
                           rnd.choice(numbers), rnd.choice([None, *texts]), rnd.choice([None, "train", "val"]),
                           rnd.choice(sizes), rnd.choice(numbers), rnd.choice(predictions), dict(rnd.choice(extras)))
        out.append(entry)
    out.append(ImageEntry("plain", "plain.jpg"))
    return out


def test_dump_project_writes_the_bytes_it_always_wrote() -> None:
    header = {"format": "fosp-project", "version": 1, "images_root": "..", "journal": 3,
              "source": {"kind": "folder", "path": "/data/дым"}, "created": 1.5, "updated": 2.0, "future": [1]}
    entries = _varied_entries()
    assert dump_project(header, entries) == _dump_before(header, entries)
    assert dump_project(header, []) == _dump_before(header, [])


def test_dump_project_of_fresh_entries_needs_no_encoder_call_per_image(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [ImageEntry(f"img{i}", f"img{i}.jpg", label=None if i % 2 else f"gt/img{i}.png") for i in range(50)]
    expected = _dump_before({"images_root": ".."}, entries)
    calls = []
    encode = entries_module._encode
    monkeypatch.setattr(entries_module, "_encode", lambda value: calls.append(value) or encode(value))
    assert dump_project({"images_root": ".."}, entries) == expected
    assert not any(isinstance(value, dict) and "id" in value for value in calls)


def test_parse_project_reads_back_what_dump_project_wrote(tmp_path: Path) -> None:
    entries = [e for e in _varied_entries() if not _has_non_finite(e)]
    for e in entries:  # what a valid file holds: sizes (H, W) or null, numbers (no booleans) or null
        e.size = (e.size[0], e.size[1]) if e.size else None
        e.updated = None if isinstance(e.updated, bool) else e.updated
        e.smoke_ratio = None if isinstance(e.smoke_ratio, bool) else e.smoke_ratio
    path = tmp_path / "project.json"
    path.write_bytes(dump_project({"images_root": ".."}, entries))
    _, read = parse_project(path)
    assert [_fields(e) for e in read] == [_fields(_as_read(e)) for e in entries]


def _has_non_finite(entry: ImageEntry) -> bool:
    text = json.dumps(entry.to_json())
    return "NaN" in text or "Infinity" in text


def _as_read(entry: ImageEntry) -> ImageEntry:
    """The entry as json brings it back (a float subclass as float, a bool as a bool)."""
    raw = json.loads(json.dumps(entry.to_json()))
    return entries_module._parse_checked(raw, 0, Path("x"))


def test_the_fast_entry_reader_agrees_with_the_field_by_field_one() -> None:
    rnd = random.Random(11)
    values: list[Any] = [None, "", "x", "x.jpg", 0, 1, -1, 2.5, True, False, [], [3, 4], [0, 4], [True, 2],
                         [3, 4, 5], [3.0, 4], {}, {"a": 1}, "unlabeled", "edited", "reviewed", "done",
                         math.nan]
    keys = ["id", "image", "status", "updated", "label", "split", "size", "smoke_ratio", "prediction", "extra1"]
    agreed = 0
    for _ in range(4000):
        raw: dict[str, Any] = {"id": "a", "image": "a.jpg"}
        for key in rnd.sample(keys, rnd.randint(0, 4)):
            if rnd.random() < 0.2:
                raw.pop(key, None)
            else:
                raw[key] = rnd.choice(values)
        try:
            checked = entries_module._parse_checked(raw, 0, Path("x"))
        except ProjectFormatError:
            checked = None
        fast = entries_module._parse_plain(raw)
        if fast is not None:  # what the fast path takes, the careful one takes, the same
            assert checked is not None and _fields(fast) == _fields(checked), raw
            agreed += 1
    assert agreed > 500
    assert entries_module._parse_plain(["not", "a", "dict"]) is None
