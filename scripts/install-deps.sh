#!/usr/bin/env bash
# Installs every Debian package Kyodo Kiosk needs to build, run and test.
# Idempotent: safe to run again; it only installs what is missing.
# Must run as root (or through sudo) on Debian 12 (bookworm).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake pkg-config git ca-certificates
  # core
  libsqlite3-dev sqlite3 nlohmann-json3-dev libsodium-dev
  # sync
  libcurl4-openssl-dev zlib1g-dev
  # server
  libcpp-httplib-dev libssl-dev openssl libpq-dev
  # app (kiosk)
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri libfreetype-dev libpng-dev
  libqrencode-dev libanthy-dev anthy fonts-morisawa-bizud-gothic
  # sanitizer build and libFuzzer targets (tests/fuzz): clang with its runtime libraries
  clang libclang-rt-14-dev
  # tests: unit tests, headless display, a real PostgreSQL
  doctest-dev xvfb xauth xdotool postgresql procps curl
  # dashboard browser tests (tests/web/browser_test.cpp): headless Chromium + chromedriver
  chromium chromium-driver
)

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -E bash "$0" "$@"; fi
  echo "install-deps: run as root (apt-get needs it)" >&2
  exit 1
fi

missing=()
for p in "${PACKAGES[@]}"; do
  # Captured, not piped into grep -q (under pipefail an early grep exit can fail the pipe).
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi
echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-deps: done"
