#!/bin/sh
# ctest entry of the browser test: skips (exit 77) when node is missing; status_page_test.js
# itself skips when Chromium or playwright-core is missing. Usage: run_status_page_test.sh NOJD
here=$(dirname "$0")
if ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: node not found (apt-get install nodejs npm; then npm ci in test/ui)"
  exit 77
fi
exec node "$here/status_page_test.js" --nojd "$1"
