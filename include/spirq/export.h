/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - symbol visibility
 *
 * libspirq is built with hidden visibility; SPIRQ_API marks the functions
 * of the public API, which the version script then exports.
 */
#ifndef SPIRQ_EXPORT_H
#define SPIRQ_EXPORT_H

#if defined(__GNUC__) && __GNUC__ >= 4
#define SPIRQ_API __attribute__((visibility("default")))
#else
#define SPIRQ_API
#endif

#endif /* SPIRQ_EXPORT_H */
