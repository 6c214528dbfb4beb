/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP, the JSON monitor, as QEMU 7.2 speaks it: greeting, capabilities
 * negotiation, {"execute", "arguments", "id"} requests, {"return"} and
 * {"error": {"class", "desc"}} replies, asynchronous events.
 *
 * Threads: monitors, command registration and dispatch live on the main
 * loop thread; qmp_send_event() may be called from any thread.
 */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <json-glib/json-glib.h>

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "chardev/char.h"
#include "sysemu/runstate.h"
#include "qobject/json-streamer.h"
#include "qobject/json-writer.h"

/* Serve QMP on @chr (-qmp, -qmp-pretty, -mon chardev=X,mode=control). */
bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp);

/* ---- Commands ---- */

/*
 * A command gets its "arguments" (an empty object when none were given)
 * and returns the "return" value, which the dispatcher owns; NULL without
 * an error means {"return": {}}.  On failure set *errp and return NULL.
 */
typedef JsonNode *(*QmpCommandFunc)(JsonObject *args, Error **errp);

/*
 * A command and its schema, which query-qmp-schema publishes (libvirt
 * decides from it what it may use).  @args and @ret are in the text form
 * of include/monitor/qmp-schema.h, e.g. .args = "{id: str, force?: bool}",
 * .ret = "[{name: str, type: str}]"; NULL @args means no arguments, NULL
 * @ret means {}.  Describe only what the command really accepts and
 * returns.  @features: space-separated QAPI features, or NULL.
 */
typedef struct QmpCommandDef {
    const char *name;
    QmpCommandFunc fn;
    const char *args;
    const char *ret;
    const char *features;
} QmpCommandDef;

/* Register (or replace) every command of @defs, up to a NULL name. */
void qmp_register_commands(const QmpCommandDef *defs);
/*
 * Register (or replace) @name without a schema: query-qmp-schema leaves it
 * out, and the unit test that every command has a schema fails.  Use
 * qmp_register_commands().  Main thread; names are QEMU's.
 */
void qmp_register_command(const char *name, QmpCommandFunc fn);

/* Events pmemvm sends, with the schema of their "data" (NULL: none). */
void qmp_register_event(const char *name, const char *data);

/* Commands registered without a schema (g_strfreev; empty is good). */
char **qmp_commands_without_schema(void);
/*
 * SchemaInfo list of every command and event (query-qmp-schema), or NULL
 * with *errp set if a schema does not parse.
 */
JsonNode *qmp_schema_build(Error **errp);

/*
 * Error classes of QEMU's QapiErrorClass (qapi/error.h); the default is
 * GenericError.  The reply takes the class of the Error (error_set()),
 * or the one a failing command picked with qmp_error_set_class().
 */
typedef ErrorClass QmpErrorClass;
#define QMP_ERROR_CLASS_GENERIC_ERROR       ERROR_CLASS_GENERIC_ERROR
#define QMP_ERROR_CLASS_COMMAND_NOT_FOUND   ERROR_CLASS_COMMAND_NOT_FOUND
#define QMP_ERROR_CLASS_DEVICE_NOT_ACTIVE   ERROR_CLASS_DEVICE_NOT_ACTIVE
#define QMP_ERROR_CLASS_DEVICE_NOT_FOUND    ERROR_CLASS_DEVICE_NOT_FOUND
#define QMP_ERROR_CLASS_KVM_MISSING_CAP     ERROR_CLASS_KVM_MISSING_CAP

/* A failing command may call this before returning to pick the class. */
void qmp_error_set_class(QmpErrorClass cls);
const char *qmp_error_class_name(QmpErrorClass cls);

/*
 * Argument helpers with QEMU's messages.  qmp_args_check() rejects members
 * not in the NULL-terminated @allowed ("Parameter 'x' is unexpected").
 * The getters fail on a wrong type ("Invalid parameter type for 'x',
 * expected: string") or, when @required, on absence ("Parameter 'x' is
 * missing"); an absent optional member leaves *val unchanged.
 */
bool qmp_args_check(JsonObject *args, const char *const *allowed,
                    Error **errp);

