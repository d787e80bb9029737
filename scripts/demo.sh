#!/usr/bin/env bash
# The one-command demo, for a fresh Debian 12 machine, as root:
#   scripts/demo.sh [--no-build]
# installs what is missing and builds (scripts/setup.sh), starts nojd on the embedded store in a
# temporary data dir on a free loopback port and one noj-runner, creates the A+B example problem
# (examples/problems/aplusb) and every other example problem (checkers, float answers, file I/O,
# graders, interactive) with nojctl, submits each problem's solutions (one per verdict), prints
# each verdict as it lands and a final table (expected vs got). Everything it started is stopped by PID on exit,
# also on Ctrl-C. Exits non-zero if any verdict or score differs from the expected one.
#
# Environment: NOJ_DEMO_BUILD_DIR (default build/); NOJ_DEMO_KEEP=1 keeps the temp dir with the
# logs (kept anyway when the demo fails); NOJ_DEMO_TIMEOUT seconds per verdict (default 180);
# NOJ_DEMO_MISSING_EXIT: the exit code when a prerequisite of the host is missing (root,
# python3, the compilers; default 2; ctest sets 77, its SKIP_RETURN_CODE). The runner also reads
# its own NOJ_* variables (e.g. NOJ_BOX_ID_BASE when another runner shares the machine).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD_DIR=${NOJ_DEMO_BUILD_DIR:-build}
[[ $BUILD_DIR = /* ]] || BUILD_DIR=$ROOT/$BUILD_DIR
EXAMPLE=$ROOT/examples/problems/aplusb
TIMEOUT=${NOJ_DEMO_TIMEOUT:-180}
BUILD=1
for arg in "$@"; do
  case $arg in
    --no-build) BUILD=0 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

# A prerequisite of the host is missing: say which, exit NOJ_DEMO_MISSING_EXIT (2).
missing() {
  echo "demo: $*" >&2
  exit "${NOJ_DEMO_MISSING_EXIT:-2}"
}

if [[ $(id -u) -ne 0 ]]; then
  missing "needs root: run me as root: noj-sandbox needs cgroups, namespaces and its own uids"
fi

say() { printf '\n== %s\n' "$*"; }

if ((BUILD)); then
  say "setup: packages and build ($BUILD_DIR)"
  scripts/setup.sh "$BUILD_DIR"
fi
BIN=$BUILD_DIR/src/exe
for b in nojd noj-runner noj-sandbox nojctl; do
  if [[ ! -x $BIN/$b ]]; then
    echo "demo: $BIN/$b is missing (run without --no-build)" >&2
    exit 2
  fi
done
# python3 parses the replies here; gcc, g++ and python3 are the runner's built-in compilers (it
# does not start without them) and judge the example's solutions.
for prog in python3 gcc g++; do
  command -v "$prog" >/dev/null || missing "needs $prog: not found (scripts/setup.sh installs it)"
done

WORK=$(mktemp -d /tmp/noj-demo-XXXXXX)
chmod 0755 "$WORK"
NOJD_PID=
RUNNER_PID=
WAITER_PIDS=()

# Stops a process we started: SIGTERM, up to $2 seconds, then SIGKILL. By PID only.
stop_pid() {
  local pid=$1 grace=$2
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${WAITER_PIDS[@]}"; do stop_pid "$pid" 1; done
  stop_pid "$RUNNER_PID" 10  # SIGTERM drains: jobs in hand finish first (--drain-timeout 5)
  stop_pid "$NOJD_PID" 10
  # The sandbox keeps one shared empty net namespace mounted for its runs; leave nothing behind.
  "$BIN/noj-sandbox" --cleanup >/dev/null 2>&1 || true
  if [[ ${NOJ_DEMO_KEEP:-0} = 1 || ($rc -ne 0 && $rc -ne 130) ]]; then
    echo "demo: logs kept in $WORK (nojd.log, runner.log)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted" >&2; exit 130' INT TERM

show_log() {  # the end of a log, when something did not start
  echo "---- last lines of $1" >&2
  tail -n 20 "$1" >&2 || true
}

# ---- nojd, on the embedded SQLite store, on a free port chosen by the kernel.
say "starting nojd (SQLite store in $WORK/data)"
mkdir -m 0700 "$WORK/data"
"$BIN/nojd" --listen 127.0.0.1:0 --data-dir "$WORK/data" --log-level warn \
  >"$WORK/nojd.out" 2>"$WORK/nojd.log" &
NOJD_PID=$!
SERVER=
for ((i = 0; i < 150; i++)); do
  SERVER=$(sed -n 's/^nojd listening on \(http:[^ ]*\).*/\1/p' "$WORK/nojd.out" | head -n 1)
  [[ -n $SERVER ]] && break
  kill -0 "$NOJD_PID" 2>/dev/null || break
  sleep 0.1
done
if [[ -z $SERVER ]]; then
  echo "demo: nojd did not start" >&2
  show_log "$WORK/nojd.log"
  exit 1
fi
echo "nojd (pid $NOJD_PID) listening on $SERVER"

export NOJ_SERVER=$SERVER
export NOJ_API_TOKEN_FILE=$WORK/data/secrets.json
unset NOJ_API_TOKEN
nojctl() { "$BIN/nojctl" "$@"; }

# ---- one runner, registered with the token nojd generated into its secrets file.
say "starting noj-runner"
"$BIN/noj-runner" --server "$SERVER" \
  --registration-token-file "$WORK/data/secrets.json" --name demo-runner \
  --work-dir "$WORK/runner-work" --cache-dir "$WORK/runner-cache" --drain-timeout 5 \
  --log-level info \
  >"$WORK/runner.log" 2>&1 &
RUNNER_PID=$!
registered=0
for ((i = 0; i < 200; i++)); do
  if ! kill -0 "$RUNNER_PID" 2>/dev/null; then break; fi
  if nojctl runners --json 2>/dev/null | grep -q '"name":"demo-runner"'; then
    registered=1
    break
  fi
  sleep 0.1
done
if ((!registered)); then
  echo "demo: noj-runner did not register" >&2
  show_log "$WORK/runner.log"
  exit 1
fi
echo "noj-runner (pid $RUNNER_PID) registered:"
nojctl runners

# ---- the problem.
say "creating the A+B problem from examples/problems/aplusb"
created=$(nojctl problem create --meta "$EXAMPLE/problem.json" --testdata "$EXAMPLE/testdata" --json)
PROBLEM=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["problem_id"])' "$created")
nojctl problem show "$PROBLEM"

# ---- one solution, waited for in the foreground: the live progress line, then the table.
say "nojctl submit --problem $PROBLEM --wait ac.cpp"
first_rc=0
nojctl submit --problem "$PROBLEM" --wait "$EXAMPLE/solutions/ac.cpp" || first_rc=$?

# ---- the other example problems (checker, float, file I/O, grader, interactive …), each created
# the same way; then every solution of every problem's solutions/EXPECTED at once, each verdict
# printed as it lands.
declare -A PROBLEM_OF=([aplusb]=$PROBLEM)
for dir in "$ROOT"/examples/problems/*/; do
  name=$(basename "$dir")
  [[ -f $dir/problem.json && -d $dir/testdata && -f $dir/solutions/EXPECTED ]] || continue
  [[ -n ${PROBLEM_OF[$name]:-} ]] && continue
  say "creating the $name problem from examples/problems/$name"
  created=$(nojctl problem create --meta "$dir/problem.json" --testdata "$dir/testdata" --json)
  PROBLEM_OF[$name]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["problem_id"])' \
    "$created")
  echo "problem ${PROBLEM_OF[$name]}: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["title"])' "$dir/problem.json")"
done

declare -a FILES EXPECT_V EXPECT_S SIDS
n=0
for name in aplusb $(printf '%s\n' "${!PROBLEM_OF[@]}" | grep -vx aplusb | sort); do
  dir=$ROOT/examples/problems/$name
  while read -r file verdict score; do
    FILES[$n]=$name/$file
    EXPECT_V[$n]=$verdict
    EXPECT_S[$n]=$score
    n=$((n + 1))
  done < <(grep -v '^\s*#' "$dir/solutions/EXPECTED" | grep -v '^\s*$')
done
say "submitting $n solutions of ${#PROBLEM_OF[@]} problems at once; verdicts as they land"
START_US=${EPOCHREALTIME/./}
for i in "${!FILES[@]}"; do
  name=${FILES[$i]%%/*}
  out=$(nojctl submit --problem "${PROBLEM_OF[$name]}" \
    "$ROOT/examples/problems/$name/solutions/${FILES[$i]#*/}" --json)
  SIDS[$i]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["submission_id"])' "$out")
  printf '  submitted %-24s -> %s\n' "${FILES[$i]}" "${SIDS[$i]}"
