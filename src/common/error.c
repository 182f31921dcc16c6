// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Error codes and messages.
 */
#include <stdarg.h>
#include <stdio.h>

#include "common/error-internal.h"

#define ERRTABENT(val) [(val)] = #val

static const char *const error_names[SPIRQ_ERR_MAX + 1] = {
	ERRTABENT(SPIRQ_ERR_INVAL),
	ERRTABENT(SPIRQ_ERR_CONFIG),
	ERRTABENT(SPIRQ_ERR_NOSPACE),
	ERRTABENT(SPIRQ_ERR_NOMEM),
	ERRTABENT(SPIRQ_ERR_BUSY),
	ERRTABENT(SPIRQ_ERR_NOTFOUND),
	ERRTABENT(SPIRQ_ERR_STATE),
	ERRTABENT(SPIRQ_ERR_CAS),
	ERRTABENT(SPIRQ_ERR_STREAM),
	ERRTABENT(SPIRQ_ERR_INCOMPAT),
	ERRTABENT(SPIRQ_ERR_UNSUPPORTED),
	ERRTABENT(SPIRQ_ERR_KERNEL),
};

const char *spirq_strerror(int errval)
{
	if (errval < 0)
		errval = -errval;
	if (errval == 0)
		return "<no error>";
	if (errval > SPIRQ_ERR_MAX || !error_names[errval])
		return "<unknown error>";
	return error_names[errval];
}

void spirq_error_clear(spirq_error *err)
{
	if (err) {
		err->code = 0;
		err->message[0] = '\0';
	}
}

int spirq__error_set(spirq_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
	}
	return -code;
}
