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

/* Register (or replace) @name.  Main thread; names are QEMU's. */
void qmp_register_command(const char *name, QmpCommandFunc fn);

/* Error classes of QEMU's QapiErrorClass; the default is GenericError. */
typedef enum QmpErrorClass {
    QMP_ERROR_CLASS_GENERIC_ERROR,
    QMP_ERROR_CLASS_COMMAND_NOT_FOUND,
    QMP_ERROR_CLASS_DEVICE_NOT_ACTIVE,
    QMP_ERROR_CLASS_DEVICE_NOT_FOUND,
    QMP_ERROR_CLASS_KVM_MISSING_CAP,
} QmpErrorClass;

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
bool qmp_arg_str(JsonObject *args, const char *name, bool required,
                 const char **val, Error **errp);
bool qmp_arg_bool(JsonObject *args, const char *name, bool required,
                  bool *val, Error **errp);
bool qmp_arg_int(JsonObject *args, const char *name, bool required,
                 int64_t *val, Error **errp);

/* Registered command names in registration order (g_strfreev). */
char **qmp_command_names(void);

/* Registers the commands of monitor/qmp-cmds.c (called by qmp.c once). */
void qmp_cmds_register_builtin(void);
/* object-add/del, device_add/del (monitor/qmp-hotplug.c). */
void qmp_cmds_register_hotplug(void);
void qmp_cmds_register_pci(void);

/* ---- Events ---- */

/*
 * Send {"timestamp": {...}, "event": NAME[, "data": DATA]} to every QMP
 * monitor past capabilities negotiation.  @data may be NULL; the caller
 * keeps its reference.  Thread-safe.
 */
void qmp_send_event(const char *name, JsonObject *data);

/* QEMU's SHUTDOWN, STOP and RESUME events. */
void qapi_event_send_shutdown(bool guest, ShutdownCause cause);
void qapi_event_send_stop(void);
void qapi_event_send_resume(void);
/* DEVICE_DELETED: @device (the id) may be NULL; @path the QOM path. */
void qapi_event_send_device_deleted(const char *device, const char *path);
/* ACPI_DEVICE_OST {"info": ACPIOSTInfo}; @device may be NULL. */
void qapi_event_send_acpi_device_ost(const char *device, const char *slot,
                                     const char *slot_type, int64_t source,
                                     int64_t status);

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
