/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reset list: see include/hw/core/reset.h.  Registration and reset
 * both happen on the main thread.
 */
#include "qemu/osdep.h"
#include "hw/core/reset.h"

typedef struct ResetEntry {
    QEMUResetHandler *func;
    void *opaque;
} ResetEntry;

static GArray *reset_handlers;      /* ResetEntry, registration order */

void qemu_register_reset(QEMUResetHandler *func, void *opaque)
{
    ResetEntry e = { .func = func, .opaque = opaque };

    if (!reset_handlers) {
        reset_handlers = g_array_new(FALSE, FALSE, sizeof(ResetEntry));
    }
    g_array_append_val(reset_handlers, e);
}

void qemu_unregister_reset(QEMUResetHandler *func, void *opaque)
{
    guint i;

    for (i = 0; reset_handlers && i < reset_handlers->len; i++) {
        ResetEntry *e = &g_array_index(reset_handlers, ResetEntry, i);

        if (e->func == func && e->opaque == opaque) {
            g_array_remove_index(reset_handlers, i);
            return;
        }
    }
}

void qemu_devices_reset(void)
{
    guint i;

    /* A handler may not register or unregister others while we walk. */
    for (i = 0; reset_handlers && i < reset_handlers->len; i++) {
        ResetEntry e = g_array_index(reset_handlers, ResetEntry, i);

        e.func(e.opaque);
    }
}
