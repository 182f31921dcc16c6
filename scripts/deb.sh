#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Debian packages from debian/: libspirq1, libspirq-dev and spirq.
#
#   scripts/deb.sh build OUT-DIR   copy the tree to OUT-DIR/src and run
#                                  dpkg-buildpackage -us -uc -b there
#                                  (DEB_BUILD_OPTIONS=nocheck: make check
#                                  runs the tests); the .debs land in OUT-DIR
#   scripts/deb.sh check OUT-DIR   build, then check: lintian reports no
#                                  error, the packages hold what they
#                                  should, and, unpacked into a scratch
#                                  root, examples/embed.c builds against
#                                  them with pkg-config and runs, and so
#                                  does the tool; one line "N passed,
#                                  N failed" at the end
set -u
mode=$1
out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
case "$out" in /*) ;; *) out=$(pwd)/$out ;; esac

build() {
    rm -rf "$out"
    mkdir -p "$out/src"
    # the working tree as it is, without build trees and git metadata
    tar -C "$top" --exclude='./build' --exclude='./build-*' \
        --exclude=./.git --exclude=./fuzz-corpus -cf - . |
        tar -C "$out/src" -xf - || return 1
    (cd "$out/src" &&
        DEB_BUILD_OPTIONS="nocheck parallel=${NINJA_JOBS:-2}" \
        dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1
}

if [ "$mode" = build ]; then
    echo "=== debian packages: build (log: $out/build.log)"
    build || { tail -n 30 "$out/build.log"; exit 1; }
    ls "$out"/*.deb
    exit 0
fi

passed=0
failed=0
result() {  # NAME STATUS
    if [ "$2" -eq 0 ]; then
        echo "deb/$1: ok"
        passed=$((passed + 1))
    else
        echo "deb/$1: FAILED"
        failed=$((failed + 1))
    fi
}
summary() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

echo "=== debian packages: build (log: $out/build.log)"
build
status=$?
[ $status -ne 0 ] && tail -n 30 "$out/build.log"
result build $status
[ $status -ne 0 ] && summary

echo "=== lintian"
changes=$(ls "$out"/*.changes)
lintian --fail-on error --tag-display-limit 0 "$changes"
result lintian $?

arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
root=$out/root
rm -rf "$root"
mkdir -p "$root"
for deb in "$out"/*.deb; do
    dpkg-deb -x "$deb" "$root" || result "unpack-$(basename "$deb")" 1
done

echo "=== contents"
contents_ok() {
    for pkg in libspirq1 libspirq-dev spirq; do
        ls "$out/${pkg}_"*.deb >/dev/null 2>&1 ||
            { echo "no package $pkg"; return 1; }
    done
    dpkg-deb -I "$out"/libspirq1_*.deb symbols | grep -q '^libspirq.so.1 libspirq1' ||
        { echo "libspirq1 has no symbols file"; return 1; }
    dpkg-deb -f "$out"/libspirq-dev_*.deb Depends | grep -q 'libspirq1 (=' ||
        { echo "libspirq-dev does not depend on libspirq1"; return 1; }
    for f in usr/lib/$arch/libspirq.so.1 usr/lib/$arch/libspirq.a \
             usr/lib/$arch/libspirq.so usr/lib/$arch/pkgconfig/libspirq.pc \
             usr/include/spirq/spirq.h usr/include/spirq/version.h \
             usr/bin/spirq usr/share/man/man1/spirq.1.gz; do
        [ -e "$root/$f" ] || { echo "missing /$f"; return 1; }
    done
}
contents_ok
result contents $?

echo "=== examples/embed.c against the packages (scratch root $root)"
export PKG_CONFIG_PATH="$root/usr/lib/$arch/pkgconfig"
export PKG_CONFIG_LIBDIR="$root/usr/lib/$arch/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$root"
embed_ok() {
    # shellcheck disable=SC2046 # the flags are words
    cc -std=c11 -Wall -Wextra -Werror -o "$out/embed" \
        "$top/examples/embed.c" $(pkg-config --cflags --libs libspirq) &&
        LD_LIBRARY_PATH="$root/usr/lib/$arch" "$out/embed" |
        grep -q "acknowledged: NSR/CPPR 0x8006"
}
embed_ok
result embed-shared $?
embed_static_ok() {
    private=$(pkg-config --static --libs-only-l libspirq | sed 's/-lspirq//')
    # shellcheck disable=SC2046,SC2086
    cc -std=c11 -Wall -Wextra -Werror -o "$out/embed-static" \
        "$top/examples/embed.c" $(pkg-config --cflags --libs-only-L libspirq) \
        -Wl,-Bstatic -lspirq -Wl,-Bdynamic $private &&
        ! ldd "$out/embed-static" | grep -q libspirq &&
        "$out/embed-static" | grep -q "acknowledged: NSR/CPPR 0x8006"
}
embed_static_ok
result embed-static $?

LD_LIBRARY_PATH="$root/usr/lib/$arch" "$root/usr/bin/spirq" --version
result spirq-version $?
summary
