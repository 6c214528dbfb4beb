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

void monitor_puts(Monitor *mon, const char *text)
{
    GString *out = g_string_sized_new(strlen(text) + 16);

    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            g_string_append_c(out, '\r');
        }
        g_string_append_c(out, *p);
    }
    qemu_chr_write_all(mon->chr, out->str, out->len);
    g_string_free(out, TRUE);
}
