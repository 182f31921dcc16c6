/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal helpers to report errors to the embedder.
 */
#ifndef SPIRQ_COMMON_ERROR_INTERNAL_H
#define SPIRQ_COMMON_ERROR_INTERNAL_H

#include <string.h>

#include <spirq/error.h>

/**
 * spirq__error_set - fill an error and return the negative code
 * @err:  destination, may be NULL
 * @code: positive SPIRQ_ERR_* value
 * @fmt:  printf-style message
 *
 * returns: -code, so that callers can write "return spirq__error_set(...)".
 */
int spirq__error_set(spirq_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A user's text echoed in a message is cut to its first 40 characters:
 * printf(... SPIRQ__CLIP_FMT ..., SPIRQ__CLIP(text)).
 */
#define SPIRQ__CLIP_FMT "%.40s%s"
#define SPIRQ__CLIP(text) (text), (strlen(text) > 40 ? "..." : "")

#endif /* SPIRQ_COMMON_ERROR_INTERNAL_H */
