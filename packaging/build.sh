#!/usr/bin/env bash
# Build the FoSp Studio desktop bundle with PyInstaller and smoke-test it.
#
#   bash packaging/build.sh            -> dist/fosp-studio/ (one folder) + dist/fosp-studio-<version>-linux.tar.gz
#
# Needs the project installed (pip install -e .) and PyInstaller (pip install pyinstaller).
# On Linux the tarball carries the .desktop entry and icon; from the unpacked fosp-studio/ folder,
# install them and put the program on PATH (the entry runs `fosp-studio`) with
#   install -Dm644 fosp-studio.desktop ~/.local/share/applications/fosp-studio.desktop
#   install -Dm644 fosp-studio.png ~/.local/share/icons/hicolor/256x256/apps/fosp-studio.png
#   mkdir -p ~/.local/bin && ln -sf "$PWD/fosp-studio" ~/.local/bin/fosp-studio
# The bundle's command line (what the Fine-tune dialog runs): fosp-studio -m fosp_core COMMAND ...
set -euo pipefail
cd "$(dirname "$0")/.."

python -m PyInstaller --version >/dev/null 2>&1 || {
    echo "PyInstaller is not installed: python -m pip install pyinstaller" >&2
    exit 1
}
version=$(python -c "import fosp_core; print(fosp_core.__version__)")

python -m PyInstaller --noconfirm --clean \
    --distpath dist --workpath build/pyinstaller \
    packaging/fosp-studio.spec

# Smoke test: the frozen app must open the bundled demo and render a window.
QT_QPA_PLATFORM=offscreen dist/fosp-studio/fosp-studio --screenshot dist/fosp-studio-smoke.png
# ... and run the command line, as the Fine-tune dialog does (`sys.executable -m fosp_core train ...`).
dist/fosp-studio/fosp-studio -m fosp_core info >/dev/null
echo "smoke test passed: dist/fosp-studio-smoke.png"

if [[ "$(uname -s)" == "Linux" ]]; then
    cp packaging/fosp-studio.desktop packaging/fosp-studio.png dist/fosp-studio/
    tar -C dist -czf "dist/fosp-studio-${version}-linux.tar.gz" fosp-studio
    echo "built dist/fosp-studio-${version}-linux.tar.gz"
fi
