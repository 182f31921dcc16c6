#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The external symbols of both libraries are the public API and nothing
# else: every global symbol either defines starts with "spirq_" (not the
# internal "spirq__"), and both export the same set.  A VMM linking
# libspirq.a statically must not clash with spirq's internal names.
#
# usage: check-symbols.sh NM libspirq.so libspirq.a
set -u
nm=$1
shared=$2
static=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# defined, global or weak, data or code; version nodes (LIBSPIRQ_1) are
# absolute symbols ("A") and not functions
"$nm" -D --defined-only "$shared" | awk '$2 ~ /^[BDGRSTVWi]$/ {print $3}' \
    | sed 's/@.*//' | sort -u > "$dir/shared" || exit 1
"$nm" -g --defined-only "$static" | awk 'NF == 3 && $2 ~ /^[BDGRSTVWi]$/ {print $3}' \
    | sort -u > "$dir/static" || exit 1

status=0
for lib in shared static; do
    n=$(wc -l < "$dir/$lib")
    if [ "$n" -lt 40 ]; then
        echo "$lib: only $n symbols: the listing failed"
        status=1
    fi
    bad=$(grep -v '^spirq_' "$dir/$lib"; grep '^spirq__' "$dir/$lib")
    if [ -n "$bad" ]; then
        echo "$lib library exports symbols outside the public API:"
        echo "$bad" | sed 's/^/  /'
        status=1
    fi
done
if ! diff -u "$dir/shared" "$dir/static"; then
    echo "the two libraries export different symbols"
    status=1
fi
[ $status -eq 0 ] && echo "$(wc -l < "$dir/shared") symbols, all spirq_, identical in both libraries"
exit $status
