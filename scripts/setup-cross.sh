#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install, with apt-get, what the cross builds of `make check-cross` need,
# but only what is missing: Debian's cross compilers, qemu-user (the tests
# run through Meson's exe_wrapper, so binfmt_misc is not needed) and, through
# multiarch, the target libraries.  Quick and silent when nothing is missing:
# one dpkg-query per package, no network.
#
# Two development packages cannot be installed for the target here:
# Debian 12's libfdt-dev is not "Multi-Arch: same" (libfdt-dev:s390x would
# replace the native one), and zlib1g-dev:ARCH pulls libc6-dev:ARCH, whose
# Multi-Arch dependencies (linux-libc-dev, libssl3, ...) must have exactly
# the native packages' versions, which the archive's foreign-architecture
# indices do not always have.  Their headers are architecture-independent
# (the native libfdt-dev and zlib1g-dev serve), so for each target this
# installs the runtime libraries libfdt1:ARCH and zlib1g:ARCH and the two
# development links, /usr/lib/TRIPLET/libfdt.so and libz.so, that the -dev
# packages would have installed.  meson.build finds libfdt with
# cc.find_library (Debian 12 ships no libfdt.pc) and Meson's zlib
# dependency falls back to the library and header without zlib.pc.
#
# usage: scripts/setup-cross.sh [DEBIAN-ARCH ...]   (default: s390x ppc64el)
set -eu

arches=${*:-s390x ppc64el}

triplet() {
    case "$1" in
    s390x) echo s390x-linux-gnu ;;
    ppc64el) echo powerpc64le-linux-gnu ;;
    *) echo "spirq: setup-cross: unknown architecture $1" >&2; exit 1 ;;
    esac
}

installed() {
    case "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" in
    *"install ok installed"*) return 0 ;;
    *) return 1 ;;
    esac
}

packages="qemu-user"
new_arches=""
for arch in $arches; do
    t=$(triplet "$arch")
    packages="$packages gcc-$t libc6-dev-$arch-cross libfdt1:$arch zlib1g:$arch \
libcmocka-dev:$arch"
    dpkg --print-foreign-architectures | grep -qx "$arch" ||
        new_arches="$new_arches $arch"
done

missing=""
for pkg in $packages; do
    installed "$pkg" || missing="$missing $pkg"
done

if [ -n "$missing$new_arches" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "spirq: missing for the cross builds:$new_arches$missing" >&2
        echo "spirq: run 'make check-cross' as root once, or install them with apt-get" >&2
        exit 1
    fi
    for arch in $new_arches; do
        echo "spirq: adding the $arch architecture (dpkg multiarch)"
        dpkg --add-architecture "$arch"
    done
    echo "spirq: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    # A mirror caught mid-sync fails one index now and then: try again once,
    # then go on with what was fetched (the install says if it lacks any).
    apt-get update -qq >/dev/null 2>&1 || apt-get update -qq ||
        echo "spirq: apt-get update failed; trying the install anyway" >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

for arch in $arches; do
    t=$(triplet "$arch")
    for pkg_lib in libfdt1:libfdt.so.1 zlib1g:libz.so.1; do
        lib=${pkg_lib#*:}
        link=/usr/lib/$t/${lib%.1}
        [ -e "$link" ] && continue
        if [ "$(id -u)" -ne 0 ]; then
            echo "spirq: $link is missing; run 'make check-cross' as root once" >&2
            exit 1
        fi
        target=$(dpkg -L "${pkg_lib%%:*}:$arch" | grep "/$t/$lib\$" | head -n 1)
        ln -sf "${target:?no $lib in ${pkg_lib%%:*}:$arch}" "$link"
    done
done
