#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Make the installed static libspirq.a from the library's objects: one
# relocatable object (a partial link) whose hidden symbols are made local,
# so that only the public spirq_* API stays global.  A VMM that links
# libspirq.a statically then cannot clash with spirq's internal names
# (icp_eoi, xive_router_notify, ...), exactly as with the shared library.
#
# usage: localize-static.sh OBJCOPY AR OUTPUT.a CC [CC-ARG...] -- OBJ...
set -eu
objcopy=$1
ar=$2
output=$3
shift 3

cc=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    cc="$cc $1"
    shift
done
[ $# -gt 0 ] && shift

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2086
$cc -r -nostdlib -o "$work/libspirq.o" "$@"
"$objcopy" --localize-hidden "$work/libspirq.o"
rm -f "$output"
"$ar" rcs "$output" "$work/libspirq.o"
