/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device_add and device_del for every front end (-device, QMP, HMP), as
 * QEMU's system/qdev-monitor.c: create the device from options, put it in
 * the device list, and realize it through the machine's hotplug handler.
 */
#include "qemu/osdep.h"
#include "hw/qdev-core.h"
#include "sysemu/qdev-monitor.h"

Object *qdev_device_add(const QemuOpts *opts, Error **errp)
{
    Object *dev = object_create_from_opts(OBJECT_KIND_DEVICE, "driver",
                                          opts, errp);

    if (!dev) {
        return NULL;
    }
    if (!qdev_has_hotplug_handler()) {
        error_setg(errp, "Device '%s' cannot be added: the machine has no "
                   "buses or memory for devices", dev->type->name);
        object_destroy(dev);
        return NULL;
    }
    if (qdev_machine_done() && !dev->type->hotpluggable) {
        error_setg(errp, "Device '%s' can not be hotplugged on this machine",
                   dev->type->name);
        object_destroy(dev);
        return NULL;
    }
    if (!device_add_to_list(dev, errp)) {
        object_destroy(dev);
        return NULL;
    }
    if (!qdev_realize(dev, errp)) {
        device_remove_from_list(dev);
        object_destroy(dev);
        return NULL;
    }
    return dev;
}

bool qdev_device_del(const char *id, Error **errp)
{
    Object *dev = device_find_by_id(id);

    if (!dev) {
        error_setg(errp, "Device '%s' not found", id);
        return false;
    }
    return qdev_unplug(dev, errp);
}
