/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User-creatable objects (QEMU's qom/object_interfaces.c): the one path
 * that -object, QMP object-add and HMP object_add create through, and
 * that object-del and object_del delete through.
 */
#ifndef QOM_OBJECT_INTERFACES_H
#define QOM_OBJECT_INTERFACES_H

#include "qom/object.h"

/*
 * Create the object @opts describe ("qom-type", "id", properties), add it
 * to /objects and complete it.  On failure nothing is left behind.
 */
Object *user_creatable_add_opts(const QemuOpts *opts, Error **errp);
/* Remove /objects/@id, unless its type says it is in use. */
bool user_creatable_del(const char *id, Error **errp);

#endif
