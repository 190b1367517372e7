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
  # SQLite's own interface, for the store's multi-row writes under QtSql's SQLite connections.
  libsqlite3-dev
  postgresql wrk openssl libssl3 libssl-dev
  # The load balancer in front of several servers (tests/cli/tst_servercluster, bench_twoservers).
  haproxy
  # Printed documents (documents/, waybill-server document): Qt's print support, a font that
  # every page can be laid out in on a machine without a desktop, and poppler's pdftotext and
  # pdfinfo, with which the tests read the PDF files back.
  libqt6printsupport6 fonts-dejavu-core poppler-utils
  # Packages (cmake --build build --target package) and their check (tests/packaging).
  dpkg-dev file lintian desktop-file-utils appstream systemd
  # Tests run with the clock a moment before midnight (tests/run-each-function-alone.sh --at).
  faketime
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
