/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Built for fuzzing (clang -fsanitize=fuzzer-no-link, meson -Dfuzz=true),
 * every comparison calls a libFuzzer hook.  Loops whose comparisons tell
 * the fuzzer nothing about its input -- taking and releasing every vCPU
 * lock around each exclusive operation -- are left out of that
 * instrumentation: their hooks were a twentieth of fuzz-machine's time.
 * In any other build SPIRQ_UNTRACED is empty.
 */
#ifndef SPIRQ_COMMON_COVERAGE_H
#define SPIRQ_COMMON_COVERAGE_H

#if defined(__has_feature)
#if __has_feature(coverage_sanitizer)
#define SPIRQ_UNTRACED __attribute__((no_sanitize("coverage")))
#endif
#endif

#ifndef SPIRQ_UNTRACED
#define SPIRQ_UNTRACED
#endif

#endif /* SPIRQ_COMMON_COVERAGE_H */
