#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Instructions per interrupt cycle, counted exactly by valgrind's callgrind
# (make bench).  Each cycle of spirq-bench runs on the last vCPU of
# machines of 1, 16, 256 and 4096 vCPUs; spirq-bench checks every cycle's
# results (XIRR, ACK and PQ values, the target's line edges, queue
# entries) and callgrind counts only the functions bench_cycle_* in the
# measured loop: the API calls and the host callback, not the checks.
# Prints one table; fails when a count exceeds its cycle's target or grows
# by more than 5% from 1 to 4096 vCPUs, when a check fails, or when
# callgrind is unavailable.
#
# usage: scripts/bench-instructions.sh SPIRQ-BENCH [K]   (K cycles, 1000)
set -u
bench=$1
k=${2:-1000}
sizes="1 16 256 4096"
growth_limit=5          # percent, 1 -> 4096 vCPUs

if ! command -v valgrind > /dev/null || ! "$bench" callgrind; then
    echo "instruction counts: callgrind unavailable (install valgrind;" \
         "spirq-bench needs valgrind/callgrind.h at build time)"
    exit 1
fi

out=$(mktemp)
trap 'rm -f "$out" "$out.log" "$out.list"' EXIT
status=0

# instructions per cycle of cycle $1 at $2 vCPUs, or "error"
count() {
    if ! valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no \
            '--toggle-collect=bench_cycle_*' --callgrind-out-file="$out" \
            "$bench" cycle "$1" "$2" "$k" > "$out.log" 2>&1; then
        grep '^spirq-bench' "$out.log" >&2
        echo error
        return
    fi
    awk -v k="$k" '/^totals:/ { printf "%.0f\n", $2 / k; found = 1 }
        END { if (!found) print "error" }' "$out"
}

printf '%-78s %7s %7s %7s %7s %7s %6s\n' "cycle (on the last vCPU)" \
    1 16 256 4096 target growth
failures=""
"$bench" list > "$out.list"
while read -r name target title; do
    line=$(printf '%-78s' "$title")
    first=""
    last=""
    worst=0
    for n in $sizes; do
        c=$(count "$name" "$n")
        line="$line $(printf '%7s' "$c")"
        if [ "$c" = error ]; then
            failures="$failures
  $name at $n vCPUs: a check failed"
            continue
        fi
        [ -z "$first" ] && first=$c
        last=$c
        [ "$c" -gt "$worst" ] && worst=$c
    done
    if [ "$worst" -gt "$target" ]; then
        failures="$failures
  $name: up to $worst instructions, target <= $target"
    fi
    growth=$(awk -v a="${first:-0}" -v b="${last:-0}" \
        'BEGIN { if (a > 0) printf "%+.1f%%", (b - a) * 100 / a; else print "-" }')
    if [ -n "$first" ] && [ -n "$last" ] && \
       [ $((last * 100)) -gt $((first * (100 + growth_limit))) ]; then
        failures="$failures
  $name: grows $growth from 1 to 4096 vCPUs (limit +$growth_limit%)"
    fi
    printf '%s %7s %6s\n' "$line" "<= $target" "$growth"
done < "$out.list"
rm -f "$out.list"

if [ -n "$failures" ]; then
    echo "FAIL: instruction counts (per cycle, $k cycles counted):$failures"
    status=1
else
    echo "instruction counts: every target met"
fi
exit $status
