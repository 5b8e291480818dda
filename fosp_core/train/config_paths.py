"""The path keys of a training config read ``~`` as the command line reads it, once, when the config is loaded.

``data.root=~/data`` (an override: no shell expands a word's middle), ``"~/export"`` in a TOML value, a recipe
file's ``root = "~/data"``: ``~`` and ``~/...`` are the home folder everywhere, ``~user/...`` another user's on
POSIX only (its user database says; Windows' ``expanduser`` reads any ``~name`` as a user beside the current one,
``~1data`` -> ``C:\\Users\\1data``, which no Windows shell does: there it is a folder of that name), as
`fosp_core.cli.expand_home` reads the command line's words. A home that is not here (``~nosuchuser/data``)
is a ConfigError naming the key and where it came from, in `fosp_core.home_folder`'s words
(`fosp_core.train.config.expand_config_paths`, at loading). Keys that are no path (``name=~x``) are left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["MODEL_PATH_KEYS", "ON_POSIX", "SOURCE_PATH_KEYS", "home_path", "is_home_word"]

#: whether ``~user`` names another user's home (POSIX: its user database says); a seam for tests
ON_POSIX = os.name == "posix"
#: the path keys of `model` and of each data source (`data.train.N`, `data.val.N`)
MODEL_PATH_KEYS = ("init_from", "pretrained_backbone", "inpainter")
SOURCE_PATH_KEYS = ("path", "hard_negatives", "hard_positives")


def is_home_word(value: str) -> bool:
    """Whether `value` starts with a home folder: ``~`` alone or before a separator, ``~user`` on POSIX."""
    if not value.startswith("~"):
        return False
    return ON_POSIX or value == "~" or value[1] in "/\\"


def home_path(value: str) -> Path:
    """`value` as a path, its home folder read (:func:`is_home_word`); as typed when that home is not here."""
    if is_home_word(value):
        try:
            return Path(value).expanduser()
        except RuntimeError:  # ~nosuchuser: refused at loading (expand_config_paths); a dict's config as typed
            pass
    return Path(value)
