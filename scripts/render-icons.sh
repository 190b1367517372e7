#!/usr/bin/env bash
# Renders the application icon (resources/icons/waybill.svg) into the PNG sizes of the hicolor
# theme (resources/icons/hicolor/NxN/waybill.png), which the package installs and the window uses.
# Run it after editing the SVG and commit the PNGs (needs rsvg-convert: Debian's librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for size in 16 22 24 32 48 64 128 256; do
  mkdir -p "hicolor/${size}x${size}"
  rsvg-convert --width "$size" --height "$size" waybill.svg -o "hicolor/${size}x${size}/waybill.png"
done
