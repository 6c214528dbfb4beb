/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device_add and device_del for every front end (-device, QMP, HMP), as
 * QEMU's system/qdev-monitor.c: create the device from options, put it in
 * the device list, and realize it through the machine's hotplug handler.
 */
#include "qemu/osdep.h"
#include "hw/qdev-core.h"
#include "sysemu/qdev-monitor.h"
#include "qom/qom-path.h"

/* Where device_del looks up an id that is not a path (QEMU's too). */
#define QDEV_PERIPHERAL_PATH "/machine/peripheral"

/*
 * QEMU's qdev_device_add() gives the device its id (refusing one in use)
 * before it sets the properties: a duplicate id is reported first once
 * the id and the driver are good.
 */
static bool qdev_id_in_use(const QemuOpts *opts, Error **errp)
{
    const char *id = qemu_opts_get(opts, "id");
    const char *driver = qemu_opts_get(opts, "driver");

    if (!id || !id_wellformed(id) || !driver ||
        !type_lookup_user(OBJECT_KIND_DEVICE, driver, NULL) ||
        !device_find_by_id(id)) {
        return false;
    }
    error_setg(errp, "Duplicate device ID '%s'", id);
    return true;
}

Object *qdev_device_add(const QemuOpts *opts, Error **errp)
{
    Object *dev;

    if (qdev_id_in_use(opts, errp)) {
        return NULL;
    }
    dev = object_create_from_opts(OBJECT_KIND_DEVICE, "driver", opts, errp);
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

Object *qdev_find_device(const char *id, Error **errp)
{
    QomNode node;
    Object *dev;

    if (!qom_resolve_at(QDEV_PERIPHERAL_PATH, id, &node)) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "Device '%s' not found", id);
        return NULL;
    }
    dev = node.kind == QOM_NODE_OBJECT &&
          node.obj->type->kind == OBJECT_KIND_DEVICE ? node.obj : NULL;
    qom_node_clear(&node);
    if (!dev) {
        error_setg(errp, "%s is not a hotpluggable device", id);
    }
    return dev;
}

bool qdev_device_del(const char *id, Error **errp)
{
    Object *dev = qdev_find_device(id, errp);

    return dev && qdev_unplug(dev, errp);
}
