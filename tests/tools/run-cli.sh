#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run the spirq tool with the arguments in NAME.args (one line, split on
# blanks) and compare its output (standard output and standard error
# together) with NAME.expected and its exit status with NAME.status
# (default 0).
#
# NAME.stdin, when it exists, is the tool's standard input (else
# /dev/null).  NAME.tty, when it exists, runs the tool on a pseudo-terminal
# (util-linux's script), its carriage returns removed from the output.
# When the arguments hold --json, the output must be one valid JSON value
# (python3 -m json.tool): a --json run writes nothing else.
#
# usage: run-cli.sh SPIRQ NAME.args
set -u
spirq=$1
args=$2
base=${args%.args}
out=$(mktemp)
trap 'rm -f "$out" "$out.tty"' EXIT

input=/dev/null
[ -f "$base.stdin" ] && input=$base.stdin

# MESON_EXE_WRAPPER: the cross build's exe_wrapper (qemu-user), split on
# blanks; unset in a native build.
if [ -f "$base.tty" ]; then
    script -qec "${MESON_EXE_WRAPPER:-} '$spirq' $(cat "$args")" /dev/null \
        < /dev/null > "$out.tty" 2>&1
    status=$?
    tr -d '\r' < "$out.tty" > "$out"
else
    # shellcheck disable=SC2046,SC2086
    ${MESON_EXE_WRAPPER:-} "$spirq" $(cat "$args") < "$input" > "$out" 2>&1
    status=$?
fi
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
if grep -qE -- '(^|[[:space:]])--json([[:space:]]|$)' "$args" && ! python3 -m json.tool "$out" > /dev/null; then
    echo "the output of a --json run is not valid JSON"
    exit 1
fi
echo "$(wc -l < "$out") lines match"
