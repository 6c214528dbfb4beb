/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Devices and their hotplug handler (QEMU's qdev and HotplugHandler, in
 * small).  A device is an Object of OBJECT_KIND_DEVICE; bringing it up and
 * taking it down goes through the machine's hotplug handler, which does
 * what only the machine can (slots, addresses, mapping memory, ACPI):
 *
 *   qdev_realize():  pre_plug (machine checks) -> the device's complete
 *                    hook (its own checks) -> plug (wire it in); a failed
 *                    plug unrealizes the device again, leaving nothing
 *   qdev_unplug():   unplug_request; the handler either refuses, or
 *                    starts the guest's part of an unplug and calls
 *                    qdev_unplug_complete() once the guest let go (at
 *                    once when there is nothing to wait for)
 *   qdev_unplug_complete(): unplug (unwire) -> the device's unrealize
 *                    hook -> listeners told (DEVICE_DELETED) -> destroyed
 *
 * Main thread only.
 */
#ifndef HW_QDEV_CORE_H
#define HW_QDEV_CORE_H

#include "qom/object.h"

typedef struct HotplugHandlerOps {
    bool (*pre_plug)(void *opaque, Object *dev, Error **errp);
    bool (*plug)(void *opaque, Object *dev, Error **errp);
    bool (*unplug_request)(void *opaque, Object *dev, Error **errp);
    void (*unplug)(void *opaque, Object *dev);
} HotplugHandlerOps;

/* The machine installs its handler at init (NULL ops: none). */
void qdev_set_hotplug_handler(const HotplugHandlerOps *ops, void *opaque);
/* False on a machine without one (-machine none): no device can go in. */
bool qdev_has_hotplug_handler(void);

/* Cold plug is over (the machine is done): device_add is now hotplug. */
void qdev_machine_creation_done(void);
bool qdev_machine_done(void);

/* See above; the device must be in the device list already. */
bool qdev_realize(Object *dev, Error **errp);
bool qdev_unplug(Object *dev, Error **errp);
void qdev_unplug_complete(Object *dev);

/*
 * Called with each device that is about to be destroyed after an unplug
 * (the monitor sends DEVICE_DELETED).
 */
typedef void (*QdevDeletedListener)(Object *dev);
void qdev_set_deleted_listener(QdevDeletedListener fn);

#endif
