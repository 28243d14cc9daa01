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
  # server: furigana made at publish time (server/furigana.cpp): MeCab and its IPADIC dictionary
  libmecab-dev mecab-ipadic-utf8
  # app (kiosk)
  libimgui-dev libglfw3-dev libgl-dev libgl1-mesa-dri libfreetype-dev libpng-dev
  libqrencode-dev libanthy-dev anthy fonts-morisawa-bizud-gothic
  # kiosk: conversion ranks common words first from the frequency-ordered SKK dictionary
  skkdic
  # sanitizer build and libFuzzer targets (tests/fuzz): clang with its runtime libraries
  clang libclang-rt-14-dev
  # tests: unit tests, headless display, a real PostgreSQL
  doctest-dev xvfb xauth xdotool postgresql procps curl
  # end-to-end walkthroughs: screenshots of the Xvfb display (ImageMagick's import)
  imagemagick
  # dashboard browser tests (tests/web/browser_test.cpp): headless Chromium + chromedriver
  chromium chromium-driver
  # the front door (deploy/nginx/kyodo.conf; tests/integration/test_nginx_front.cpp runs it
  # as an ordinary process, dropped to `nobody` with util-linux's setpriv)
  nginx util-linux
  # notices (tests/server/notices_test.cpp): a real SMTP server on loopback
  python3-aiosmtpd
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
# Installing nginx would start Debian's default site on port 80 (or fail the install where
# port 80 is taken): keep it stopped; the city's own configuration starts it
# (docs/operations.md), and tests run their own.
policy=/usr/sbin/policy-rc.d
own_policy=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n[ "$1" = nginx ] && exit 101\nexit 0\n' > "$policy"
  chmod 755 "$policy"
  own_policy=1
fi
status=0
apt-get install -y --no-install-recommends "${missing[@]}" || status=$?
if [ -n "$own_policy" ]; then rm -f "$policy"; fi
[ "$status" -eq 0 ] || exit "$status"
echo "install-deps: done"
