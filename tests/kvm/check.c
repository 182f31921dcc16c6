/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The result lines of a check-kvm test program (check.h). */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>

bool kvm_check(struct kvm_checks *checks, bool ok, const char *fmt, ...)
{
    va_list args;

    if (ok)
        checks->passed++;
    else
        checks->failed++;
    fputs(ok ? "PASS: " : "FAIL: ", stdout);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    putchar('\n');
    /* the console interleaves stdout and stderr: keep the order */
    fflush(stdout);
    return ok;
}

void kvm_info(const char *fmt, ...)
{
    va_list args;

    fputs("# ", stdout);
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);
}

int kvm_checks_end(const struct kvm_checks *checks)
{
    printf("%u passed, %u failed\n", checks->passed, checks->failed);
    fflush(stdout);
    return checks->failed ? 1 : 0;
}