done

# Reads a submission's JSON: prints "VERDICT SCORE TIME_MS".
summarize() {
  python3 - "$1" 2>/dev/null <<'PY'
import json, sys
names = {-2: "NO_CODE", -1: "PENDING", 0: "AC", 1: "WA", 2: "CE", 3: "TLE", 4: "MLE", 5: "RE",
         6: "JE", 7: "OLE"}
try:
    s = json.load(open(sys.argv[1]))
    print(names.get(s["status"], s["status"]), s["score"], s["execTime"])
except Exception:
    print("ERROR", "-", "-")
PY
}

for i in "${!SIDS[@]}"; do
  (
    rc=0
    nojctl status "${SIDS[$i]}" --wait --json --timeout "$TIMEOUT" >"$WORK/result.$i" || rc=$?
    ((rc != 4)) || exit 0  # nojd is gone (interrupted?): the main script reports
    read -r got score _ < <(summarize "$WORK/result.$i")
    mark="ok"
    [[ $got = "${EXPECT_V[$i]}" && $score = "${EXPECT_S[$i]}" ]] || mark="MISMATCH"
    elapsed_ds=$(((${EPOCHREALTIME/./} - START_US) / 100000))
    printf '  +%3d.%ds  %-24s %-4s score %-3s (expected %s %s)  %s\n' $((elapsed_ds / 10)) \
      $((elapsed_ds % 10)) "${FILES[$i]}" "$got" "$score" "${EXPECT_V[$i]}" "${EXPECT_S[$i]}" "$mark"
  ) &
  WAITER_PIDS+=($!)
