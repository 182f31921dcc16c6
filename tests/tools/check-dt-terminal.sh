#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# spirq dt writes a binary DTB to a terminal only when asked with "-o -";
# to a pipe it writes it as before.  (The refusal's text is the golden test
# tests/cli/dt-binary-terminal.)  The terminal is a pseudo-terminal from
# util-linux's script.
#
# usage: check-dt-terminal.sh SPIRQ
set -u
spirq=$1
wrapper=${MESON_EXE_WRAPPER:-}
magic=" d0 0d fe ed"
fail=0

check() {
    what=$1 want_status=$2 want_magic=$3 status=$4 head=$5
    if [ "$status" -ne "$want_status" ]; then
        echo "FAIL: $what: exit status $status, expected $want_status"
        fail=1
    elif [ "$want_magic" = yes ] && [ "$head" != "$magic" ]; then
        echo "FAIL: $what: output starts with '$head', not a DTB"
        fail=1
    else
        echo "ok: $what"
    fi
}

out=$(mktemp)
trap 'rm -f "$out"' EXIT

script -qec "$wrapper '$spirq' dt -M pseries-7.2" /dev/null < /dev/null > "$out"
check "terminal, no -o" 3 no $? ""

script -qec "$wrapper '$spirq' dt -M pseries-7.2 -o -" /dev/null < /dev/null > "$out"
check "terminal, -o -" 0 yes $? "$(head -c 4 "$out" | od -An -tx1)"

# shellcheck disable=SC2086
$wrapper "$spirq" dt -M pseries-7.2 > "$out" < /dev/null
check "pipe, no -o" 0 yes $? "$(head -c 4 "$out" | od -An -tx1)"

# shellcheck disable=SC2086
$wrapper "$spirq" dt -M pseries-7.2 -o - > "$out" < /dev/null
check "pipe, -o -" 0 yes $? "$(head -c 4 "$out" | od -An -tx1)"
exit $fail
