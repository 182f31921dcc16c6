#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The libFuzzer targets in fuzz/: build them (clang, ASan + UBSan), make
# their seed corpora from the project's scenarios, run them.
#
# usage: scripts/fuzz.sh build
#        scripts/fuzz.sh corpus
#        scripts/fuzz.sh run [TARGET...]    each target FUZZ_SECONDS (60),
#                                           then a table of executions per
#                                           second (target: 5,000)
#        scripts/fuzz.sh smoke              each target FUZZ_SMOKE_SECONDS
#                                           (5), one result line per target;
#                                           SPIRQ_FUZZ_VERIFY=1: each input
#                                           also checked to do the same on a
#                                           cached machine and a new one
#
# Environment: FUZZ_BUILD (build tree, default TOP/build-fuzz), FUZZ_SECONDS,
# FUZZ_SMOKE_SECONDS, NINJA_JOBS (2), FUZZ_CC (clang), FUZZ_ENTROPIC (0:
# libFuzzer's entropic schedule, which ranks inputs by rare features, costs
# about half the time of the targets that reach many features; 1 turns it
# on).
#
# Layout of the build tree: fuzz/fuzz-TARGET (the targets), seeds/TARGET/
# (made from the scenarios), seed-corpus/TARGET/ (the seeds that add
# coverage: smoke runs start there), corpus/TARGET/ (those, then what the
# fuzzer finds: runs start there), artifacts/TARGET/ (crash-*, timeout-*,
# leak-* inputs), logs/TARGET.log (smoke runs).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-$top/build-fuzz}
jobs=${NINJA_JOBS:-2}
all_targets="hcall rtas mmio machine restore scenario storm"
# the targets whose machines come from a cache (fz_run, fuzz-storm's,
# fuzz-scenario's; SPIRQ_FUZZ_VERIFY)
cached_targets="hcall rtas mmio machine restore scenario storm"
goal=5000

do_build() {
    if [ ! -f "$build/build.ninja" ]; then
        CC=${FUZZ_CC:-clang} meson setup "$build" "$top" \
            -Dfuzz=true -Dtests=false \
            -Db_sanitize=address,undefined -Db_lundef=false || return 1
    fi
    ninja -C "$build" -j "$jobs"
}

