#!/usr/bin/env bash
# Renders the README's screenshots: each main view of the desktop app, offscreen, from a freshly
# seeded demo database (the app's own --render-screenshots mode; nothing of the user's is read).
#
#   scripts/render-screenshots.sh [BUILD_DIR]          English, into docs/screenshots/
#   LANGUAGES="en es" scripts/render-screenshots.sh    also Spanish, into docs/screenshots/es/
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
languages=${LANGUAGES:-en}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja
fi
cmake --build "$build" --target waybill

export QT_QPA_PLATFORM=offscreen
export TZ=${TZ:-America/Chicago}        # the demo office's clock, whatever this machine's
export QT_LOGGING_RULES="waybill.*.info=false;waybill.*.debug=false"

for language in $languages; do
  out="$root/docs/screenshots"
  [ "$language" = en ] || out="$out/$language"
  # (the offscreen platform warns about window size hints it cannot pass on: not our business)
  "$build/app/waybill" --language "$language" --render-screenshots "$out" 2> >(grep -v propagateSizeHints >&2)
done
