#!/usr/bin/env bash
# Proves that every test function stands on its own: runs each function of each ctest suite in a
# process of its own, then each suite with all its functions in reverse order, and lists what
# failed. A test that passes only after (or before) another one hides a dependency that a reorder,
# a `-functions` run or a new test will one day trip over.
#
#   tests/run-each-function-alone.sh BUILD_DIR [-R REGEX] [-j JOBS] [--no-reverse] [--no-alone]
#                                    [--at 'YYYY-MM-DD HH:MM:SS[.mmm]']...
#
# -R selects suites by ctest name (as ctest -R does). -j runs that many processes at once
# (default 2). --at (repeatable; needs faketime) starts each function alone with the clock at that
# time, in the time zone of TZ, running on from there: a second before midnight finds a test that
# reads the day twice (a Sunday's: the week too); PostgreSQL's lock timeout never fires under
# faketime, so a test that waits for it is stopped after 600 s there. Exit status: 0 when everything
# passed, 1 when something failed, 2 on bad usage. Logs of failed runs are kept in
# BUILD_DIR/each-function-alone/.
set -uo pipefail

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
build=$(cd "$1" 2>/dev/null && pwd) || { echo "no such build folder: $1" >&2; exit 2; }
shift
regex=""
jobs=2
reverse=1
alone=1
ats=()
while [ $# -gt 0 ]; do
  case "$1" in
    -R) regex=${2:?}; shift 2 ;;
    -j) jobs=${2:?}; shift 2 ;;
    --no-reverse) reverse=0; shift ;;
    --no-alone) alone=0; shift ;;
    --at) ats+=("${2:?}"); shift 2 ;;
    *) usage ;;
  esac
