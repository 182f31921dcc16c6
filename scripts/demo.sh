#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make demo: replay a real Linux guest's XIVE boot, recorded on QEMU 7.2,
# through spirq; print the final "info pic" and a one-line verdict that
# compares every ESB/TIMA load value with the recording.
#
# usage: scripts/demo.sh SPIRQ
set -u
spirq=$1
top=$(cd "$(dirname "$0")/.." && pwd)
scn=$top/tests/conformance/boot/xive-smp2.scn
expected=$top/tests/conformance/boot/xive-smp2.expected
out=$(mktemp)
trap 'rm -f "$out" "$out.loads" "$out.want"' EXIT

echo "== A Debian Linux 6.1 guest booting with ic-mode=xive, 2 vCPUs,"
echo "== recorded on QEMU 7.2, replayed through spirq:"
echo "   $(grep -c . "$scn") scenario lines: claims, CAS, hcalls, ESB and TIMA accesses, device lines"
echo
if ! "$spirq" run "$scn" > "$out"; then
    echo "spirq run failed"
    exit 1
fi

echo "== final info pic:"
# the last block: from the last "CPU[0000]" header to "irqchip:"
awk '/^CPU\[0000\]:   QW/ { block = "" } { block = block $0 "\n" }
     /^irqchip:/ { last = block; block = "" } END { printf "%s", last }' "$out"
echo

grep '^load ' "$out" > "$out.loads"
grep '^load ' "$expected" > "$out.want"
total=$(wc -l < "$out.want")
same=$(paste -d '\n' "$out.loads" "$out.want" | awk 'NR % 2 { a = $0; next } a == $0 { n++ } END { print n + 0 }')
if [ "$same" -eq "$total" ] && [ "$(wc -l < "$out.loads")" -eq "$total" ]; then
    echo "verdict: all $total load values identical to the QEMU 7.2 recording"
else
    echo "verdict: $same of $total load values identical to the QEMU 7.2 recording: MISMATCH"
    exit 1
fi