/* A reply value: a new node that takes @obj / @arr (reference and all). */
JsonNode *qmp_node_take_object(JsonObject *obj);
JsonNode *qmp_node_take_array(JsonArray *arr);
/* A uint16 list property's text ("0,2", qom/uint16-list.c) as [0, 2]. */
JsonNode *qmp_uint16_list_node(const char *text);
bool qmp_arg_str(JsonObject *args, const char *name, bool required,
                 const char **val, Error **errp);
bool qmp_arg_bool(JsonObject *args, const char *name, bool required,
                  bool *val, Error **errp);
bool qmp_arg_int(JsonObject *args, const char *name, bool required,
                 int64_t *val, Error **errp);

/*
 * Run the registered command @name with @args (an empty object when
 * NULL), as a QMP request would; "The command X has not been found"
 * if there is none.  The human monitor calls its QMP twins this way.
 */
JsonNode *qmp_command_call(const char *name, JsonObject *args, Error **errp);

/* Registered command names in registration order (g_strfreev). */
char **qmp_command_names(void);

/* Registers the commands of monitor/qmp-cmds.c (called by qmp.c once). */
void qmp_cmds_register_builtin(void);
/* object-add/del, device_add/del (monitor/qmp-hotplug.c). */
void qmp_cmds_register_hotplug(void);
void qmp_cmds_register_pci(void);
/* query-qmp-schema, qom-list-types, device-list-properties,
 * qom-list-properties (monitor/qmp-introspect.c). */
void qmp_cmds_register_introspect(void);
/* What libvirt's capability probe asks about the binary and host
 * (monitor/qmp-probe.c). */
void qmp_cmds_register_probe(void);
/* query-block, query-named-block-nodes (monitor/qmp-block.c). */
void qmp_cmds_register_block(void);
/* query-chardev (monitor/qmp-char.c). */
void qmp_cmds_register_char(void);
/* The events of monitor/qmp.c, with their schemas. */
void qmp_events_register(void);
/* query-name, query-cpus-fast, ... (monitor/qmp-machine.c). */
void qmp_cmds_register_machine(void);
/* qom-list, qom-get (monitor/qmp-qom.c). */
void qmp_cmds_register_qom(void);
/* human-monitor-command (monitor/hmp-cmds.c). */
void qmp_cmds_register_hmp(void);

/* ---- Events ---- */

/*
 * Send {"timestamp": {...}, "event": NAME[, "data": DATA]} to every QMP
 * monitor past capabilities negotiation.  @data may be NULL; the caller
 * keeps its reference.  Thread-safe.
 */
void qmp_send_event(const char *name, JsonObject *data);

/*
 * Listen for the events raised below the monitor (monitor/qmp-events.c):
 * DEVICE_DELETED and ACPI_DEVICE_OST.  Called with the command table.
 */
void qmp_events_init(void);
/* DEVICE_DELETED {"device": ID (if it has one), "path": QOM path}. */
void qapi_event_send_device_deleted(const char *device, const char *path);
/* QEMU's ACPIOSTInfo of a record. */
typedef struct AcpiOstInfo AcpiOstInfo;
JsonObject *acpi_ost_info_to_json(const AcpiOstInfo *info);

/* QEMU's SHUTDOWN, RESET, POWERDOWN, STOP and RESUME events. */
void qapi_event_send_shutdown(bool guest, ShutdownCause cause);
void qapi_event_send_reset(bool guest, ShutdownCause cause);
void qapi_event_send_powerdown(void);
void qapi_event_send_stop(void);
void qapi_event_send_resume(void);

/* ---- Dispatch without a transport (tests, other monitors) ---- */

/* The state of one QMP connection. */
typedef struct QmpSession {
    bool command_mode;          /* past qmp_capabilities */
    bool oob;                   /* "oob" capability enabled */
} QmpSession;

/*
 * Handle one request (a value as json_streamer emits it, or @error from
 * the streamer) and return the reply object, with "id" echoed.
 */
JsonObject *qmp_dispatch_value(QmpSession *session, JsonNode *request,
                               const char *error);
/* The same for a request text, read with qjson_parse() (tests, tools). */
JsonObject *qmp_dispatch(QmpSession *session, const char *json,
                         const char *error);

/* The greeting {"QMP": {"version": ..., "capabilities": ["oob"]}}. */
JsonObject *qmp_greeting(void);
/* {"qemu": {"micro", "minor", "major"}, "package"} of query-version. */
JsonObject *qmp_version_info(void);

#endif