# The scenarios the seeds come from.
scenarios() {
    for f in "$top"/tests/scenarios/*.scn "$top"/tests/conformance/diff/*.scn \
             "$top"/tests/conformance/boot/*.scn; do
        [ -f "$f" ] && echo "$f"
    done
}

# Seeds from the scenarios into seeds/TARGET/, then merged into
# corpus/TARGET/ (libFuzzer -merge=1 keeps the inputs that add coverage).
do_corpus() {
    seed="$build/fuzz/fuzz-seed"
    # shellcheck disable=SC2046
    set -- $(scenarios)
    rm -rf "$build/seeds"
    for t in $all_targets; do
        mkdir -p "$build/seeds/$t" "$build/corpus/$t"
    done
    for t in hcall rtas mmio machine; do
        "$seed" encode "$t" "$build/seeds/$t" "$@" || return 1
    done
    for f in "$@"; do
        d=$(basename "$(dirname "$f")")
        cp "$f" "$build/seeds/scenario/$d-$(basename "$f")"
    done
    "$seed" storm "$build/seeds/storm" || return 1
    # the streams of the scenarios run with "save" inserted; the runner
    # writes them in the seed directory (relative names)
    abs=$(cd "$build/seeds/restore" && pwd)
    "$seed" streams "$abs" "$@" || return 1
    # seed-corpus/TARGET: the seeds that add coverage (what smoke runs
    # start from); corpus/TARGET gets them too (libFuzzer names inputs by
    # their SHA-1: no duplicates)
    rm -rf "$build/seed-corpus"
    for t in $all_targets; do
        mkdir -p "$build/seed-corpus/$t"
        "$build/fuzz/fuzz-$t" -merge=1 -timeout=30 -close_fd_mask=2 \
            "$build/seed-corpus/$t" "$build/seeds/$t" \
            >"$build/seeds/$t.log" 2>&1 ||
            { cat "$build/seeds/$t.log"; return 1; }
        cp "$build/seed-corpus/$t"/* "$build/corpus/$t/"
        echo "corpus/$t: $(find "$build/corpus/$t" -type f | wc -l) inputs" \
             "($(find "$build/seeds/$t" -type f | wc -l) seeds," \
             "$(find "$build/seed-corpus/$t" -type f | wc -l) kept)"
    done
    touch "$build/corpus/.stamp"
}

# The corpus is made again when a scenario or the seed generator changed.
corpus_is_fresh() {
    [ -f "$build/corpus/.stamp" ] || return 1
    [ -z "$(find "$top/tests" "$top/fuzz" "$build/fuzz/fuzz-seed" \
            -newer "$build/corpus/.stamp" \( -name '*.scn' -o -name 'fuzz-seed*' \) \
            2>/dev/null | head -n 1)" ]
}

# run_target TARGET SECONDS CORPUS-DIR...: libFuzzer on the corpus (new
# inputs go to the first directory).
run_target() {
    t=$1
    secs=$2
    shift 2
    dirs="$*"
    mkdir -p "$build/artifacts/$t" "$build/corpus/$t"
    set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" \
        -entropic="${FUZZ_ENTROPIC:-0}"
    # bounded work per input: long seeds (recorded boots) are cut
    case "$t" in
    scenario)
        # the runner reports syntax errors on stderr: keep only libFuzzer's
        set -- "$@" -max_len=4096 -close_fd_mask=2 \
            -dict="$top/fuzz/scenario.dict" ;;
    restore)
        set -- "$@" -max_len=4096 ;;
    storm)
        # two bytes a choice, a few choices an operation: the 32
        # operations fuzz-storm runs at most (MAX_OPS)
        set -- "$@" -max_len=256 ;;
    *)
        set -- "$@" -max_len=1024 ;;
    esac
    # shellcheck disable=SC2086
    "$build/fuzz/fuzz-$t" "$@" $dirs
}

# CPU seconds of this shell's children so far: "times" (second line) run
# in this shell (a command substitution's subshell has no children).
child_cpu() {
    times >"$build/logs/times"
    awk 'NR == 2 {
        n = split($0, f, " "); s = 0
        for (i = 1; i <= n; i++) {
            split(f[i], ms, "m"); sub("s", "", ms[2]); s += ms[1] * 60 + ms[2]
        }
        print s }' "$build/logs/times" >"$build/logs/cpu"
}

# The summary table: TARGET RUNS SECONDS CPU-SECONDS lines on stdin.
summary() {
    awk -v goal="$goal" -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" '
    BEGIN {
        printf "=== fuzz: executions per second (ASan+UBSan; goal %d/s)\n", goal
        printf "%-10s %10s %6s %9s %13s  %s\n", "target", "runs", "s", \
               "exec/s", "exec/CPU-s", "goal"
    }
    {
        rate = $3 > 0 ? $2 / $3 : 0; cpu = $4 > 0 ? $2 / $4 : 0
        printf "%-10s %10d %6d %9d %13d  %s\n", $1, $2, $3, rate, cpu, \
               (rate >= goal ? "met" : "NOT met")
    }
    END { printf "(load average %s; exec/CPU-s: per second of this process'"'"'s CPU time)\n", load }'
}

do_run() {
    secs=${FUZZ_SECONDS:-60}
    failed=""
    table=""
    # shellcheck disable=SC2086
    [ $# -eq 0 ] && set -- $all_targets
    mkdir -p "$build/logs"
    for t in "$@"; do
        echo "=== fuzz-$t: ${secs}s"
        log="$build/logs/run-$t.log"
        child_cpu
        cpu0=$(cat "$build/logs/cpu")
        run_target "$t" "$secs" "$build/corpus/$t" >"$log" 2>&1 ||
            failed="$failed $t"
        child_cpu
        cpu1=$(cat "$build/logs/cpu")
        grep -E "^(#[0-9]+.*(DONE|pulse)|stat::|\*\*\*|==[0-9]+==|SUMMARY|Test unit)" "$log" | tail -n 12
        runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log")
        table="$table$t ${runs:-0} $secs $(echo "$cpu0 $cpu1" | awk '{print $2 - $1}')
"
    done
    printf "%s" "$table" | summary
    if [ -n "$failed" ]; then
        echo "=== fuzz: FAILED:$failed (inputs in $build/artifacts/)"
        return 1
    fi
    echo "=== fuzz: no failure"
}

# One line per target, "fuzz/TARGET: ok|FAILED ...", for scripts/check.sh.
do_smoke() {
    secs=${FUZZ_SMOKE_SECONDS:-5}
    status=0
    mkdir -p "$build/logs"
    for t in $all_targets; do
        log="$build/logs/$t.log"
        # from the kept seeds; what it finds is dropped
        new="$build/logs/$t.new"
        rm -rf "$new"
        mkdir -p "$new"
        verify=""
        case " $cached_targets " in
        *" $t "*) verify=1 ;;
        esac
        if SPIRQ_FUZZ_VERIFY=$verify run_target "$t" "$secs" "$new" \
           "$build/seed-corpus/$t" >"$log" 2>&1; then
            runs=$(awk '/stat::number_of_executed_units:/ {print $2}' "$log")
            echo "fuzz/$t: ok (${runs:-?} runs, $(find "$build/seed-corpus/$t" -type f | wc -l) seeds${verify:+, each checked deterministic})"
        else
            echo "fuzz/$t: FAILED (log: $log)"
            grep -E "ERROR|SUMMARY|broken promise|Test unit written" "$log" | head -n 8
            status=1
        fi
        rm -rf "$new"
    done
    return $status
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
build)
    do_build ;;
corpus)
    do_build && do_corpus ;;
run)
    do_build || exit 2
    corpus_is_fresh || do_corpus || exit 2
    do_run "$@" ;;
smoke)
    do_build || exit 2
    corpus_is_fresh || do_corpus || exit 2
    do_smoke ;;
*)
    echo "usage: scripts/fuzz.sh build|corpus|run [TARGET...]|smoke" >&2
    exit 2 ;;
esac
