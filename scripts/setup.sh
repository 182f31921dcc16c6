#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install, with apt-get, the Debian packages spirq needs to build and test,
# but only those that are missing.  Run by every Makefile target, so it must
# be quick when nothing is missing: one dpkg-query per package, no network.
#
# usage: scripts/setup.sh [extra-package ...]
# (the Makefile's check and fuzz targets add clang libclang-rt-14-dev)
set -eu

# g++ only builds the test that the public headers are C++-clean.
packages="gcc g++ make pkg-config meson ninja-build libfdt-dev libcmocka-dev \
zlib1g-dev device-tree-compiler $*"

# the CLI tests: script (a pseudo-terminal), python3 (JSON validation)
packages="$packages bsdutils python3"

# make bench: callgrind, and valgrind/callgrind.h for spirq-bench (meson
# looks for the header when it configures a build directory)
packages="$packages valgrind"

missing=""
for pkg in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $pkg" ;;
    esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "spirq: missing packages:$missing" >&2
    echo "spirq: run 'make' as root once, or install them with apt-get" >&2
    exit 1
fi

echo "spirq: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# (an index of a foreign architecture added by scripts/setup-cross.sh may
# fail to download while the mirror syncs: go on with what was fetched)
apt-get update -qq || echo "spirq: apt-get update failed; trying the install anyway" >&2
# shellcheck disable=SC2086
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    $missing >/dev/null
