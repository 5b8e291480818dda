"""`prelabel_words.nothing_words` said "1 of them was made by a model only ... replaces those" of a project of a
single image ("the 1 image has a mask already; 1 of them ..."), and "replaces those" of one mask among many."""

from __future__ import annotations

from fosp_core.annotation.prelabel import PrelabelCounts
from fosp_core.annotation.prelabel_words import images, new_and_replaced, nothing_words


def test_the_only_image_is_it() -> None:
    assert nothing_words(PrelabelCounts(new=0, predicted=1, total=1), "--replace-predicted") == \
        "; it was made by a model only (status predicted): --replace-predicted replaces it with this model's"


def test_one_of_several_is_that_one() -> None:
    assert nothing_words(PrelabelCounts(new=0, predicted=1, total=5), "--replace-predicted") == \
        "; 1 of them was made by a model only (status predicted): --replace-predicted replaces that one with this model's"


def test_several_and_all() -> None:
    assert nothing_words(PrelabelCounts(new=0, predicted=3, total=5), "X") == \
        "; 3 of them were made by a model only (status predicted): X replaces those with this model's"
    assert nothing_words(PrelabelCounts(new=0, predicted=2, total=2), "X") == \
        "; both were made by a model only (status predicted): X replaces them with this model's"
    assert nothing_words(PrelabelCounts(new=0, predicted=4, total=4), "X") == \
        "; all 4 were made by a model only (status predicted): X replaces them with this model's"
    assert nothing_words(PrelabelCounts(new=0, predicted=0, total=4), "X") == ""


def test_the_counts_words() -> None:
    assert (images(1), images(0), images(2)) == ("1 image", "0 images", "2 images")
    assert new_and_replaced(1, 1) == "1 new, 1 replaced"
