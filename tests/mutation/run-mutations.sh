#!/usr/bin/env bash
# The mutation check: breaks one rule at a time in a scratch copy of the tree and runs the suites
# that should notice. A mutation that builds and leaves its suites green is a rule no test holds.
#
#   tests/mutation/run-mutations.sh [SCRATCH_DIR] [-m NAME_REGEX] [--no-baseline]
#
# SCRATCH_DIR (default: build-mutation beside the sources) keeps a copy of the tree and its own
# build between runs, so a second run only compiles what changed. -m runs only the mutations whose
# name matches. The suites are first run once unmutated (the baseline): a suite that fails
# without a mutation proves nothing with one. The list is tests/mutation/mutations.txt (see the
# README there). Exit status: 0 when every mutation was caught, 1 when one survived or could not
# be applied or built, 2 on bad usage.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source_root=$(cd "$here/../.." && pwd)
list="$here/mutations.txt"

scratch=""
only=""
baseline=1
while [ $# -gt 0 ]; do
  case "$1" in
    -m) only=${2:?}; shift 2 ;;
    --no-baseline) baseline=0; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) [ -z "$scratch" ] || { echo "one scratch folder only" >&2; exit 2; }; scratch=$1; shift ;;
  esac
done
scratch=${scratch:-$source_root/build-mutation}
mkdir -p "$scratch" || exit 2
scratch=$(cd "$scratch" && pwd)
if [ "$scratch" = "$source_root" ] || [ -e "$scratch/.git" ]; then
  echo "$scratch is a source tree: the scratch folder must be a folder of its own" >&2
  exit 2
fi
# The copy is laid out like the tree with its build folder inside, so that ccache (paths taken
# relative to CCACHE_BASEDIR) finds what the ordinary build already compiled.
copy="$scratch"
build="$scratch/build"
logs="$scratch/mutation-logs"
mkdir -p "$copy" "$logs"

# --- The list: blocks of "key: value" lines, one block per mutation. -------------------------
names=() rules=() files=() froms=() tos=() tests=()
add_entry() {
  [ -n "$cur_name" ] || return 0
  if [ -z "$cur_rule" ] || [ -z "$cur_file" ] || [ -z "$cur_from" ] || [ "$cur_has_to" != 1 ] || [ -z "$cur_tests" ]; then
    echo "mutations.txt: '$cur_name' needs rule, file, from, to and tests" >&2
    exit 2
  fi
  if [ -z "$only" ] || [[ $cur_name =~ $only ]]; then
    names+=("$cur_name") rules+=("$cur_rule") files+=("$cur_file") froms+=("$cur_from")
    tos+=("$cur_to") tests+=("$cur_tests")
  fi
}
cur_name=""
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    '#'*|'') continue ;;
  esac
  key=${line%%:*}
  value=${line#*:}
  value=${value# }
  key=${key#"${key%%[![:space:]]*}"}
  case "$key" in
    mutation) add_entry; cur_name=$value cur_rule="" cur_file="" cur_from="" cur_to="" cur_has_to=0 cur_tests="" ;;
    rule) cur_rule=$value ;;
    file) cur_file=$value ;;
    from) cur_from=$value ;;
    to) cur_to=$value cur_has_to=1 ;;
    tests) cur_tests=$value ;;
    *) echo "mutations.txt: unknown key '$key' in: $line" >&2; exit 2 ;;
  esac
done <"$list"
add_entry
if [ ${#names[@]} -eq 0 ]; then
  echo "no mutation matches '${only}'" >&2
  exit 2
fi

# --- The scratch copy: the tree as it is now (committed or not), unchanged files left alone so
# that the scratch build stays incremental. -------------------------------------------------------
sync_copy() {
  local f
  (cd "$source_root" && git ls-files -co --exclude-standard -z) | while IFS= read -r -d '' f; do
    [ -f "$source_root/$f" ] || continue
    if ! cmp -s "$source_root/$f" "$copy/$f"; then
      mkdir -p "$copy/$(dirname "$f")"
      cp "$source_root/$f" "$copy/$f"
    fi
  done
}
echo "scratch copy: $copy"
sync_copy
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$copy" -B "$build" -G Ninja "${launcher[@]}" >"$logs/configure.log" 2>&1 || {
    echo "cmake failed; see $logs/configure.log" >&2
    exit 1
  }
fi

# Configured again each run, so that suites added since the last run are known to ctest.
cmake "$build" >"$logs/configure.log" 2>&1 || {
  echo "cmake failed; see $logs/configure.log" >&2
  exit 1
}

export WAYBILL_REQUIRE_POSTGRES=${WAYBILL_REQUIRE_POSTGRES:-1}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$scratch}

# The executables of the suites a regex selects, read from ctest's files (so also before they
# are built): their targets are what must be rebuilt.
targets_of() {
  local name path
  find "$build" -name CTestTestfile.cmake -print0 | xargs -0 grep -h '^add_test(' \
    | sed -n 's/^add_test(\[=\[\(.*\)\]=\] "\([^"]*\)".*/\1\t\2/p' \
    | while IFS=$'\t' read -r name path; do
        [[ $name =~ $1 ]] && basename "$path"
      done | sort -u
}

