#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What the README's install section promises: after "meson install" (make
# install) the example VMM builds against the installed headers and
# library with pkg-config alone, and runs, and the installed tool runs.
# The tree is installed into a scratch DESTDIR; PKG_CONFIG_SYSROOT_DIR
# and LD_LIBRARY_PATH stand for the prefix the installation would have.
# Both the shared library (pkg-config --libs) and the static one
# (pkg-config --static --libs, with -Wl,-Bstatic) are linked.
#
# usage: check-install.sh BUILD-DIR PREFIX LIBDIR BINDIR CC SOURCE-DIR
#                         [CC-FLAGS]   (-fsanitize=... of a sanitizer build)
set -eu
build=$1 prefix=$2 libdir=$3 bindir=$4 cc=$5 src=$6 ccflags=${7:-}
case "$libdir" in /*) ;; *) libdir=$prefix/$libdir ;; esac
case "$bindir" in /*) ;; *) bindir=$prefix/$bindir ;; esac
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --no-rebuild --destdir "$dest" --quiet >/dev/null

export PKG_CONFIG_PATH="$dest$libdir/pkgconfig"
export PKG_CONFIG_LIBDIR="$dest$libdir/pkgconfig"
export PKG_CONFIG_SYSROOT_DIR="$dest"
cflags=$(pkg-config --cflags libspirq)
libs=$(pkg-config --libs libspirq)
echo "pkg-config: $cflags $libs"

# shellcheck disable=SC2086 # the flags are words
"$cc" -std=c11 -Wall -Wextra -Werror $ccflags -o "$dest/embed" \
    "$src/examples/embed.c" $cflags $libs
LD_LIBRARY_PATH="$dest$libdir" "$dest/embed" > "$dest/out"
grep -q "acknowledged: NSR/CPPR 0x8006" "$dest/out" || {
    echo "embed (shared library) did not run as expected:"
    cat "$dest/out"
    exit 1
}
echo "embed, shared: ok"

static_libs=$(pkg-config --static --libs-only-other --libs-only-L libspirq)
private=$(pkg-config --static --libs-only-l libspirq | sed 's/-lspirq//')
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror $ccflags -o "$dest/embed-static" \
    "$src/examples/embed.c" $cflags $static_libs \
    -Wl,-Bstatic -lspirq -Wl,-Bdynamic $private
if ldd "$dest/embed-static" | grep -q libspirq; then
    echo "embed-static links libspirq.so"
    exit 1
fi
"$dest/embed-static" | grep -q "acknowledged: NSR/CPPR 0x8006"
echo "embed, static: ok"

LD_LIBRARY_PATH="$dest$libdir" "$dest$bindir/spirq" --version
test -f "$dest$prefix/share/man/man1/spirq.1"
echo "man page: ok"
