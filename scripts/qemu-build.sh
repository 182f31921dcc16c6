#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build QEMU 7.2's qemu-system-ppc64 with libspirq as the pseries interrupt
# controller (integrations/qemu/): Debian's source package of the exact
# version spirq's conformance data was recorded with, Debian's own patches,
# then integrations/qemu/patches/*.patch in order.  Only ppc64-softmmu,
# without docs, tools, UIs or firmware blobs: the firmware (SLOF) comes at
# run time from Debian's qemu-system-data package (/usr/share/qemu, the
# binary's firmware path).
#
# The result lives outside the work tree, in
#   ${SPIRQ_CACHE:-/var/cache/spirq}/qemu-<key>/
#     bin/qemu-system-ppc64   the patched QEMU (rpath to spirq/lib)
#     spirq/                  libspirq installed from this tree (prefix)
# keyed by a hash of the patches, this script, the QEMU version and
# libspirq's ABI (soname version, SPIRQ_HOST_OPS_VERSION, a hash of the
# public headers), so that repeated
# runs skip the QEMU build.  libspirq itself is rebuilt (incrementally) and
# reinstalled into spirq/ on every run: the cached QEMU always runs the
# library of the tree it is called from.
#
# QEMU's objects also go through ccache (${SPIRQ_CACHE}/ccache, paths made
# relative to the cache): a new key, e.g. after a comment changed in a
# public header, recompiles only what includes libspirq's headers.
#
# Progress goes to stderr; the only line on stdout is the directory.
#
# usage: scripts/qemu-build.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SPIRQ_CACHE:-/var/cache/spirq}
qemu_version=1:7.2+dfsg-7+deb12u18
patches_dir=$top/integrations/qemu/patches
jobs=${NINJA_JOBS:-2}

say() { echo "qemu-build: $*" >&2; }
die() { echo "qemu-build: error: $*" >&2; exit 1; }

# libspirq's ABI: the soname version and the host-callback table version
soversion=$(sed -n "s/.*soversion: *'\([0-9]*\)'.*/\1/p" "$top/src/meson.build")
host_ops=$(sed -n 's/^#define SPIRQ_HOST_OPS_VERSION \([0-9]*\).*/\1/p' \
    "$top/include/spirq/machine.h")
[ -n "$soversion" ] && [ -n "$host_ops" ] ||
    die "cannot read libspirq's ABI version from src/meson.build and include/spirq/machine.h"

# The public headers declare the ABI (struct layouts included): QEMU is
# rebuilt whenever they change, even where the soname does not.
headers=$(cat "$top"/include/spirq/*.h "$top"/include/spirq/*.h.in |
          sha256sum | cut -c1-16)
key=$( { cat "$0" "$patches_dir"/*.patch
         echo "qemu=$qemu_version soversion=$soversion host_ops=$host_ops"
         echo "headers=$headers"
       } | sha256sum | cut -c1-16)
out=$cache/qemu-$key

packages="gcc make pkg-config python3 meson ninja-build dpkg-dev \
libglib2.0-dev libpixman-1-dev libfdt-dev zlib1g-dev qemu-system-data ccache"

install_missing() {
    missing=""
    for pkg in $packages; do
        case "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" in
        *"install ok installed"*) ;;
        *) missing="$missing $pkg" ;;
        esac
    done
    [ -z "$missing" ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing packages:$missing (run as root once)"
    say "installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq ||
        say "apt-get update failed; trying the install anyway"
    # shellcheck disable=SC2086
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends $missing >/dev/null ||
        die "apt-get could not install$missing"
}

# A deb-src entry for each deb entry of the machine's own apt sources:
# the same URIs, suites and components (nothing named here).
add_deb_src() {
    list=/etc/apt/sources.list.d/spirq-deb-src
    if grep -qs '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
       grep -qs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list \
           /etc/apt/sources.list.d/*.list; then
        return 0
    fi
    [ "$(id -u)" -eq 0 ] || die "apt has no deb-src entry: run as root once"
    say "adding deb-src entries derived from the existing apt sources"
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822: copy each stanza whose Types has "deb", as deb-src
        awk 'BEGIN { RS = ""; ORS = "\n\n" }
             /(^|\n)Types:[^\n]*[ \t]deb([ \t\n]|$)/ {
                 gsub(/(^|\n)Types:[^\n]*/, "\nTypes: deb-src")
                 sub(/^\n/, "")
                 print
             }' "$f"
    done >"$list.sources"
    [ -s "$list.sources" ] || rm -f "$list.sources"
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f"
    done >"$list.list"
    [ -s "$list.list" ] || rm -f "$list.list"
    [ -e "$list.sources" ] || [ -e "$list.list" ] ||
        die "no deb entry in the apt sources to derive a deb-src entry from"
    apt-get -o DPkg::Lock::Timeout=600 update -qq ||
        say "apt-get update reported errors; trying the download anyway"
}

