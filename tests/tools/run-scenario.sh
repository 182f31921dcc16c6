#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run one scenario with "spirq run" and compare its output with the
# expected output next to it (FILE.expected), and its exit status with
# FILE.status when that exists (default 0).
#
# usage: run-scenario.sh SPIRQ SCN-COMPARE [--attested] FILE.scn
set -u
spirq=$1
compare=$2
shift 2
mode=
if [ "$1" = "--attested" ]; then
    mode=--attested
    shift
fi
scn=$1
base=${scn%.scn}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# MESON_EXE_WRAPPER: the cross build's exe_wrapper (qemu-user), split on
# blanks; unset in a native build.
# shellcheck disable=SC2086
${MESON_EXE_WRAPPER:-} "$spirq" run "$scn" > "$out"
status=$?
want=0
[ -f "$base.status" ] && want=$(cat "$base.status")
if [ "$status" -ne "$want" ]; then
    echo "exit status $status, expected $want"
    cat "$out"
    exit 1
fi
# shellcheck disable=SC2086
"$compare" $mode "$out" "$base.expected"