done
for pid in "${WAITER_PIDS[@]}"; do wait "$pid" || true; done
WAITER_PIDS=()

# ---- the final table.
say "results"
failures=0
printf '%-24s  %-9s  %-8s  %-8s  %-7s  %s\n' solution language expected got time result
for i in "${!SIDS[@]}"; do
  read -r got score ms < <(summarize "$WORK/result.$i")
  case ${FILES[$i]##*.} in c) lang=C ;; cpp) lang=C++ ;; py) lang=Python ;; *) lang=? ;; esac
  result=ok
  if [[ $got != "${EXPECT_V[$i]}" || $score != "${EXPECT_S[$i]}" ]]; then
    result=MISMATCH
    failures=$((failures + 1))
  fi
  printf '%-24s  %-9s  %-8s  %-8s  %-7s  %s\n' "${FILES[$i]}" "$lang" \
    "${EXPECT_V[$i]} ${EXPECT_S[$i]}" "$got $score" "${ms} ms" "$result"
done
if ((first_rc != 0)); then
  echo "the foreground ac.cpp submission was not accepted (nojctl exit $first_rc)"
  failures=$((failures + 1))
fi
echo
nojctl queue
echo
if ((failures > 0)); then
  echo "demo: $failures result(s) differ from the expected ones"
  exit 1
fi
echo "demo: all ${#SIDS[@]} verdicts as expected; stopping nojd and noj-runner"
