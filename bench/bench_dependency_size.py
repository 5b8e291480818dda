"""Download and install size of PySide6-Essentials against the full PySide6 (the README's "Why these
dependencies").

    pip download --no-deps PySide6-Essentials==6.11.3 PySide6-Addons==6.11.3 shiboken6==6.11.3 -d WHEELS
    python bench/bench_dependency_size.py WHEELS

The full `PySide6` package is a metapackage that installs PySide6-Essentials and PySide6-Addons (and
shiboken6, which Essentials needs too). For each wheel in WHEELS: its download size (the .whl) and its
install size (the sum of the uncompressed sizes of its files: what pip unpacks, before .pyc files);
then Essentials (with shiboken6) as a share of the full set. MB = 10^6 bytes. With no WHEELS given,
the install size of the installed Essentials and shiboken6 (their RECORD files) is printed alone.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from importlib import metadata
from pathlib import Path

ESSENTIAL = ("pyside6_essentials", "shiboken6")


def wheel_sizes(path: Path) -> tuple[int, int]:
    """(download, install) bytes of the wheel `path`."""
    with zipfile.ZipFile(path) as zf:
        return path.stat().st_size, sum(info.file_size for info in zf.infolist())


def installed_size(dist: str) -> int:
    """Bytes of an installed distribution's files, from its RECORD (files listed without a size count 0)."""
    files = metadata.distribution(dist).files or []
    return sum(f.size or 0 for f in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheels", nargs="?", type=Path, help="a folder of the three wheels (pip download)")
    args = parser.parse_args()
    if args.wheels is None:
        for dist in ("PySide6-Essentials", "shiboken6"):
            print(f"{dist:22} installed {installed_size(dist) / 1e6:8.1f} MB ({metadata.version(dist)})")
        return
    rows = {p.name.split("-")[0].lower(): (p.name, *wheel_sizes(p)) for p in sorted(args.wheels.glob("*.whl"))}
    if not {"pyside6_essentials", "pyside6_addons", "shiboken6"} <= rows.keys():
        sys.exit(f"{args.wheels}: needs the PySide6-Essentials, PySide6-Addons and shiboken6 wheels")
    print(f"{'wheel':64} {'download MB':>12} {'install MB':>11}")
    for name, down, inst in rows.values():
        print(f"{name:64} {down / 1e6:12.1f} {inst / 1e6:11.1f}")
    for k, label in ((1, "download"), (2, "install")):
        ess = sum(rows[n][k] for n in ESSENTIAL)
        full = sum(r[k] for r in rows.values())
        print(f"Essentials + shiboken6 / full PySide6, {label}: {ess / 1e6:.1f} / {full / 1e6:.1f} MB = "
              f"{100 * ess / full:.0f} %")


if __name__ == "__main__":
    main()
