/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device realize and unplug through the machine's hotplug handler: see
 * include/hw/qdev-core.h.
 */
#include "qemu/osdep.h"
#include "hw/qdev-core.h"

static const HotplugHandlerOps *hotplug_ops;
static void *hotplug_opaque;
static bool machine_done;
static QdevDeletedListener deleted_listener;

void qdev_set_hotplug_handler(const HotplugHandlerOps *ops, void *opaque)
{
    hotplug_ops = ops;
    hotplug_opaque = opaque;
}

bool qdev_has_hotplug_handler(void)
{
    return hotplug_ops != NULL;
}

void qdev_machine_creation_done(void)
{
    machine_done = true;
}

bool qdev_machine_done(void)
{
    return machine_done;
}

void qdev_set_deleted_listener(QdevDeletedListener fn)
{
    deleted_listener = fn;
}

bool qdev_realize(Object *dev, Error **errp)
{
    const HotplugHandlerOps *h = hotplug_ops;

    dev->hotplugged = machine_done;
    if (h && h->pre_plug && !h->pre_plug(hotplug_opaque, dev, errp)) {
        return false;
    }
    if (!object_complete(dev, errp)) {
        return false;
    }
    if (h && h->plug && !h->plug(hotplug_opaque, dev, errp)) {
        object_unrealize(dev);
        return false;
    }
    return true;
}

bool qdev_unplug(Object *dev, Error **errp)
{
    const HotplugHandlerOps *h = hotplug_ops;

    if (!h || !h->unplug_request) {
        error_setg(errp, "Device '%s' does not support hot-unplug",
                   dev->type->name);
        return false;
    }
    return h->unplug_request(hotplug_opaque, dev, errp);
}

void qdev_unplug_complete(Object *dev)
{
    const HotplugHandlerOps *h = hotplug_ops;

    if (h && h->unplug) {
        h->unplug(hotplug_opaque, dev);
    }
    object_unrealize(dev);
    device_remove_from_list(dev);
    if (deleted_listener) {
        deleted_listener(dev);
    }
    object_destroy(dev);
}
