#!/usr/bin/env bash
# The packaging test: builds both Debian packages from the build folder with CPack, lists what
# they hold and checks it (files in place, dependencies computed, binaries stripped, the unit
# hardened), then runs lintian, desktop-file-validate and appstreamcli validate on them.
# Usage: check-packages.sh BUILD_DIR [OUT_DIR]   (OUT_DIR: where the .deb files go; default a
# temporary folder, removed afterwards)
set -euo pipefail
build=$(cd "$1" && pwd)
out=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] || out="$work/out"
mkdir -p "$out"

failures=0
passes=0
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }
need() { command -v "$1" >/dev/null || { echo "FAIL: $1 is not installed (scripts/install-deps.sh installs it)"; exit 1; }; }
for tool in cpack dpkg-deb lintian desktop-file-validate appstreamcli readelf; do need "$tool"; done

app_id=$(sed -n 's/^WAYBILL_APP_ID:STRING=//p' "$build/CMakeCache.txt")
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")

# 1. Build the packages.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$work/cpack.log" 2>&1) \
  || { cat "$work/cpack.log"; echo "FAIL: cpack"; exit 1; }
server=$(ls "$out"/waybill-server_"$version"_*.deb)
desktop=$(ls "$out"/waybill_"$version"_*.deb)
pass "cpack wrote $(basename "$server") and $(basename "$desktop")"

# 2. What each holds.
for deb in "$server" "$desktop"; do
  echo "== $(basename "$deb")"
  dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
  dpkg-deb --contents "$deb"
done
expect_file() { # deb path
  if dpkg-deb --contents "$1" | awk '{print $6}' | grep -qx "\./$2"; then
    pass "$(basename "$1") holds /$2"
  else
    fail "$(basename "$1") lacks /$2"
  fi
}
for f in usr/bin/waybill-server usr/share/man/man1/waybill-server.1.gz \
  lib/systemd/system/waybill-server.service etc/waybill-server/waybill-server.ini \
  usr/share/doc/waybill-server/copyright usr/share/doc/waybill-server/changelog.gz \
  usr/share/doc/waybill-server/admin-guide.md.gz; do
  expect_file "$server" "$f"
done
for f in usr/bin/waybill usr/share/man/man1/waybill.1.gz "usr/share/applications/$app_id.desktop" \
  "usr/share/metainfo/$app_id.metainfo.xml" usr/share/icons/hicolor/scalable/apps/waybill.svg \
  usr/share/doc/waybill/copyright usr/share/doc/waybill/changelog.gz; do
  expect_file "$desktop" "$f"
done
for size in 16 22 24 32 48 64 128 256; do
  expect_file "$desktop" "usr/share/icons/hicolor/${size}x${size}/apps/waybill.png"
done

# Control data: dependencies from dpkg-shlibdeps, the conffile, the maintainer scripts.
for deb in "$server" "$desktop"; do
  depends=$(dpkg-deb --field "$deb" Depends)
  if grep -q 'libqt6core6' <<<"$depends" && grep -q 'libc6' <<<"$depends"; then
    pass "$(basename "$deb") depends on the libraries it links ($depends)"
  else
    fail "$(basename "$deb") Depends lacks the computed libraries: $depends"
  fi
done
# The report charts: Qt Charts is linked, so dpkg-shlibdeps names it (CMake's packaging relies
# on that rather than naming it twice).
if grep -q 'libqt6charts6' <<<"$(dpkg-deb --field "$desktop" Depends)"; then
  pass "waybill depends on Qt Charts"
else
  fail "waybill does not depend on Qt Charts: $(dpkg-deb --field "$desktop" Depends)"
fi
mkdir -p "$work/server-control" "$work/server" "$work/desktop"
dpkg-deb --control "$server" "$work/server-control"
grep -qx '/etc/waybill-server/waybill-server.ini' "$work/server-control/conffiles" \
  && pass "the server's config is a conffile" || fail "the server's config is not a conffile"
for script in postinst prerm postrm; do
  [ -x "$work/server-control/$script" ] && pass "waybill-server has a $script" \
    || fail "waybill-server has no $script"
done
grep -q 'adduser --system' "$work/server-control/postinst" \
  && pass "postinst creates the service's user" || fail "postinst does not create the user"

# 3. Binaries stripped: no symbol table, no debug sections.
dpkg-deb --extract "$server" "$work/server"
dpkg-deb --extract "$desktop" "$work/desktop"
for binary in "$work/server/usr/bin/waybill-server" "$work/desktop/usr/bin/waybill"; do
  if readelf -S "$binary" | grep -Eq '\.(symtab|debug_info)'; then
    fail "$(basename "$binary") is not stripped"
  else
    pass "$(basename "$binary") is stripped ($(stat -c %s "$binary") bytes)"
  fi
done

# 4. The desktop entry, the AppStream metadata and the unit.
if desktop-file-validate "$work/desktop/usr/share/applications/$app_id.desktop"; then
  pass "desktop-file-validate"
else
  fail "desktop-file-validate"
fi
if appstreamcli validate --no-net "$work/desktop/usr/share/metainfo/$app_id.metainfo.xml"; then
  pass "appstreamcli validate"
else
  fail "appstreamcli validate"
fi
grep -q '<screenshot' "$work/desktop/usr/share/metainfo/$app_id.metainfo.xml" \
  && pass "the metainfo shows a screenshot" || fail "the metainfo has no screenshot"
unit="$work/server/lib/systemd/system/waybill-server.service"
if command -v systemd-analyze >/dev/null; then
  # --threshold: exposure x10; 20 is "2.0", well inside systemd's "OK" band.
  if systemd-analyze security --offline=yes --threshold=20 "$unit" >"$work/security.txt" 2>&1; then
    pass "systemd-analyze security: $(tail -1 "$work/security.txt")"
  else
    cat "$work/security.txt"
    fail "systemd-analyze security: the unit is exposed beyond 2.0"
  fi
fi

# 5. lintian: no errors on either package.
for deb in "$server" "$desktop"; do
  if lintian --fail-on error "$deb"; then
    pass "lintian: no errors on $(basename "$deb")"
  else
    fail "lintian reported errors on $(basename "$deb")"
  fi
done

echo "packages: $passes passed, $failures failed"
[ "$failures" -eq 0 ]
