"""What a checkpoint cannot know is said as unknown, never as "held out": images outside the fingerprint of a
fine-tune whose starting weights record no training images (the default weights do not) may be among what
the start trained on; a run resumed from a state saved before fingerprints existed may have trained on
images its data no longer holds; metadata whose "complete" is the string "false" is not complete."""

from __future__ import annotations

import json

from fosp_core.train.trained_images import run_fingerprint
from fosp_core.trained_on import TrainedImages


def test_a_fine_tune_from_an_unrecorded_start_holds_out_nothing_it_did_not_train_on() -> None:
    known = TrainedImages(frozenset({"a" * 16}), True, True)
    assert known.verdict("a" * 16) is True
    assert known.verdict("b" * 16) is None  # the start may have trained on it


def test_a_recorded_complete_fingerprint_still_holds_out() -> None:
    known = TrainedImages(frozenset({"a" * 16}), True, False)
    assert known.verdict("b" * 16) is False


def test_complete_written_as_the_string_false_is_not_complete() -> None:
    text = json.dumps({"hash": "blake2b-8", "n": 1, "complete": "false", "start_unrecorded": "false",
                       "hashes": "a" * 16})
    read = TrainedImages.from_metadata(text)
    assert read.complete is False and read.start_unrecorded is False


def test_a_run_resumed_from_a_state_without_a_fingerprint_is_incomplete(tmp_path) -> None:  # noqa: ANN001
    image = tmp_path / "a.jpg"
    image.write_bytes(b"a photo")

    class _Source:
        image_paths = [image]

    found = run_fingerprint([_Source()], "", None, resumed=True)
    assert found.complete is False  # the part before the resume trained on images not recorded
    assert run_fingerprint([_Source()], "", None).complete is True
