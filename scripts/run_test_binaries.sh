#!/usr/bin/env bash
# Runs each GoogleTest binary that has tests with the given ctest labels ONCE, whole, JOBS at a
# time, instead of one process per test case as ctest does (gtest_discover_tests). For the
# sanitizer lane: an ASan+UBSan process costs a few hundred ms to start, and the lane's ~900 test
# cases live in ~20 binaries. Prints one line per binary and the log of each that failed; exits 1
# if any failed.
#   scripts/run_test_binaries.sh BUILD_DIR 'unit|contract|store'
set -euo pipefail
BUILD=$1
LABELS=$2
JOBS=${JOBS:-$(nproc)}
LOGS=$(mktemp -d /tmp/noj-binaries-XXXXXX)
trap 'rm -rf "$LOGS"' EXIT

mapfile -t binaries < <(cd "$BUILD" && ctest -L "$LABELS" --show-only=json-v1 | python3 -c '
import json, sys
seen = []
for test in json.load(sys.stdin)["tests"]:
    exe = test["command"][0]
    if exe not in seen:
        seen.append(exe)
print("\n".join(seen))')
echo "test binaries: ${#binaries[@]} (labels $LABELS), $JOBS at a time"

run_one() {
  local exe=$1 logs=$2 name started rc
  name=$(basename "$exe")
  started=$SECONDS
  set +e
  (cd "$(dirname "$exe")" && timeout 900 "$exe" --gtest_brief=1) >"$logs/$name.log" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    echo "ok      $name ($((SECONDS - started)) s)"
  else
    echo "FAILED  $name (exit $rc, $((SECONDS - started)) s)"
    touch "$logs/$name.failed"
  fi
}
export -f run_one
printf '%s\n' "${binaries[@]}" | xargs -P"$JOBS" -I{} bash -c 'run_one "$1" "$2"' _ {} "$LOGS"

failed=0
for f in "$LOGS"/*.failed; do
  [[ -e $f ]] || continue
  failed=1
  log=${f%.failed}.log
  echo "---- $(basename "$log" .log) ----"
  tail -n 60 "$log"
done
[[ $failed -eq 0 ]] && echo "test binaries: all passed" || echo "test binaries: some FAILED"
exit $failed
