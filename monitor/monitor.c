/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The monitor core: see include/monitor/monitor-internal.h.
 */
#include "qemu/osdep.h"
#include "monitor/monitor-internal.h"

static GMutex monitors_lock;
static GPtrArray *monitors;         /* Monitor*, creation order */

void monitor_list_append(Monitor *mon)
{
    g_mutex_lock(&monitors_lock);
    if (!monitors) {
        monitors = g_ptr_array_new();
    }
    g_ptr_array_add(monitors, mon);
    g_mutex_unlock(&monitors_lock);
}

void monitor_list_foreach(void (*fn)(Monitor *mon, void *opaque),
                          void *opaque)
{
    g_mutex_lock(&monitors_lock);
    for (guint i = 0; monitors && i < monitors->len; i++) {
        fn(g_ptr_array_index(monitors, i), opaque);
    }
    g_mutex_unlock(&monitors_lock);
}

/* @text with each "\n" as "\r\n", appended to @out. */
static void append_crlf(GString *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
}

void monitor_puts(Monitor *mon, const char *text)
{
    GString *out;

    if (!mon->chr || mon->out_held) {
        if (!mon->out) {
            mon->out = g_string_new(NULL);
        }
        append_crlf(mon->out, text);
        return;
    }
    out = g_string_sized_new(strlen(text) + 16);
    append_crlf(out, text);
    qemu_chr_write_all(mon->chr, out->str, out->len);
    g_string_free(out, TRUE);
}

void monitor_printf(Monitor *mon, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    monitor_puts(mon, text);
}

void monitor_flush_held(Monitor *mon)
{
    if (mon->chr && mon->out && mon->out->len) {
        qemu_chr_write_all(mon->chr, mon->out->str, mon->out->len);
        g_string_truncate(mon->out, 0);
    }
}
