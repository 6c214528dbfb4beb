/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON output exactly as QEMU's QMP prints it.
 */
#ifndef QOBJECT_JSON_WRITER_H
#define QOBJECT_JSON_WRITER_H

#include <json-glib/json-glib.h>
#include "qemu/osdep.h"

/* ", " and ": " separators, 4-space pretty indentation (g_free). */
char *qmp_json_to_string(JsonNode *node, bool pretty);

#endif
