/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP monitors: a chardev's bytes go through the JSON stream splitter to
 * the dispatcher (monitor/qmp-dispatch.c), replies and events come back
 * through the monitor core (monitor/monitor.c) in QEMU's format.
 */
#include "qemu/osdep.h"

#include "monitor/monitor.h"
#include "monitor/monitor-internal.h"
#include "monitor/qmp-schema.h"

typedef struct MonitorQMP {
    Monitor common;             /* first: a MonitorQMP is a Monitor */
    bool pretty;
    QmpSession session;
    gint events_on;             /* atomic: command mode reached */
    JsonStreamer *js;
} MonitorQMP;

/* One JSON text and its line end, in one write (pretty output included). */
static void monitor_qmp_write(MonitorQMP *mon, const char *text)
{
    g_autofree char *line = g_strconcat(text, "\n", NULL);

    monitor_puts(&mon->common, line);
}

static void monitor_qmp_send(MonitorQMP *mon, JsonObject *obj)
{
    JsonNode *node = json_node_init_object(json_node_alloc(), obj);
    g_autofree char *text = qmp_json_to_string(node, mon->pretty);

    monitor_qmp_write(mon, text);
    json_node_unref(node);
}

static void monitor_qmp_request(void *opaque, JsonNode *req,
                                const char *error)
{
    MonitorQMP *mon = opaque;
    JsonObject *rsp = qmp_dispatch_value(&mon->session, req, error);

    g_atomic_int_set(&mon->events_on, mon->session.command_mode);
    /* A reset or powerdown it asked for happens now: QEMU 7.2 sends their
     * events before the command's reply. */
    qemu_handle_pending_requests();
    monitor_qmp_send(mon, rsp);
    json_object_unref(rsp);
}

static void monitor_qmp_read(void *opaque, const uint8_t *buf, size_t len)
{
    MonitorQMP *mon = opaque;

    json_streamer_feed(mon->js, (const char *)buf, len);
}

static void monitor_qmp_event(void *opaque, QEMUChrEvent event)
{
    MonitorQMP *mon = opaque;
    JsonObject *greeting;

    if (event != CHR_EVENT_OPENED && event != CHR_EVENT_CLOSED) {
        return;     /* a multiplexer's focus: QMP has no use for it */
    }
    json_streamer_reset(mon->js);
    mon->session = (QmpSession) { 0 };
    g_atomic_int_set(&mon->events_on, 0);
    if (event == CHR_EVENT_OPENED) {
        greeting = qmp_greeting();
        monitor_qmp_send(mon, greeting);
        json_object_unref(greeting);
    }
}

bool monitor_init_qmp(Chardev *chr, bool pretty, Error **errp)
{
    MonitorQMP *mon = g_new0(MonitorQMP, 1);

    mon->common.chr = chr;
    mon->common.is_qmp = true;
    mon->pretty = pretty;
    mon->js = json_streamer_new(monitor_qmp_request, mon);
    qmp_table_ensure();
    monitor_list_append(&mon->common);
    qemu_chr_set_handlers(chr, monitor_qmp_read, monitor_qmp_event, mon);
    return true;
}

/* ---- Events ---- */

typedef struct QmpEvent {
    JsonNode *node;
    char *text[2];                  /* compact, pretty: made when needed */
} QmpEvent;

static void qmp_event_send_to(Monitor *m, void *opaque)
{
    QmpEvent *ev = opaque;
    MonitorQMP *mon = (MonitorQMP *)m;

    if (!m->is_qmp || !g_atomic_int_get(&mon->events_on)) {
        return;
    }
    if (!ev->text[mon->pretty]) {
        ev->text[mon->pretty] = qmp_json_to_string(ev->node, mon->pretty);
    }
    monitor_qmp_write(mon, ev->text[mon->pretty]);
}

void qmp_send_event(const char *name, JsonObject *data)
{
    JsonObject *obj = json_object_new();
    JsonObject *ts = json_object_new();
    QmpEvent ev = { NULL };
    gint64 now = g_get_real_time();

    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(obj, "timestamp", ts);
    json_object_set_string_member(obj, "event", name);
    if (data) {
        json_object_set_object_member(obj, "data", json_object_ref(data));
    }
    ev.node = json_node_init_object(json_node_alloc(), obj);
    monitor_list_foreach(qmp_event_send_to, &ev);
    g_free(ev.text[0]);
    g_free(ev.text[1]);
    json_node_unref(ev.node);
    json_object_unref(obj);
}

/* SHUTDOWN and RESET: {"guest": ..., "reason": ...}. */
static void send_cause_event(const char *name, bool guest, ShutdownCause cause)
{
    JsonObject *data = json_object_new();

    json_object_set_boolean_member(data, "guest", guest);
    json_object_set_string_member(data, "reason", shutdown_cause_name(cause));
    qmp_send_event(name, data);
    json_object_unref(data);
}

void qapi_event_send_shutdown(bool guest, ShutdownCause cause)
{
    send_cause_event("SHUTDOWN", guest, cause);
}

void qapi_event_send_reset(bool guest, ShutdownCause cause)
{
    send_cause_event("RESET", guest, cause);
}

void qapi_event_send_powerdown(void)
{
    qmp_send_event("POWERDOWN", NULL);
}

void qapi_event_send_stop(void)
{
    qmp_send_event("STOP", NULL);
}

void qapi_event_send_resume(void)
{
    qmp_send_event("RESUME", NULL);
}

void qmp_events_register(void)
{
    qmp_schema_define("ShutdownCause",
                      "enum(none|host-qmp-quit|host-qmp-system-reset|"
                      "host-signal|guest-shutdown|guest-reset)");
    /* pmemvm's slot types: QEMU's, and its PCI slots (hw/acpi/ospm.h) */
    qmp_schema_define("ACPIOSTInfo",
                      "{device?: str, slot: str, slot-type: enum(DIMM|CPU|PCI), "
                      "source: int, status: int}");
    qmp_register_event("SHUTDOWN", "{guest: bool, reason: ShutdownCause}");
    qmp_register_event("RESET", "{guest: bool, reason: ShutdownCause}");
    qmp_register_event("POWERDOWN", NULL);
    qmp_register_event("STOP", NULL);
    qmp_register_event("RESUME", NULL);
    qmp_register_event("DEVICE_DELETED", "{device?: str, path: str}");
    qmp_register_event("ACPI_DEVICE_OST", "{info: ACPIOSTInfo}");
}
