#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make check-kvm: the tests of tests/kvm/ on real Linux KVM, which runs as
# the L1 of QEMU TCG (docs/kvm-tests.md):
#   1. the L1 files, cached (scripts/kvm-build.sh);
#   2. the static ppc64le build (KVM_BUILD, default build-kvm-ppc64le:
#      libspirq and the test programs, -Dkvm_tests=true);
#   3. one initramfs with every program of KVM_BUILD/tests/kvm/;
#   4. each L1 machine booted under timeout, its console in
#      KVM_BUILD/l1/MACHINE.log; init runs the programs and powers off;
#   5. every program's lines quoted from the console, counted.
# Ends with one line "N passed, N failed"; exits non-zero on a failure.
#
# Environment:
#   KVM_MACHINES   L1 machines, default "pseries powernv9"
#   KVM_TESTS      programs to run, default all (probe first)
#   KVM_SMP        L1 CPUs, default 2
#   KVM_BOOT_TIMEOUT  seconds per L1 boot, default 300
#   KVM_TEST_TIMEOUT  seconds per program inside the L1, default 60
#   QEMU           default qemu-system-ppc64
#   NINJA_JOBS     default 2
set -u -o pipefail

cd "$(dirname "$0")/.." || exit 1
build=${KVM_BUILD:-build-kvm-ppc64le}
machines=${KVM_MACHINES:-pseries powernv9}
smp=${KVM_SMP:-2}
boot_timeout=${KVM_BOOT_TIMEOUT:-300}
test_timeout=${KVM_TEST_TIMEOUT:-60}
qemu=${QEMU:-qemu-system-ppc64}
jobs=${NINJA_JOBS:-2}

passed=0
failed=0

say() { echo "check-kvm: $*"; }
# a step that cannot go on: the summary counts it as one failure
give_up() {
    say "error: $*"
    echo "$passed passed, $((failed + 1)) failed"
    exit 1
}

for tool in "$qemu" timeout meson ninja powerpc64le-linux-gnu-gcc; do
    command -v "$tool" >/dev/null ||
        give_up "$tool is missing: run 'make check-kvm' as root once (it installs the packages)"
done
[ -f /usr/share/qemu/skiboot.lid ] ||
    give_up "/usr/share/qemu/skiboot.lid is missing (package qemu-system-data)"
[ -f /usr/powerpc64le-linux-gnu/lib/libc.a ] ||
    give_up "the static ppc64le libc is missing (package libc6-dev-ppc64el-cross)"

start=$SECONDS
cache=$(scripts/kvm-build.sh) || give_up "scripts/kvm-build.sh failed"
say "L1 files: $cache ($((SECONDS - start)) s)"

# the build directory belongs to one cache directory (its static.ini)
if [ -f "$build/build.ninja" ] && [ "$(cat "$build/.kvm-cache" 2>/dev/null)" != "$cache" ]; then
    say "$build was configured for another cache: configuring it again"
    rm -rf "$build"
fi
start=$SECONDS
if [ ! -f "$build/build.ninja" ]; then
    rm -rf "$build"     # a setup that failed half-way
    meson setup "$build" --cross-file cross/powerpc64le-linux-gnu.ini \
        --cross-file "$cache/static.ini" -Dtests=false -Dkvm_tests=true \
        >"$build.setup.log" 2>&1 || {
        cat "$build.setup.log"
        give_up "meson setup $build failed"
    }
    mv "$build.setup.log" "$build/setup.log"
    echo "$cache" >"$build/.kvm-cache"
fi
ninja -C "$build" -j "$jobs" >"$build/ninja.log" 2>&1 || {
    cat "$build/ninja.log"
    give_up "the ppc64le build failed"
}
say "static ppc64le build: $build ($((SECONDS - start)) s)"

# the programs: every executable of tests/kvm/, probe first
programs=()
names=${KVM_TESTS:-probe $(cd "$build/tests/kvm" &&
    find . -maxdepth 1 -type f -perm -u+x -printf '%f\n' | grep -vx probe | sort)}
