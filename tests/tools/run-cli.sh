#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run the spirq tool with the arguments in NAME.args (one line, split on
# blanks) and compare its standard output with NAME.expected and its exit
# status with NAME.status (default 0).
#
# usage: run-cli.sh SPIRQ NAME.args
set -u
spirq=$1
args=$2
base=${args%.args}
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# MESON_EXE_WRAPPER: the cross build's exe_wrapper (qemu-user), split on
# blanks; unset in a native build.
# shellcheck disable=SC2046,SC2086
${MESON_EXE_WRAPPER:-} "$spirq" $(cat "$args") > "$out" 2>&1
status=$?
want=0
[ -f "$base.status" ] && want=$(cat "$base.status")
if [ "$status" -ne "$want" ]; then
    echo "exit status $status, expected $want"
    cat "$out"
    exit 1
fi
if ! diff -u "$base.expected" "$out"; then
    exit 1
fi
echo "$(wc -l < "$out") lines match"
