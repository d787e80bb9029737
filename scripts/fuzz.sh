#!/usr/bin/env bash
# Builds the libFuzzer targets (build-fuzz/: clang, ASan+UBSan, coverage on every library) and
# runs each one for FUZZ_SECONDS (default 60) from a temp copy of its seed corpus (fuzz/corpus/ is
# never written), at most FUZZ_PARALLEL (default 2) at a time. Stops at the first crash: the
# crashing input is kept in a temp dir whose path is printed, the other runs are stopped.
# Prints one line per target (runs, coverage) and an overall line; exits 1 on any crash, 2 when
# the build fails. Leaves no process behind. See fuzz/README.md.
#
#   FUZZ_SECONDS=60 scripts/fuzz.sh                  # all targets
#   FUZZ_SECONDS=300 scripts/fuzz.sh fuzz_testdata_zip # some targets
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
PARALLEL=${FUZZ_PARALLEL:-2}
JOBS=${FUZZ_BUILD_JOBS:-$(nproc)}
TARGETS=(fuzz_http_runner_api fuzz_http_testdata_api fuzz_http_problems_api
  fuzz_http_submissions_api fuzz_http_admin_api fuzz_result_parser fuzz_testdata_zip
  fuzz_runner_responses)
[[ $# -gt 0 ]] && TARGETS=("$@")
started_at=$(date +%s)

max_len() {
  case $1 in
    fuzz_http_problems_api | fuzz_testdata_zip) echo 65536 ;;  # zips
    fuzz_http_*) echo 16384 ;;
    *) echo 8192 ;;
  esac
}

echo "== fuzz: toolchain"
fuzzer_rt=$(ls /usr/lib/llvm-14/lib/clang/14*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
if ! command -v clang++ >/dev/null 2>&1 || [[ -z $fuzzer_rt ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq clang libfuzzer-14-dev libclang-rt-14-dev >/dev/null
fi
clang++ --version | head -n 1

echo "== fuzz: build ($BUILD)"
if ! CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-g1 -O1" -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1" -DNOJ_BUILD_FUZZ=ON \
  -DNOJ_SANITIZE=ON -DNOJ_WERROR=ON -DNOJ_BUILD_TESTS=OFF -DNOJ_BUILD_BENCH=OFF >/dev/null; then
  echo "fuzz: configure failed"
  exit 2
fi
if ! ninja -C "$BUILD" -j"$JOBS" "${TARGETS[@]}" >"$BUILD/fuzz-build.log" 2>&1; then
  tail -n 40 "$BUILD/fuzz-build.log"
  echo "fuzz: build failed (log: $BUILD/fuzz-build.log)"
  exit 2
fi
built_at=$(date +%s)
echo "built in $((built_at - started_at)) s"

WORK=$(mktemp -d /tmp/noj-fuzz-XXXXXX)
declare -A PID_OF=() TARGET_OF=()
crashed=()
keep_work=0
cleanup() {
  for pid in "${!TARGET_OF[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ $keep_work -eq 1 ]]; then
    find "$WORK" -mindepth 1 -maxdepth 1 -name 'corpus' -exec rm -rf {} +
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

start_target() {
  local t=$1
  mkdir -p "$WORK/corpus/$t" "$WORK/artifacts/$t"
  cp -r "$ROOT/fuzz/corpus/$t/." "$WORK/corpus/$t/" 2>/dev/null || true
  local dict=()
  [[ -f $ROOT/fuzz/dict/$t.dict ]] && dict=(-dict="$ROOT/fuzz/dict/$t.dict")
  "$BUILD/fuzz/$t" "$WORK/corpus/$t" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" \
    -max_len="$(max_len "$t")" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts/$t/" >"$WORK/$t.log" 2>&1 &
  PID_OF[$t]=$!
  TARGET_OF[$!]=$t
}

summarize() {
  local t=$1 rc=$2 log=$WORK/$1.log
  local runs cov ft corp
  # (a crash before the first status line leaves some of these empty)
  runs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1 || true)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || true)
  ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+' || true)
  corp=$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
  if [[ $rc -eq 0 ]]; then
    printf '%-28s ok      runs=%s cov=%s ft=%s corpus=%s\n' "$t" "${runs:-?}" "${cov:-?}" \
      "${ft:-?}" "${corp:-?}"
  else
    printf '%-28s CRASH   runs=%s cov=%s (exit %s)\n' "$t" "${runs:-?}" "${cov:-?}" "$rc"
  fi
  total_runs=$((total_runs + ${runs:-0}))
}

echo "== fuzz: ${#TARGETS[@]} targets x ${SECONDS_PER_TARGET} s, $PARALLEL at a time"
total_runs=0
queue=("${TARGETS[@]}")
while [[ ${#queue[@]} -gt 0 || ${#TARGET_OF[@]} -gt 0 ]]; do
  while [[ ${#crashed[@]} -eq 0 && ${#queue[@]} -gt 0 && ${#TARGET_OF[@]} -lt $PARALLEL ]]; do
    start_target "${queue[0]}"
    queue=("${queue[@]:1}")
  done
  [[ ${#TARGET_OF[@]} -eq 0 ]] && break
  rc=0
  wait -n -p done_pid "${!TARGET_OF[@]}" || rc=$?
  t=${TARGET_OF[$done_pid]}
  unset "TARGET_OF[$done_pid]"
  summarize "$t" "$rc"
  if [[ $rc -ne 0 ]]; then
    crashed+=("$t")
    # Stop at the first crash: end the other runs (by pid) and start no more.
    for pid in "${!TARGET_OF[@]}"; do
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      printf '%-28s stopped (another target crashed)\n' "${TARGET_OF[$pid]}"
      unset "TARGET_OF[$pid]"
    done
    for q in "${queue[@]}"; do printf '%-28s not run (another target crashed)\n' "$q"; done
    queue=()
  fi
done

elapsed=$(($(date +%s) - started_at))
if [[ ${#crashed[@]} -gt 0 ]]; then
  keep_work=1
  for t in "${crashed[@]}"; do
    echo "---- $t: last lines of its log ($WORK/$t.log)"
    grep -v '^#[0-9]' "$WORK/$t.log" | tail -n 40
    for a in "$WORK/artifacts/$t"/*; do
      [[ -e $a ]] || continue
      echo "crash input: $a"
      echo "reproduce:   $BUILD/fuzz/$t $a"
    done
  done
  echo "fuzz: ${#TARGETS[@]} targets, ${#crashed[@]} crashed (${crashed[*]}); artifacts in $WORK/artifacts; $total_runs runs in ${elapsed} s"
  exit 1
fi
echo "fuzz: ${#TARGETS[@]} targets passed, 0 crashed; $total_runs runs in ${elapsed} s (build $((built_at - started_at)) s, ${SECONDS_PER_TARGET} s each, $PARALLEL in parallel)"