for name in $names; do
    [ -x "$build/tests/kvm/$name" ] || give_up "no test program $build/tests/kvm/$name"
    programs+=("$build/tests/kvm/$name")
done
mkdir -p "$build/l1"
initramfs=$build/l1/initramfs.cpio.gz
# the spirq tool too, static: /bin/spirq in the L1
KVM_TOOLS=$build/tools/spirq/spirq \
    scripts/kvm-build.sh initramfs "$initramfs" "${programs[@]}" ||
    give_up "the initramfs could not be built"

machine_args() {
    case "$1" in
    pseries)
        # nested HV: KVM's XICS emulation (the POWER8 / nested host path)
        echo "-M pseries,cap-nested-hv=on -cpu POWER9 -vga none"
        ;;
    powernv9 | powernv10)
        # bare-metal HV: XICS-on-XIVE and XIVE native.  The IPMI BMC pair:
        # without it OPAL's power-off goes nowhere and QEMU never exits;
        # -nodefaults: no PCIe link training (9 s of boot)
        echo "-M $1 -device ipmi-bmc-sim,id=bmc0 -device isa-ipmi-bt,bmc=bmc0,irq=10"
        ;;
    *)
        return 1
        ;;
    esac
}

# the console lines of one machine's run, quoted; prints the counts last
# as "COUNT passed failed".  A kernel message may share a console line
# with a test's (no newline in between): each marker is looked for
# anywhere in the line, and what comes before it is dropped.
read_console() {
    tr -d '\r' <"$2" | awk -v machine="$1" '
        function quote(text) { print "  [" machine "] " text }
        function from(pattern,    at) {
            at = match($0, pattern)
            if (at == 0) return 0
            $0 = substr($0, at)
            return 1
        }
        function close_test(status) {
            if (!summary) {
                quote(name ": no summary line (status " status ")")
                f++
            } else if (status != 0 && tf == 0) {
                quote(name ": exit status " status)
                f++
            }
            name = ""
        }
        from("SPIRQ-KVM (host|tool|error|begin|end|done)") {
            if ($2 == "host" || $2 == "tool") quote($0)
            if ($2 == "error") { quote($0); f++ }
            if ($2 == "begin") { name = $3; summary = 0; tf = 0 }
            if ($2 == "end" && name != "") {
                status = $4; sub(/^status=/, "", status)
                close_test(status + 0)
            }
            if ($2 == "done") done = 1
            next
        }
        name == "" { next }
        from("[0-9]+ passed, [0-9]+ failed$") {
            quote(name ": " $0)
            summary = 1; p += $1; f += $3; tf = $3; next
        }
        from("(PASS|FAIL): |^# |^vmm: ") { quote(name ": " $0) }
        END {
            if (name != "") { quote(name ": cut off"); f++ }
            if (!done) { quote("the L1 did not finish (see its log)"); f++ }
            print "COUNT", p + 0, f + 0
        }'
}

for machine in $machines; do
    args=$(machine_args "$machine") || give_up "unknown L1 machine $machine"
    log=$build/l1/$machine.log
    say "booting the $machine L1 (-smp $smp, timeout $boot_timeout s), console in $log"
    start=$SECONDS
    # shellcheck disable=SC2086
    timeout --kill-after=10 "$boot_timeout" "$qemu" $args -nodefaults \
        -display none -monitor none -serial stdio -smp "$smp" -m 2G -no-reboot \
        -kernel "$cache/vmlinux" -initrd "$initramfs" \
        -append "console=hvc0 quiet spirq.test_timeout=$test_timeout" \
        </dev/null >"$log" 2>&1
    rc=$?
    seconds=$((SECONDS - start))
    [ "$rc" -eq 124 ] && say "the $machine L1 timed out after $boot_timeout s"
    [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && say "$qemu exited with $rc"
    console=$(read_console "$machine" "$log")
    grep -v '^COUNT ' <<<"$console"
    read -r _ p f < <(grep '^COUNT ' <<<"$console")
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    say "$machine: $p passed, $f failed, $seconds s"
    passed=$((passed + p))
    failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
