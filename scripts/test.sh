#!/usr/bin/env bash
# Runs every test: installs what is missing, builds (warnings are errors), starts a redis-server on
# a free loopback port for the Redis suites, runs the ASan+UBSan lane (unit and contract tests),
# the libFuzzer targets (scripts/fuzz.sh, 20 s each here), the lock annotations checked by clang
# (scripts/thread_safety.sh), then the whole ctest suite (which includes the chaos harness and
# the browser test). Ends with ctest's summary line; exits non-zero if any
# test or fuzz target fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=$(nproc)
# Each stage's heading carries the seconds since the start, so a slow CI run shows where it went.
stage() { echo "== [${SECONDS}s] $*"; }

# Line tables only (-g1) in every tree this script builds: stack traces keep file and line, and
# heavy (Beast) sources compile about 30 % faster than with full -g (15.0 s against 10.3 s for
# the HTTP core's unity batch): the three builds are most of a CI run on 2 cores.
G1=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG")

stage "setup and build (build/)"
scripts/setup.sh build -DNOJ_WERROR=ON "${G1[@]}"

stage "browser test prerequisites (chromium, node, playwright-core for ctest -L browser)"
# Installed here, not in setup.sh: only the status page test needs them. Where they cannot be
# installed the test skips itself with the reason (ctest SKIP_RETURN_CODE 77).
browser_pkgs=()
command -v chromium >/dev/null || browser_pkgs+=(chromium)
command -v node >/dev/null || browser_pkgs+=(nodejs)
command -v npm >/dev/null || browser_pkgs+=(npm)
if [[ ${#browser_pkgs[@]} -gt 0 ]]; then
  SUDO=$([[ $(id -u) -eq 0 ]] && echo "" || echo sudo)
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      "${browser_pkgs[@]}" >/dev/null; } ||
    echo "could not install ${browser_pkgs[*]}: ctest -L browser will be skipped"
fi
if command -v npm >/dev/null; then
  (cd test/ui && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    echo "npm ci failed: ctest -L browser will be skipped"
fi

stage "sanitizer build (build-asan/: unit and contract tests under ASan+UBSan)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNOJ_SANITIZE=ON -DNOJ_WERROR=ON \
  -DCMAKE_C_FLAGS_DEBUG=-g1 -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DNOJ_BUILD_BENCH=OFF >/dev/null
ninja -C build-asan -j"$JOBS" noj_unit_tests

# One redis-server for the Redis suites, on a free loopback port, with AOF in a temp dir.
REDIS_DIR=$(mktemp -d /tmp/noj-test-redis-XXXXXX)
REDIS_PID=
cleanup() {
  # Box cgroups a killed noj-sandbox left (and an old version's shared net namespace): none stay.
  if [[ -x build/src/exe/noj-sandbox ]]; then build/src/exe/noj-sandbox --cleanup >/dev/null 2>&1 || true; fi
  if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  rm -rf "$REDIS_DIR"
}
trap cleanup EXIT
REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly yes --dir "$REDIS_DIR" \
  --daemonize no --loglevel warning >"$REDIS_DIR/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 100); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
export NOJ_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
stage "redis-server pid $REDIS_PID on 127.0.0.1:$REDIS_PORT"

status=0
stage "ASan+UBSan: unit and contract tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Each test binary once, whole (not one ASan process per test case): about 3x faster here.
JOBS=$JOBS scripts/run_test_binaries.sh build-asan 'unit|contract|store' || status=1
unset ASAN_OPTIONS UBSAN_OPTIONS

stage "fuzzing (build-fuzz/: 8 libFuzzer targets, 10 s each under ASan+UBSan, 2 at a time)"
# 10 s: the seed corpora already cover the codecs; longer runs are for scripts/fuzz.sh by hand. The
# whole CI run must stay under 30 minutes on 2 cores.
FUZZ_SECONDS=${FUZZ_SECONDS:-10} scripts/fuzz.sh || status=1

stage "lock annotations (scripts/thread_safety.sh: clang -Wthread-safety on every annotated file)"
scripts/thread_safety.sh || status=1

stage "all tests"
LOG=$(mktemp /tmp/noj-ctest-XXXXXX.log)
set +e
# One more test than cores: most integration tests wait on sockets, processes and leases more
# than they compute (ctest -j2 left the cores half idle); the CPU-sensitive ones run alone
# (RUN_SERIAL) or hold their boxes (RESOURCE_LOCK).
(cd build && ctest -j"$((JOBS + 1))" --output-on-failure --timeout 600) 2>&1 | tee "$LOG"
ctest_rc=${PIPESTATUS[0]}
set -e
[[ $ctest_rc -eq 0 ]] || status=1
# ctest lists skipped tests after its summary; end the output with the summary line itself.
summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$LOG" | tail -n 1)
rm -f "$LOG"
stage "done"
# The chaos harness's figures (ctest keeps passing tests' output in LastTest.log).
grep -hE '^chaos (store|callbacks store)=' build/Testing/Temporary/LastTest.log 2>/dev/null || true
echo
echo "$summary"
exit $status
