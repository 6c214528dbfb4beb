/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to qom/object.c and qom/object-prop.c.
 */
#ifndef QOM_OBJECT_INTERNAL_H
#define QOM_OBJECT_INTERNAL_H

#include "qom/object.h"
#include "qemu/option.h"

/*
 * Store @value (key=value text for QEMU_OPT_UNTYPED, else a JSON value of
 * that kind) in @obj's field for @p, checked as QEMU checks it; QEMU's
 * message in @errp if it does not fit.
 */
bool object_prop_store(Object *obj, const PropDef *p, const char *value,
                       QemuOptKind kind, Error **errp);

#endif
