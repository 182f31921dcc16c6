/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - error codes and error messages
 *
 * Every spirq function that can fail returns an int: >= 0 on success and
 * -SPIRQ_ERR_* on failure, in the manner of libfdt.  Functions whose
 * failures deserve an explanation (a refused configuration, a refused CAS,
 * a rejected migration stream, ...) also take an optional struct
 * spirq_error, which receives the code and a human-readable message.  The
 * message texts match QEMU 7.2's wherever QEMU refuses the same thing.
 * On success such a function clears it (code 0, empty message), so one
 * spirq_error can be reused from call to call.
 *
 * Errors caused by a guest (a bad hcall argument, a bad MMIO offset) are
 * not library errors: they are answered architecturally (H_* codes, RTAS
 * status, all-ones loads) and logged through the host log callback.
 */
#ifndef SPIRQ_ERROR_H
#define SPIRQ_ERROR_H

#include <stddef.h>

#include <spirq/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SPIRQ_ERR_INVAL         1
	/* SPIRQ_ERR_INVAL: an argument is malformed or out of range (an
	 * option value that does not parse, a cpu_index beyond maxcpus, an
	 * IRQ number outside the machine's number space). */
#define SPIRQ_ERR_CONFIG        2
	/* SPIRQ_ERR_CONFIG: the configuration is refused (QEMU would refuse
	 * to start, or would kill the guest later: spirq refuses up front). */
#define SPIRQ_ERR_NOSPACE       3
	/* SPIRQ_ERR_NOSPACE: the caller's buffer is too small. */
#define SPIRQ_ERR_NOMEM         4
	/* SPIRQ_ERR_NOMEM: a memory allocation failed; nothing was changed. */
#define SPIRQ_ERR_BUSY          5
	/* SPIRQ_ERR_BUSY: the resource is in use (IRQ already claimed, vCPU
	 * already plugged, no free MSI block). */
#define SPIRQ_ERR_NOTFOUND      6
	/* SPIRQ_ERR_NOTFOUND: no such object (RTAS token not handled by
	 * spirq, vCPU not plugged, IRQ not claimed). */
#define SPIRQ_ERR_STATE         7
	/* SPIRQ_ERR_STATE: the operation is not valid in the machine's
	 * current state. */
#define SPIRQ_ERR_CAS           8
	/* SPIRQ_ERR_CAS: the guest asked at CAS for an interrupt mode the
	 * machine cannot give it; the machine keeps running unchanged. */
#define SPIRQ_ERR_STREAM        9
	/* SPIRQ_ERR_STREAM: a migration stream is malformed, truncated or
	 * corrupt. */
#define SPIRQ_ERR_INCOMPAT      10
	/* SPIRQ_ERR_INCOMPAT: a well-formed migration stream, or a source
	 * configuration, that the destination cannot accept. */
#define SPIRQ_ERR_UNSUPPORTED   11
	/* SPIRQ_ERR_UNSUPPORTED: spirq does not implement this (yet). */
#define SPIRQ_ERR_KERNEL        12
	/* SPIRQ_ERR_KERNEL: the in-kernel backend's kernel refused an
	 * operation (an ioctl failed, a device could not be created); the
	 * message names the operation and the kernel's errno, and the machine
	 * keeps its last good state. */
#define SPIRQ_ERR_MAX           12

/** Longest message, terminating NUL included. */
#define SPIRQ_ERROR_MSG_MAX     384

/**
 * struct spirq_error - an error code with its explanation
 * @code:    0, or a positive SPIRQ_ERR_* value
 * @message: NUL-terminated text, empty when @code is 0
 */
typedef struct spirq_error {
	int code;
	char message[SPIRQ_ERROR_MSG_MAX];
} spirq_error;

/**
 * spirq_strerror - name of an error code
 * @errval: a SPIRQ_ERR_* value, positive or negative
 *
 * returns:
 *	a static string such as "SPIRQ_ERR_CONFIG"; "<unknown error>" for
 *	values that are not error codes, "<no error>" for 0.
 */
SPIRQ_API const char *spirq_strerror(int errval);

/**
 * spirq_error_clear - reset an error to "no error"
 * @err: the error, or NULL (then nothing happens)
 */
SPIRQ_API void spirq_error_clear(spirq_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SPIRQ_ERROR_H */