# build TARGETS...: only those, and what they depend on.
build_targets() {
  nice cmake --build "$build" -j2 --target "$@" >"$logs/build.log" 2>&1
}

# run_suites REGEX LOG: 0 when every selected suite passed.
run_suites() {
  timeout 1800 nice ctest --test-dir "$build" -R "$1" -j2 --output-on-failure >"$2" 2>&1
}

# What failed, from a ctest log: the failing suites, then the first failing test functions.
caught_by() {
  local log=$1 suites functions
  suites=$(sed -n '/The following tests FAILED:/,$ s/^[[:space:]]*[0-9]* - \(.*\)$/\1/p' "$log" \
    | sed 's/ (Failed)$//' | head -3 | paste -sd, - | sed 's/,/, /g')
  functions=$(sed -n 's/^FAIL!  : \([A-Za-z0-9_:]*\).*/\1/p' "$log" | awk '!seen[$0]++' | head -2 \
    | paste -sd, - | sed 's/,/, /g')
  echo "${suites}${functions:+: $functions}"
}

# The first build needs every target; later ones only the mutated file's dependants.
all_regex=$(IFS='|'; echo "${tests[*]}")
mapfile -t all_targets < <(targets_of "$all_regex")
if [ ${#all_targets[@]} -eq 0 ]; then
  echo "no ctest suite matches $all_regex" >&2
  exit 1
fi
echo "building ${#all_targets[@]} suites in $build"
build_targets "${all_targets[@]}" || { echo "the scratch tree does not build; see $logs/build.log" >&2; exit 1; }

if [ "$baseline" = 1 ]; then
  echo "baseline: the suites without any mutation"
  if ! run_suites "$all_regex" "$logs/baseline.log"; then
    echo "the suites fail without any mutation: $(caught_by "$logs/baseline.log"); see $logs/baseline.log" >&2
    exit 1
  fi
fi

# Applies or reverts one mutation; the snippet must occur exactly once.
apply() {
  local file=$1 from=$2 to=$3
  FROM=$from TO=$to perl -0777 -ne '
    BEGIN { $from = $ENV{FROM}; $to = $ENV{TO}; }
    $count = () = /\Q$from\E/g;
    if ($count != 1) { print STDERR "found $count times"; exit 3; }
    s/\Q$from\E/$to/;
    print;
  ' "$file" >"$logs/mutant" || return 1
  cat "$logs/mutant" >"$file"
}

sep=$'\037'
results=()
survived=0
broken=0
for i in "${!names[@]}"; do
  name=${names[$i]} file="$copy/${files[$i]}"
  printf '%-28s ' "$name"
  if [ ! -f "$file" ]; then
    results+=("$name$sep${rules[$i]}${sep}NOT APPLIED$sep${files[$i]} does not exist")
    broken=$((broken + 1)); echo "not applied"; continue
  fi
  cp "$file" "$logs/original"
  if ! why=$(apply "$file" "${froms[$i]}" "${tos[$i]}" 2>&1); then
    results+=("$name$sep${rules[$i]}${sep}NOT APPLIED${sep}the snippet was ${why:-not found} in ${files[$i]}")
    broken=$((broken + 1)); echo "not applied"; continue
  fi
  mapfile -t targets < <(targets_of "${tests[$i]}")
  log="$logs/$name.log"
  if [ ${#targets[@]} -eq 0 ]; then
    verdict="NO SUITE" detail="no ctest suite matches '${tests[$i]}'"
    broken=$((broken + 1))
  elif ! build_targets "${targets[@]}"; then
    cp "$logs/build.log" "$log"
    verdict="DOES NOT BUILD" detail="see $log"
    broken=$((broken + 1))
  elif run_suites "${tests[$i]}" "$log"; then
    verdict="SURVIVED" detail="${tests[$i]//|/, } stayed green"
    survived=$((survived + 1))
  elif grep -q '(Not Run)' "$log"; then
    verdict="NOT RUN" detail="a suite could not run; see $log"
    broken=$((broken + 1))
  else
    verdict="caught" detail=$(caught_by "$log")
  fi
  # Back to the original, with a new time stamp so that the next build recompiles it.
  cat "$logs/original" >"$file"
  touch "$file"
  results+=("$name$sep${rules[$i]}$sep$verdict$sep$detail")
  echo "$verdict"
done
# Leave the scratch build matching the tree.
build_targets "${all_targets[@]}" || true

echo
printf '| %s | %s | %s | %s |\n' "mutation" "rule" "result" "caught by"
printf '|---|---|---|---|\n'
for r in "${results[@]}"; do
  IFS=$sep read -r n rule verdict detail <<<"$r"
  printf '| %s | %s | %s | %s |\n' "$n" "$rule" "$verdict" "$detail"
done
echo
echo "${#results[@]} mutations: $((${#results[@]} - survived - broken)) caught, $survived survived, $broken not applied or not built"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
