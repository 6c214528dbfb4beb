/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QOM paths, as QEMU's qom-list, qom-get and device_del see the objects
 * pmemvm has:
 *
 *   /                              the root: "machine", "objects"
 *   /machine                       the machine (its -machine properties)
 *   /machine/peripheral/ID         a device with an id
 *   /machine/peripheral-anon/device[N]   a device without one
 *   /machine/unattached            (empty: pmemvm's built-in devices and
 *                                  vCPUs are not objects)
 *   /objects/ID                    an -object / object-add object
 *
 * Each node lists "type", then what it has: a device its "realized",
 * "hotplugged" and "hotpluggable", then every property of its type (as
 * -device TYPE,help lists them); a container its children, named
 * "child<TYPE>".  The property types are QEMU's names (bool, int32,
 * uint64, str for a device; int and string for an object; the PropDef's
 * qom_type where QEMU's type is a link or an enum).
 */
#ifndef QOM_QOM_PATH_H
#define QOM_QOM_PATH_H

#include "qom/object.h"

/* The object at /machine (system/vl.c, once). */
void qom_set_machine(Object *machine);

typedef enum QomNodeKind {
    QOM_NODE_ROOT,
    QOM_NODE_CONTAINER,
    QOM_NODE_OBJECT,
} QomNodeKind;

typedef struct QomNode {
    QomNodeKind kind;
    char *path;                 /* canonical, absolute */
    Object *obj;                /* QOM_NODE_OBJECT only */
} QomNode;

void qom_node_clear(QomNode *node);

/*
 * QEMU's object_resolve_path(): an absolute path ("/objects/m0"), or a
 * partial one ("m0", "peripheral/nv0") that ends exactly one node's
 * path.  False when nothing (or more than one node) matches.
 */
bool qom_resolve(const char *path, QomNode *node);
/*
 * QEMU's object_resolve_path_at(): @path relative to @base, unless it is
 * absolute.  No partial matching.
 */
bool qom_resolve_at(const char *base, const char *path, QomNode *node);

/* The canonical path of an object, device or the machine (g_free). */
char *qom_object_path(Object *obj);

typedef struct QomPropInfo {
    char *name;
    char *type;
    /* A child node's canonical path, NULL for a property. */
    char *child_path;
} QomPropInfo;

/* qom-list of @node: QomPropInfo*, freed with the array. */
GPtrArray *qom_list(const QomNode *node);
/* The entry of qom_list(@node) called @name, or NULL (the array owns it). */
const QomPropInfo *qom_list_find(GPtrArray *list, const char *name);

#endif
