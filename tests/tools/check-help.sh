#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every command of the spirq tool (those "spirq --help" lists) answers
# --help with its usage on standard output and exit status 0, also after
# other arguments.
#
# usage: check-help.sh SPIRQ
set -u
spirq=$1
run() {
    # shellcheck disable=SC2086
    ${MESON_EXE_WRAPPER:-} "$spirq" "$@"
}

commands=$(run --help | sed -n '/^commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p')
[ -n "$commands" ] || { echo "no commands in spirq --help"; exit 1; }
fail=0
for cmd in $commands; do
    for help in "--help" "-M pseries-7.2 --help"; do
        # shellcheck disable=SC2086
        text=$(run $cmd $help 2>&1 < /dev/null)
        status=$?
        case "$status:$text" in
        0:usage:*) echo "ok: spirq $cmd $help" ;;
        *) echo "FAIL: spirq $cmd $help: exit status $status:"
           echo "$text" | head -3
           fail=1 ;;
        esac
    done
done
exit $fail
