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
    Chardev *chr;
    bool is_qmp;
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

/* monitor/qmp-dispatch.c: register the built-in commands (idempotent). */
void qmp_table_ensure(void);

#endif
