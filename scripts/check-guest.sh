#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make check-guest: real Debian Linux guests on QEMU 7.2's pseries machine
# with libspirq as its interrupt controller (integrations/qemu/, the
# x-spirq=on machine property), then the same cases on Debian's stock
# qemu-system-ppc64, then a comparison of what the guests saw (controller,
# CPUs, the IRQ numbers and names of /proc/interrupts).  Every case asserts
# on the guest's own SPIRQ-GUEST lines (tests/guest/run.py); the last line
# is "N passed, N failed" over all three steps.
#
# GUEST_CASES="xics hotplug" runs some cases only.  The same-configuration
# migrations (migrate-xics, migrate-xive, migrate-dual, migrate-xics-to-dual)
# are not run by default: QEMU 7.2 under TCG does not migrate the
# decrementer, and a migrated guest stalls about half the time, with or
# without libspirq (docs/guest-tests.md); GUEST_CASES=all runs them too.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=${GUEST_OUT:-$top/build-guest}
stock_qemu=${STOCK_QEMU:-qemu-system-ppc64}
passed=0
failed=0

# the guest-visible cases of issue 12, and the refused migrations
cases="xics xive dual dual-power8-xics smp4 vsmt8 vsmt8-xics hotplug
hotplug-xics reboot reboot-xics pseries-4.1 pseries-2.12
migrate-xive-to-xics migrate-vsmt-change"
# what the stock QEMU can run of them
stock_cases="xics xive dual dual-power8-xics smp4 vsmt8 vsmt8-xics hotplug
hotplug-xics reboot reboot-xics pseries-4.1 pseries-2.12"
case "${GUEST_CASES:-}" in
"") ;;
all) cases=""; stock_cases="" ;;
*) cases=$GUEST_CASES; stock_cases=$GUEST_CASES ;;
esac

# Run one step, show its output, add its "N passed, N failed" line.
step() {
    log=$(mktemp)
    "$@" 2>&1 | tee "$log"
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    rm -f "$log"
    if [ -z "$last" ]; then
        failed=$((failed + 1))
        return
    fi
    passed=$((passed + ${last%% passed*}))
    f=${last#*, }
    failed=$((failed + ${f%% failed}))
}

echo "=== check-guest: the patched QEMU (cached build)"
if ! qemu_dir=$("$top/scripts/qemu-build.sh"); then
    echo "check-guest: the QEMU build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
qemu=$qemu_dir/bin/qemu-system-ppc64

echo "=== check-guest: QEMU 7.2 with libspirq (-M ...,x-spirq=on)"
# shellcheck disable=SC2086 # one case per word
step "$top/tests/guest/run.py" --qemu "$qemu" --machine-extra ,x-spirq=on \
    --out "$out/spirq" $cases

echo "=== check-guest: Debian's stock QEMU 7.2, the same guests"
# shellcheck disable=SC2086
step "$top/tests/guest/run.py" --stock --qemu "$stock_qemu" \
    --out "$out/stock" $stock_cases

echo "=== check-guest: what the guests saw, stock against libspirq"
step "$top/tests/guest/compare.sh" "$out/stock" "$out/spirq"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
