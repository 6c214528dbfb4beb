/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device_add / device_del, shared by -device, QMP and HMP.
 */
#ifndef SYSEMU_QDEV_MONITOR_H
#define SYSEMU_QDEV_MONITOR_H

#include "qom/object.h"

/* Create, list and realize the device @opts describe ("driver", "id"). */
Object *qdev_device_add(const QemuOpts *opts, Error **errp);
/*
 * QEMU's find_device_state(): the device @id names, an id or a QOM path
 * (absolute, or relative to /machine/peripheral), else NULL with QEMU's
 * message: "Device 'ID' not found" (class DeviceNotFound) or "ID is not a
 * hotpluggable device".
 */
Object *qdev_find_device(const char *id, Error **errp);
/*
 * Ask for device @id (as qdev_find_device() finds it) to be unplugged.
 * False with the reason if it cannot be; true once the request is under
 * way (the device may go at once or once the guest lets go).
 */
bool qdev_device_del(const char *id, Error **errp);

#endif
