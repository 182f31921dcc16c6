#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build and run the test suite in each build directory given, then print
# one line "N passed, N failed" summing them all (CI reads that line).
#
# usage: scripts/check.sh BUILD-DIR [BUILD-DIR ...]
set -u

passed=0
failed=0
jobs=${NINJA_JOBS:-2}

for dir in "$@"; do
    echo "=== $dir: build"
    if ! ninja -C "$dir" -j "$jobs"; then
        echo "=== $dir: build FAILED"
        failed=$((failed + 1))
        continue
    fi
    echo "=== $dir: test"
    meson test -C "$dir" --num-processes "$jobs" --print-errorlogs
    log="$dir/meson-logs/testlog.txt"
    # meson's summary: "Ok:  N", "Fail:  N", "Timeout: N", ...
    ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -n 1)
    fail=$(awk '/^(Fail|Timeout|Unexpected Pass):/ {n += $NF} END {print n + 0}' "$log")
    passed=$((passed + ${ok:-0}))
    failed=$((failed + fail))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
