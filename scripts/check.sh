#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build and run the test suite in each build directory given, then print
# one line "N passed, N failed" summing them all (CI reads that line).
# With --fuzz DIR, also build the libFuzzer targets in DIR (clang, ASan +
# UBSan) and run each for a few seconds (FUZZ_SMOKE_SECONDS, default 5):
# one test per target, a crash is a failure.
# With --tsan DIR, also build in DIR (a -Db_sanitize=thread tree) only the
# programs of the test suite "threads" (the multi-threaded tests) and run
# them: a data race ThreadSanitizer reports fails its test.
# With --release DIR, also build DIR (the release build make bench uses:
# gcc -O3 finds warnings the other builds do not) and run its spirq-bench
# check (every benchmark cycle, checked, at 1 to 4096 vCPUs): one test.
# TIMEOUT_MULTIPLIER (default 1) scales every test's timeout (meson test
# --timeout-multiplier): make check-cross runs the tests under qemu-user.
#
# usage: scripts/check.sh BUILD-DIR [BUILD-DIR ...] [--tsan TSAN-DIR]
#                         [--release DIR] [--fuzz FUZZ-DIR]
set -u

passed=0
failed=0
jobs=${NINJA_JOBS:-2}
fuzz_dir=""
tsan_dir=""
release_dir=""
top=$(cd "$(dirname "$0")/.." && pwd)

# Add the results of the last "meson test" in $1 to the totals.
count_results() {
    log="$1/meson-logs/testlog.txt"
    # meson's summary: "Ok:  N", "Fail:  N", "Timeout: N", ...
    ok=$(awk '/^Ok:/ {print $2}' "$log" | tail -n 1)
    fail=$(awk '/^(Fail|Timeout|Unexpected Pass):/ {n += $NF} END {print n + 0}' "$log")
    passed=$((passed + ${ok:-0}))
    failed=$((failed + fail))
}

# The programs of the tests of suite $2 in build tree $1, as ninja targets.
suite_targets() {
    meson introspect "$1" --tests | python3 -c '
import json, os, sys
top, suite = sys.argv[1], "spirq:" + sys.argv[2]
for t in json.load(sys.stdin):
    if suite in t["suite"]:
        print(os.path.relpath(t["cmd"][0], top))' "$1" "$2" | sort -u
}

want=""
for dir in "$@"; do
    case "$want" in
    fuzz) fuzz_dir=$dir; want=""; continue ;;
    tsan) tsan_dir=$dir; want=""; continue ;;
    release) release_dir=$dir; want=""; continue ;;
    esac
    case "$dir" in
    --fuzz) want=fuzz; continue ;;
    --tsan) want=tsan; continue ;;
    --release) want=release; continue ;;
    esac
    echo "=== $dir: build"
    if ! ninja -C "$dir" -j "$jobs"; then
        echo "=== $dir: build FAILED"
        failed=$((failed + 1))
        continue
    fi
    echo "=== $dir: test"
    meson test -C "$dir" --num-processes "$jobs" --print-errorlogs \
        --timeout-multiplier "${TIMEOUT_MULTIPLIER:-1}"
    count_results "$dir"
done

if [ -n "$tsan_dir" ]; then
    echo "=== $tsan_dir: ThreadSanitizer build of the threaded tests"
    targets=$(suite_targets "$tsan_dir" threads)
    # shellcheck disable=SC2086 # one target per word
    if [ -z "$targets" ] || ! ninja -C "$tsan_dir" -j "$jobs" $targets; then
        echo "=== $tsan_dir: build FAILED"
        failed=$((failed + 1))
    else
        echo "=== $tsan_dir: test (suite threads)"
        meson test -C "$tsan_dir" --no-rebuild --suite threads \
            --num-processes "$jobs" --print-errorlogs \
            --timeout-multiplier "${TIMEOUT_MULTIPLIER:-1}"
        count_results "$tsan_dir"
    fi
fi

if [ -n "$release_dir" ]; then
    echo "=== $release_dir: release build and benchmark cycles"
    if ninja -C "$release_dir" -j "$jobs" &&
       "$release_dir/tools/bench/spirq-bench" check > "$release_dir/bench-check.log" 2>&1; then
        echo "$release_dir: ok"
        passed=$((passed + 1))
    else
        [ -f "$release_dir/bench-check.log" ] && grep -v ': ok$' "$release_dir/bench-check.log"
        echo "=== $release_dir: FAILED"
        failed=$((failed + 1))
    fi
fi

if [ -n "$fuzz_dir" ]; then
    echo "=== $fuzz_dir: fuzz build and smoke run"
    results=$(mktemp)
    FUZZ_BUILD=$fuzz_dir "$top/scripts/fuzz.sh" smoke | tee "$results"
    n=$(grep -c '^fuzz/.*: ok' "$results")
    f=$(grep -c '^fuzz/.*: FAILED' "$results")
    if [ "$n" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "=== $fuzz_dir: build FAILED"
        f=1
    fi
    passed=$((passed + n))
    failed=$((failed + f))
    rm -f "$results"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
