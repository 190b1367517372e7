#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.cpp) with clang in a build folder of their own
# and runs each for SECONDS (default 60) over a copy of its seed corpus, one after the other
# (with tests/fuzz/fuzz_<name>.dict as its dictionary when there is one).
# Any input that makes a target fail is kept (crash-*, leak-*, timeout-*, oom-*) and listed at
# the end; once the bug is fixed, copy it into tests/fuzz/regressions/<name>/ so that CTest
# replays it in every build. Exits 1 when a target failed.
#
#   scripts/run-fuzzers.sh [SECONDS]
#   FUZZERS="money inifile"   only these targets (names without fuzz_)
#   WAYBILL_FUZZ_BUILD_DIR    the build folder (default build-fuzz)
# Needs clang, libfuzzer-14-dev and libclang-rt-14-dev (Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}
build=${WAYBILL_FUZZ_BUILD_DIR:-build-fuzz}
case "$build" in /*) ;; *) build="$root/$build" ;; esac

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DWAYBILL_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
cmake --build "$build" --target fuzzers

if [ -n "${FUZZERS:-}" ]; then
  read -r -a names <<<"$FUZZERS"
else
  names=()
  for source in tests/fuzz/fuzz_*.cpp; do
    [ -e "$source" ] || continue
    name=$(basename "$source" .cpp)
    names+=("${name#fuzz_}")
  done
fi
if [ ${#names[@]} -eq 0 ]; then
  echo "no fuzz targets in tests/fuzz" >&2
  exit 1
fi

failed=()
for name in "${names[@]}"; do
  binary="$build/tests/fuzz/fuzz_$name"
  seeds="$root/tests/fuzz/corpus/$name"
  work="$build/fuzz-runs/$name"
  if [ ! -x "$binary" ]; then
    echo "fuzz_$name: no such target" >&2
    failed+=("$name")
    continue
  fi
  # The corpus grows while fuzzing: a copy, so that the seeds in the repository stay as chosen.
  rm -rf "$work/corpus"
  mkdir -p "$work/corpus" "$work/crashes"
  if [ -d "$seeds" ]; then
    cp -R "$seeds/." "$work/corpus/"
  fi
  options=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$work/crashes/")
  # A dictionary of the format's tokens next to the target, when it has one.
  if [ -f "$root/tests/fuzz/fuzz_$name.dict" ]; then
    options+=(-dict="$root/tests/fuzz/fuzz_$name.dict")
  fi
  echo "== fuzz_$name for ${seconds}s ($(find "$work/corpus" -type f | wc -l) seeds)"
  if "$binary" "${options[@]}" "$work/corpus" >"$work/log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$work/log" | tail -2 || true
  else
    echo "fuzz_$name FAILED: see $work/log" >&2
    tail -30 "$work/log" >&2
    failed+=("$name")
  fi
done

kept=$(find "$build/fuzz-runs" -path '*/crashes/*' -type f 2>/dev/null | sort || true)
if [ -n "$kept" ]; then
  echo "inputs kept (copy each into tests/fuzz/regressions/<name>/ once fixed):"
  echo "$kept"
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}" >&2
  exit 1
fi
echo "all ${#names[@]} fuzz targets ran ${seconds}s each without a failure"
