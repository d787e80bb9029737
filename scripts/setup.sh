#!/usr/bin/env bash
# Installs the Debian 12 packages noj-dispatch needs (only when some are missing) and builds it.
#   scripts/setup.sh [BUILD_DIR] [extra cmake args…]     (default build dir: build/)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build g++ gcc pkg-config python3 zip unzip curl ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libsqlite3-dev libhiredis-dev redis-server libssl-dev libzip-dev
  libseccomp-dev libcli11-dev libspdlog-dev libfmt-dev prometheus-cpp-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
fi

# The toolchains of config/languages.toml (docs/languages.md, "Shipped languages"): best effort.
# Where one cannot be installed its tests skip with the reason (ctest -L languages) and a runner
# does not declare it; nothing else needs them.
TOOLCHAINS=(openjdk-17-jdk-headless rustc golang-go pypy3 nodejs)
missing=()
for p in "${TOOLCHAINS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing the language toolchains ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq || true
  for p in "${missing[@]}"; do  # one by one: a package the mirror lacks must not stop the others
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$p" >/dev/null ||
      echo "setup: could not install $p: its language tests will be skipped"
  done
fi

BUILD_DIR=${1:-build}
shift || true
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
ninja -C "$BUILD_DIR" -j"$(nproc)"
