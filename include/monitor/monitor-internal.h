/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The monitor core shared by QMP (monitor/qmp.c) and the human monitor:
 * a monitor on a chardev, the list of every monitor, and output in
 * QEMU's line format.
 */
#ifndef MONITOR_INTERNAL_H
#define MONITOR_INTERNAL_H

#include "qemu/osdep.h"
#include "chardev/char.h"

typedef struct Monitor {
    Chardev *chr;               /* NULL: output goes to @out only */
    bool is_qmp;
    /*
     * Main thread only (HMP): while @out_held (a multiplexed chardev's
     * focus is on another frontend), or when there is no chardev
     * (human-monitor-command), output collects in @out instead.
     */
    bool out_held;
    GString *out;
} Monitor;

/* Add @mon to the list of monitors (thread-safe). */
void monitor_list_append(Monitor *mon);
/* Call @fn for every monitor, under the list lock (thread-safe). */
void monitor_list_foreach(void (*fn)(Monitor *mon, void *opaque),
                          void *opaque);

/*
 * Write @text to the monitor's chardev as one unit, each "\n" sent as
 * "\r\n" as QEMU's monitors do.  Any thread.
 */
void monitor_puts(Monitor *mon, const char *text);
void monitor_printf(Monitor *mon, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Send what collected in @out while it was held (see above). */
void monitor_flush_held(Monitor *mon);

/* monitor/qmp-dispatch.c: register the built-in commands (idempotent). */
void qmp_table_ensure(void);

#endif
