/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reset list (QEMU's qemu_register_reset): each device registers the
 * function that puts it back into its power-on state when it is created,
 * and unregisters it when it goes away; a guest reset calls them all, in
 * registration order, with the VM stopped.
 */
#ifndef HW_CORE_RESET_H
#define HW_CORE_RESET_H

#include "qemu/osdep.h"

typedef void QEMUResetHandler(void *opaque);

void qemu_register_reset(QEMUResetHandler *func, void *opaque);
/* Remove the entry registered with this @func and @opaque, if any. */
void qemu_unregister_reset(QEMUResetHandler *func, void *opaque);
/* Call every registered handler (main thread, VM stopped). */
void qemu_devices_reset(void);

#endif
