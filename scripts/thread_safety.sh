#!/usr/bin/env bash
# The lock-annotation lane: every source file that uses common/thread_annotations.h (directly or
# through one of our headers) is compiled by clang with -Wthread-safety -Werror, syntax only, so a
# member read without its GUARDED_BY mutex fails the build here (g++ ignores the annotations).
# Needs clang (scripts/fuzz.sh installs it). Exits non-zero on the first file that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
command -v clang++ >/dev/null || { echo "thread-safety: clang++ missing"; exit 2; }

# Headers that carry annotations, then every .cc that includes thread_annotations.h or one of them.
mapfile -t headers < <(grep -rl --include='*.h' 'common/thread_annotations.h' src |
  sed 's|^src/||')
pattern='common/thread_annotations\.h'
for h in "${headers[@]}"; do pattern+="|\"${h//./\\.}\""; done
mapfile -t sources < <(grep -rlE --include='*.cc' "#include ($pattern)" src | sort)
echo "thread-safety: ${#sources[@]} files use lock annotations"

flags=(-std=c++20 -fsyntax-only -Wthread-safety -Werror=thread-safety -Wno-unknown-warning-option
  -DBOOST_ASIO_NO_DEPRECATED -Isrc -I/usr/include/hiredis -include fuzz/compat/source_location.h)
# Generated headers (the embedded status page) are not needed: those files use no annotations.
printf '%s\n' "${sources[@]}" |
  xargs -P"$JOBS" -I{} sh -c 'clang++ "$@" {} || { echo "thread-safety: {} failed"; exit 255; }' \
    _ "${flags[@]}"
echo "thread-safety: ok"
