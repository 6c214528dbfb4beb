/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error reporting through Error **errp, in QEMU's style.
 *
 * A function that can fail takes "Error **errp" last and returns false (or
 * NULL/negative) on failure after setting *errp.  Callers pass &err, or
 * &error_abort for "cannot fail", or NULL to ignore.  Only main() prints
 * configuration errors and exits.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#include <stdbool.h>
#include <stdarg.h>

typedef struct Error Error;

/* Pass as errp when failure is a programming error: aborts with the message. */
extern Error *error_abort;

/*
 * The class QMP reports an error with (QEMU's QapiErrorClass); nearly
 * every error is generic (error_setg()).
 */
typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
    ERROR_CLASS_KVM_MISSING_CAP,
} ErrorClass;

void error_setg(Error **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* As error_setg(), with a class other than GenericError. */
void error_set(Error **errp, ErrorClass cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
ErrorClass error_get_class(const Error *err);
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Add a hint line printed after the message. */
void error_append_hint(Error **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prefix the message of *errp (if set) with "FMT: ". */
void error_prepend(Error **errp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void error_propagate(Error **dst_errp, Error *local_err);
const char *error_get_pretty(const Error *err);
/* The hint lines error_append_hint() added, or NULL. */
const char *error_get_hint(const Error *err);
void error_free(Error *err);
/* Print "pmemvm: MESSAGE" (plus hint) to stderr and free. */
void error_report_err(Error *err);

/* Plain reports to stderr, prefixed with the program name. */
void error_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void info_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Rate-limited log line for bad guest behaviour ("guest error").  Never
 * fatal.  At most a few lines per second are printed; the rest are counted.
 */
void guest_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the count of lines still held back by the rate limit, if any
 * (at exit: the last window would otherwise never be reported). */
void guest_error_flush(void);
/* Number of guest_error() calls so far (for tests and QMP). */
unsigned long guest_error_count(void);

/* Program name used as the message prefix ("pmemvm"). */
void error_set_progname(const char *name);
/* -msg timestamp=on: prefix every report with the UTC time, as QEMU. */
void error_set_timestamps(bool on);

#endif
