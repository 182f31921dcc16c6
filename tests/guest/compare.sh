#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Compare the guest-visible records (NAME.record: controller, CPUs and the
# /proc/interrupts IRQ numbers, chips and names, without counts) of two
# runs of tests/guest/run.py, for example stock QEMU against QEMU on
# libspirq.  Every case recorded in both directories is diffed; prints
# "PASS compare-NAME" or "FAIL compare-NAME" with the diff, then
# "N passed, N failed".
#
# usage: tests/guest/compare.sh REFERENCE-DIR OTHER-DIR [CASE ...]
set -u

[ $# -ge 2 ] || { echo "usage: $0 REFERENCE-DIR OTHER-DIR [CASE ...]" >&2; exit 2; }
ref=$1
other=$2
shift 2
if [ $# -eq 0 ]; then
    set -- $(cd "$ref" && ls ./*.record 2>/dev/null | sed 's|^\./||; s|\.record$||')
fi

passed=0
failed=0
for name in "$@"; do
    if [ ! -f "$ref/$name.record" ] || [ ! -f "$other/$name.record" ]; then
        echo "FAIL compare-$name: no record in $( [ -f "$ref/$name.record" ] && echo "$other" || echo "$ref")"
        failed=$((failed + 1))
        continue
    fi
    if out=$(diff -u "$ref/$name.record" "$other/$name.record"); then
        echo "PASS compare-$name"
        passed=$((passed + 1))
    else
        echo "FAIL compare-$name: the guest sees a difference:"
        echo "$out" | sed 's/^/  /'
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
