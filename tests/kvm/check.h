/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Results of a check-kvm test program: one line per check on stdout,
 * "PASS: what" or "FAIL: what", then "N passed, N failed" (what
 * scripts/check-kvm.sh counts).  Lines starting "# " are information.
 */
#ifndef SPIRQ_TESTS_KVM_CHECK_H
#define SPIRQ_TESTS_KVM_CHECK_H

#include <stdbool.h>

struct kvm_checks {
    unsigned int passed;
    unsigned int failed;
};

/* one check: prints PASS or FAIL and the formatted text; returns ok */
bool kvm_check(struct kvm_checks *checks, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* an information line: "# text" */
void kvm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* prints "N passed, N failed"; returns the exit status (0: none failed) */
int kvm_checks_end(const struct kvm_checks *checks);

#endif /* SPIRQ_TESTS_KVM_CHECK_H */