# libspirq from this tree, into $out/spirq (incremental after the first run)
install_libspirq() {
    if [ ! -f "$out/spirq-build/build.ninja" ]; then
        meson setup "$out/spirq-build" "$top" -Dtests=false \
            --prefix="$out/spirq" --libdir=lib >"$out/spirq-setup.log" 2>&1 ||
            { tail -20 "$out/spirq-setup.log" >&2; die "libspirq: meson setup failed"; }
    fi
    ninja -C "$out/spirq-build" -j "$jobs" >"$out/spirq-build.log" 2>&1 ||
        { tail -30 "$out/spirq-build.log" >&2; die "libspirq: build failed"; }
    meson install -C "$out/spirq-build" --only-changed >>"$out/spirq-build.log" 2>&1 ||
        { tail -20 "$out/spirq-build.log" >&2; die "libspirq: install failed"; }
}

# ninja's "[n/N]" lines, shown every 5 percent
progress() {
    awk -v what="$1" '
        /^\[[0-9]+\/[0-9]+\]/ {
            split(substr($1, 2), f, "/")
            pct = int(f[1] * 100 / f[2])
            if (pct >= last + 5 || f[1] == f[2]) {
                printf "qemu-build: %s %d%% (%d/%d)\n", what, pct, f[1], f[2] > "/dev/stderr"
                last = pct
            }
        }
        { print }'
}

build_qemu() {
    work=$out/work
    rm -rf "$work"
    mkdir -p "$work"
    chmod 755 "$work"   # apt-get source downloads as _apt
    add_deb_src
    say "fetching Debian's QEMU source package $qemu_version (23.5 MB)"
    if ! (cd "$work" && apt-get source -qq "qemu=$qemu_version") \
            >"$work/fetch.log" 2>&1; then
        tail -10 "$work/fetch.log" >&2
        die "could not download the source package qemu=$qemu_version: check the network and the deb-src entries"
    fi
    src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'qemu-*' | head -1)
    [ -n "$src" ] && [ -f "$src/configure" ] ||
        die "the source package did not unpack (see $work/fetch.log)"

    for p in "$patches_dir"/*.patch; do
        say "applying $(basename "$p")"
        patch -d "$src" -p1 -s --batch --no-backup-if-mismatch <"$p" ||
            die "$(basename "$p") does not apply"
    done

    say "configuring ppc64-softmmu"
    mkdir -p "$src/build"
    # Every key's tree sits at the same depth under $cache: with paths
    # relative to it and the working directory left out of the hash, one
    # key's objects serve the next.
    export CCACHE_DIR=$cache/ccache CCACHE_BASEDIR=$cache CCACHE_NOHASHDIR=1
    if ! (cd "$src/build" &&
          PKG_CONFIG_PATH=$out/spirq/lib/pkgconfig ../configure \
              --cc="ccache gcc" \
              --target-list=ppc64-softmmu \
              --without-default-features \
              --enable-fdt=system --enable-spirq \
              --disable-install-blobs --disable-docs --disable-werror \
              --firmwarepath=/usr/share/qemu \
              --extra-ldflags="-Wl,-rpath,$out/spirq/lib") \
            >"$work/configure.log" 2>&1; then
        tail -20 "$work/configure.log" >&2
        die "QEMU's configure failed (log: $work/configure.log)"
    fi

    say "building qemu-system-ppc64 with $jobs jobs (about 6 minutes on 2 cores)"
    if ! ninja -C "$src/build" -j "$jobs" qemu-system-ppc64 2>&1 |
            progress building >"$work/build.log"; then
        :
    fi
    if [ ! -x "$src/build/qemu-system-ppc64" ]; then
        grep -B2 -A10 -m3 'error' "$work/build.log" >&2 || tail -30 "$work/build.log" >&2
        die "the QEMU build failed (log: $work/build.log)"
    fi
    mkdir -p "$out/bin"
    cp "$src/build/qemu-system-ppc64" "$out/bin/"
    rm -rf "$work"
}

if [ ! -d "$out" ]; then
    [ "$(id -u)" -eq 0 ] || { mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; } ||
        die "$out is missing and $cache is not writable: run as root once, or set SPIRQ_CACHE"
fi
mkdir -p "$out"
install_missing

# One build at a time per key; a second caller waits, then reuses it.
exec 9>"$out.lock"
flock 9

install_libspirq
if [ ! -f "$out/complete" ]; then
    start=$(date +%s)
    rm -rf "$out/bin"
    build_qemu
    "$out/bin/qemu-system-ppc64" -M pseries,x-spirq=on -machine help \
        >/dev/null 2>&1 || true
    : >"$out/complete"
    say "built $out/bin/qemu-system-ppc64 in $(( $(date +%s) - start )) s"
fi
echo "$out"