done
if [ ${#ats[@]} -gt 0 ] && ! command -v faketime >/dev/null; then
  echo "--at needs faketime (apt-get install faketime)" >&2
  exit 2
fi
[ ${#ats[@]} -gt 0 ] || ats=(-)

logs="$build/each-function-alone"
rm -rf "$logs"
mkdir -p "$logs"

# One line per suite from ctest's own description of it: name, command, folder, environment.
suites="$logs/suites.tsv"
ctest_args=(--test-dir "$build" -N -V)
[ -n "$regex" ] && ctest_args+=(-R "$regex")
ctest "${ctest_args[@]}" 2>/dev/null | awk '
  function flush() { if (name != "") print name "\t" command "\t" folder "\t" env; name = ""; command = ""; folder = ""; env = "" }
  /^[0-9]+: Test command: / { flush(); sub(/^[0-9]+: Test command: /, ""); command = $0; next }
  /^[0-9]+: Working Directory: / { sub(/^[0-9]+: Working Directory: /, ""); folder = $0; next }
  /^[0-9]+:  [A-Za-z_][A-Za-z0-9_]*=/ { sub(/^[0-9]+:  /, ""); env = env (env == "" ? "" : "\037") $0; next }
  /^ *Test +#[0-9]+: / { sub(/^ *Test +#[0-9]+: /, ""); name = $0; flush() }
' >"$suites"

if [ ! -s "$suites" ]; then
  echo "ctest found no suites in $build${regex:+ matching $regex}" >&2
  exit 2
fi

# run LOG FOLDER ENV AT COMMAND [ARGS...]: one test process with the suite's environment, and the
# clock started at AT unless it is "-".
run() {
  local log=$1 folder=$2 env=$3 at=$4
  shift 4
  local -a vars=() clock=()
  if [ -n "$env" ]; then
    IFS=$'\037' read -r -a vars <<<"$env"
  fi
  [ "$at" = - ] || clock=(faketime -f "@$at")
  (cd "${folder:-$build}" && env "${vars[@]}" timeout 600 "${clock[@]}" "$@") >"$log" 2>&1
}

# Each job is one line: kind, suite, function (or "-"), clock ("-": the real one); results go to
# results.tsv.
jobsfile="$logs/jobs.tsv"
: >"$jobsfile"
skipped=()
while IFS=$'\t' read -r name command folder env; do
  # A suite run with arguments (the fuzz corpus replays) is no plain Qt Test: ctest runs it whole.
  if [ ! -x "$command" ]; then
    skipped+=("$name")
    continue
  fi
  vars=()
  [ -n "$env" ] && IFS=$'\037' read -r -a vars <<<"$env"
  if ! functions=$(cd "${folder:-$build}" && env "${vars[@]}" "$command" -functions 2>/dev/null); then
    echo "cannot list the functions of $name ($command)" >&2
    printf 'list\t%s\t-\n' "$name" >>"$jobsfile"
    continue
  fi
  functions=$(printf '%s\n' "$functions" | sed -n 's/()$//p')
  if [ "$alone" = 1 ]; then
    while read -r f; do
      [ -n "$f" ] || continue
      for at in "${ats[@]}"; do
        printf 'alone\t%s\t%s\t%s\n' "$name" "$f" "$at" >>"$jobsfile"
      done
    done <<<"$functions"
  fi
  if [ "$reverse" = 1 ]; then
    printf 'reverse\t%s\t%s\t-\n' "$name" "$(printf '%s\n' "$functions" | tac | tr '\n' ' ')" >>"$jobsfile"
  fi
done <"$suites"

one_job() {
  local kind=$1 name=$2 what=$3 at=$4
  local line command folder env
  line=$(awk -F'\t' -v n="$name" '$1 == n' "$suites")
  IFS=$'\t' read -r _ command folder env <<<"$line"
  local log status
  case "$kind" in
    list)
      printf 'FAIL\tlist\t%s\t-\n' "$name"
      return ;;
    alone)
      log="$logs/$name.$what.log"
      [ "$at" = - ] || log="$logs/$name.$what.at-${at// /T}.log"
      run "$log" "$folder" "$env" "$at" "$command" "$what"
      status=$?
      [ "$at" = - ] || what="$what (from $at)" ;;
    reverse)
      log="$logs/$name.reverse.log"
      # shellcheck disable=SC2086 # the function names are words
      run "$log" "$folder" "$env" - "$command" $what
      status=$?
      what="(all functions, last first)" ;;
  esac
  if [ "$status" -eq 0 ]; then
    rm -f "$log"
    printf 'PASS\t%s\t%s\t%s\n' "$kind" "$name" "$what"
  else
    printf 'FAIL\t%s\t%s\t%s\t%s\n' "$kind" "$name" "$what" "$log"
  fi
}
export -f one_job run
export suites logs build

results="$logs/results.tsv"
started=$(date +%s)
tr '\t' '\036' <"$jobsfile" | xargs -d '\n' -P "$jobs" -I{} bash -c \
  'IFS=$'"'"'\036'"'"' read -r k n w a <<<"$1"; one_job "$k" "$n" "$w" "$a"' _ {} >"$results"
elapsed=$(($(date +%s) - started))

total=$(wc -l <"$results")
failed=$(grep -c '^FAIL' "$results")
alone_runs=$(grep -c $'\talone\t' "$results")
reverse_runs=$(grep -c $'\treverse\t' "$results")
echo "$(wc -l <"$suites") suites: $alone_runs functions run alone, $reverse_runs suites run in reverse order, in ${elapsed}s"
if [ ${#skipped[@]} -gt 0 ]; then
  echo "left to ctest (run with arguments, so no plain Qt Test; or not built): ${skipped[*]}"
fi
if [ "$failed" -eq 0 ]; then
  echo "all $total runs passed"
  exit 0
fi
echo "$failed of $total runs failed:"
grep '^FAIL' "$results" | sort | while IFS=$'\t' read -r _ kind name what log; do
  echo "  $kind  $name  $what"
  [ -n "${log:-}" ] && grep -E '^(FAIL!|QFATAL|QWARN.*ASSERT)|Loc: ' "$log" | head -4 | sed 's/^/      /'
done
exit 1
