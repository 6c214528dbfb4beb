/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: a QMP byte stream, as a client sends it: the strict JSON
 * front end (qobject/json-lexer.c, json-streamer.c, json-parser.c), the
 * request checks and dispatch
 * (monitor/qmp-dispatch.c) and the QEMU-format writer for every reply.
 * Commands that would change the host (create files, stop the process)
 * are replaced by ones that only check their arguments; the query
 * commands run as they are.
 */
#include "qemu/osdep.h"
#include "monitor/monitor.h"

static QmpSession session;

static JsonNode *args_only(JsonObject *args, Error **errp)
{
    return NULL;
}

static void on_value(void *opaque, JsonNode *value, const char *error)
{
    JsonObject *rsp = qmp_dispatch_value(&session, value, error);
    JsonNode *node = json_node_init_object(json_node_alloc(), rsp);

    g_free(qmp_json_to_string(node, false));
    g_free(qmp_json_to_string(node, true));
    json_node_unref(node);
    json_object_unref(rsp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const stubbed[] = {
        "quit", "object-add", "object-del", "device_add", "device_del",
        "stop", "cont",
    };
    static bool ready;
    JsonStreamer *js;
    unsigned i;

    if (!ready) {
        for (i = 0; i < G_N_ELEMENTS(stubbed); i++) {
            qmp_register_command(stubbed[i], args_only);
        }
        ready = true;
    }
    /* Half the inputs start past capabilities negotiation. */
    session = (QmpSession) { .command_mode = size && (data[0] & 1) };
    js = json_streamer_new(on_value, NULL);
    json_streamer_feed(js, (const char *)data, size);
    json_streamer_free(js);
    return 0;
}
