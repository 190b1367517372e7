#!/usr/bin/env bash
# Installs what Waybill needs to build, run and test on Debian 12 (bookworm).
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config clang-format
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  # The desktop's report charts; Qt6Charts' CMake package needs Qt6OpenGL's, which Debian's
  # qt6-charts-dev does not pull in.
  qt6-charts-dev libqt6opengl6-dev
  # Qt's own words in Spanish (the buttons of standard dialogs, the menus of text fields).
  qt6-translations-l10n
  libqt6sql6-sqlite libqt6sql6-psql libgl-dev
  postgresql wrk openssl libssl3 libssl-dev
  # Packages (cmake --build build --target package) and their check (tests/packaging).
  dpkg-dev file lintian desktop-file-utils appstream systemd
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
