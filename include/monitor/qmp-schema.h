/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP introspection (query-qmp-schema) from the schemas that commands and
 * events carry where they are registered (include/monitor/monitor.h).
 *
 * A schema is written in a short text form, the one QEMU's own
 * documentation reads like:
 *
 *   str  int  number  bool  null  any       built-in types
 *   [T]                                     array of T
 *   {a: T, b?: T}                           object; "?" = optional member
 *   enum(x|y|z)                             enumeration
 *   union(tag, {tag: enum(x|y), ...}, x: {..}, y: {..})
 *                                           flat union: base object, the
 *                                           tag member, one branch per case
 *   alt(T|U)                                alternate
 *   Name                                    a type defined with
 *                                           qmp_schema_define()
 *
 * The output is QEMU 7.2's SchemaInfo list (qapi/introspect.json): every
 * command and event by name, types named by numbers (as QEMU hides type
 * names), built-in types by name, arrays as "[N]", each type once.
 */
#ifndef MONITOR_QMP_SCHEMA_H
#define MONITOR_QMP_SCHEMA_H

#include <json-glib/json-glib.h>
#include "qemu/osdep.h"
#include "qapi/error.h"

typedef struct QmpSchemaType QmpSchemaType;

/*
 * Define the named type @name as @text (static strings), or as the text
 * @fn returns (g_free'd) when the schema is built: for types generated
 * from tables that fill up at start-up (e.g. the -object types).
 */
void qmp_schema_define(const char *name, const char *text);
void qmp_schema_define_fn(const char *name, char *(*fn)(void));

/* Parse @text; NULL with *errp set on a syntax error or unknown name. */
QmpSchemaType *qmp_schema_parse(const char *text, Error **errp);
void qmp_schema_type_free(QmpSchemaType *t);
/* The type in the canonical text form (g_free). */
char *qmp_schema_type_text(const QmpSchemaType *t);

/*
 * Build SchemaInfo entries.  qmp_schema_builder_new(), then one
 * _add_command / _add_event per entity, then _finish() returns the list
 * (a JSON array node) and frees the builder.  A schema that does not
 * parse fails the whole build.
 */
typedef struct QmpSchemaBuilder QmpSchemaBuilder;
QmpSchemaBuilder *qmp_schema_builder_new(void);
/* @args: an object type or NULL (no arguments); @ret: NULL means {}. */
bool qmp_schema_add_command(QmpSchemaBuilder *b, const char *name,
                            const char *args, const char *ret,
                            const char *features, Error **errp);
/* @data: an object type, or NULL for an event without data. */
bool qmp_schema_add_event(QmpSchemaBuilder *b, const char *name,
                          const char *data, Error **errp);
JsonNode *qmp_schema_builder_finish(QmpSchemaBuilder *b);
void qmp_schema_builder_free(QmpSchemaBuilder *b);

#endif
