/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error objects and stderr reporting.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"

struct Error {
    char *msg;
    GString *hint;
    ErrorClass cls;
};

Error *error_abort;

static const char *progname = "pmemvm";
static unsigned long guest_errors;

void error_set_progname(const char *name)
{
    progname = name;
}

static bool msg_timestamp;

void error_set_timestamps(bool on)
{
    msg_timestamp = on;
}

/* -msg timestamp=on: QEMU's "2024-01-01T12:00:00.123456Z " prefix. */
static void print_timestamp(void)
{
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *text = NULL;

    if (!msg_timestamp) {
        return;
    }
    now = g_date_time_new_now_utc();
    text = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");
    fprintf(stderr, "%s.%06dZ ", text, g_date_time_get_microsecond(now));
}

static void error_setv(Error **errp, ErrorClass cls, const char *fmt,
                       va_list ap, const char *suffix)
{
    Error *err;
    char *msg = g_strdup_vprintf(fmt, ap);

    if (suffix) {
        char *full = g_strdup_printf("%s: %s", msg, suffix);
        g_free(msg);
        msg = full;
    }
    if (errp == &error_abort) {
        fprintf(stderr, "%s: unexpected error: %s\n", progname, msg);
        abort();
    }
    if (!errp) {
        g_free(msg);
        return;
    }
    /* First error wins, as in QEMU. */
    if (*errp) {
        g_free(msg);
        return;
    }
    err = g_new0(Error, 1);
    err->msg = msg;
    err->cls = cls;
    *errp = err;
}

void error_setg(Error **errp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, ERROR_CLASS_GENERIC_ERROR, fmt, ap, NULL);
    va_end(ap);
}

void error_set(Error **errp, ErrorClass cls, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, cls, fmt, ap, NULL);
    va_end(ap);
}

const char *error_get_hint(const Error *err)
{
    return err->hint ? err->hint->str : NULL;
}

ErrorClass error_get_class(const Error *err)
{
    return err->cls;
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    error_setv(errp, ERROR_CLASS_GENERIC_ERROR, fmt, ap,
               g_strerror(os_errno));
    va_end(ap);
}

void error_append_hint(Error **errp, const char *fmt, ...)
{
    va_list ap;

    if (!errp || errp == &error_abort || !*errp) {
        return;
    }
    if (!(*errp)->hint) {
        (*errp)->hint = g_string_new(NULL);
    }
    va_start(ap, fmt);
    g_string_append_vprintf((*errp)->hint, fmt, ap);
    va_end(ap);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix;
    char *msg;

    if (!errp || errp == &error_abort || !*errp) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strdup_printf("%s%s", prefix, (*errp)->msg);
    g_free(prefix);
    g_free((*errp)->msg);
    (*errp)->msg = msg;
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (!local_err) {
        return;
    }
    if (dst_errp == &error_abort) {
        fprintf(stderr, "%s: unexpected error: %s\n", progname,
                local_err->msg);
        abort();
    }
    if (!dst_errp || *dst_errp) {
        error_free(local_err);
        return;
    }
    *dst_errp = local_err;
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

void error_free(Error *err)
{
    if (!err) {
        return;
    }
    g_free(err->msg);
    if (err->hint) {
        g_string_free(err->hint, TRUE);
    }
    g_free(err);
}

void error_report_err(Error *err)
{
    print_timestamp();
    fprintf(stderr, "%s: %s\n", progname, err->msg);
    if (err->hint) {
        fputs(err->hint->str, stderr);
    }
    error_free(err);
}

static void report(const char *kind, const char *fmt, va_list ap)
{
    print_timestamp();
    fprintf(stderr, "%s: %s", progname, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report("info: ", fmt, ap);
    va_end(ap);
}

/* At most GUEST_ERROR_BURST lines per GUEST_ERROR_WINDOW_US are printed. */
#define GUEST_ERROR_BURST 10
#define GUEST_ERROR_WINDOW_US G_USEC_PER_SEC

static GMutex guest_error_lock;
static unsigned guest_error_suppressed;   /* in the current window */

static void guest_error_report_suppressed_locked(void)
{
    if (guest_error_suppressed) {
        fprintf(stderr, "%s: guest error: %u more suppressed\n",
                progname, guest_error_suppressed);
        guest_error_suppressed = 0;
    }
}

void guest_error(const char *fmt, ...)
{
    static gint64 window_start;
    static unsigned printed;
    va_list ap;
    gint64 now = g_get_monotonic_time();

    g_mutex_lock(&guest_error_lock);
    guest_errors++;
    if (now - window_start >= GUEST_ERROR_WINDOW_US) {
        guest_error_report_suppressed_locked();
        window_start = now;
        printed = 0;
    }
    if (printed < GUEST_ERROR_BURST) {
        printed++;
        va_start(ap, fmt);
        report("guest error: ", fmt, ap);
        va_end(ap);
    } else {
        guest_error_suppressed++;
    }
    g_mutex_unlock(&guest_error_lock);
}

void guest_error_flush(void)
{
    g_mutex_lock(&guest_error_lock);
    guest_error_report_suppressed_locked();
    g_mutex_unlock(&guest_error_lock);
}

unsigned long guest_error_count(void)
{
    return guest_errors;
}
