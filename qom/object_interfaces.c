/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * User-creatable objects: see include/qom/object_interfaces.h.
 */
#include "qemu/osdep.h"
#include "qom/object_interfaces.h"

Object *user_creatable_add_opts(const QemuOpts *opts, Error **errp)
{
    Object *obj = object_create_from_opts(OBJECT_KIND_OBJECT, "qom-type",
                                          opts, errp);

    if (!obj) {
        return NULL;
    }
    if (!object_add_to_objects(obj, errp)) {
        object_destroy(obj);
        return NULL;
    }
    if (!object_complete(obj, errp)) {
        object_remove_from_objects(obj);
        object_destroy(obj);
        return NULL;
    }
    return obj;
}

bool user_creatable_del(const char *id, Error **errp)
{
    Object *obj = object_find_by_id(id);
    const TypeInfo *t;

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    for (t = obj->type; t; t = t->parent ? type_lookup(t->parent) : NULL) {
        if (t->can_be_deleted) {
            if (!t->can_be_deleted(obj)) {
                error_setg(errp, "object '%s' is in use, can not be deleted",
                           id);
                return false;
            }
            break;
        }
    }
    object_remove_from_objects(obj);
    object_destroy(obj);
    return true;
}
