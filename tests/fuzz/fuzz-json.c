/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: the strict JSON front end alone (qobject/json-lexer.c,
 * json-streamer.c, json-parser.c, util/unicode.c) and the writer.  The
 * input is read as a QMP byte stream, cut in two writes where its first
 * byte says, and as one command-line text.  Every value must print, and
 * what is printed must read back to a value that prints the same (the
 * numbers QEMU prints in a form JSON cannot read back, inf and -0, are
 * left out of that check); every error must have a message.
 */
#include "qemu/osdep.h"

#include <math.h>

#include "qobject/json-streamer.h"
#include "qobject/json-writer.h"
#include "qobject/qjson.h"

/* False if @node holds a number that does not survive printing. */
static bool printable_exactly(JsonNode *node)
{
    if (JSON_NODE_HOLDS_OBJECT(node)) {
        g_autoptr(GList) members = json_object_get_members(
            json_node_get_object(node));

        for (GList *l = members; l; l = l->next) {
            if (!printable_exactly(json_object_get_member(
                    json_node_get_object(node), l->data))) {
                return false;
            }
        }
        return true;
    }
    if (JSON_NODE_HOLDS_ARRAY(node)) {
        JsonArray *arr = json_node_get_array(node);

        for (guint i = 0; i < json_array_get_length(arr); i++) {
            if (!printable_exactly(json_array_get_element(arr, i))) {
                return false;
            }
        }
        return true;
    }
    if (JSON_NODE_HOLDS_VALUE(node) &&
        json_node_get_value_type(node) == G_TYPE_DOUBLE) {
        double d = json_node_get_double(node);

        return isfinite(d) && !(d == 0 && signbit(d));
    }
    return true;
}

static void check_value(JsonNode *value)
{
    g_autofree char *text = qmp_json_to_string(value, false);
    g_autofree char *pretty = qmp_json_to_string(value, true);
    g_autoptr(JsonNode) back = NULL;
    g_autoptr(JsonNode) back_pretty = NULL;
    g_autofree char *again = NULL;
    g_autofree char *again_pretty = NULL;

    /* escapes may make the text longer than the limits allow */
    if (!printable_exactly(value) || strlen(pretty) > MiB) {
        return;
    }
    back = qjson_parse(text, &error_abort);
    back_pretty = qjson_parse(pretty, &error_abort);
    again = qmp_json_to_string(back, false);
    again_pretty = qmp_json_to_string(back_pretty, false);
    assert(!strcmp(text, again));
    assert(!strcmp(text, again_pretty));
}

static void on_value(void *opaque, JsonNode *value, const char *error)
{
    if (value) {
        assert(!error);
        check_value(value);
    } else {
        assert(error && error[0]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    JsonStreamer *js = json_streamer_new(on_value, NULL);
    size_t cut = size ? data[0] % size : 0;
    Error *err = NULL;
    JsonNode *node;

    json_streamer_feed(js, (const char *)data, cut);
    json_streamer_feed(js, (const char *)data + cut, size - cut);
    json_streamer_flush(js);
    json_streamer_free(js);

    node = qjson_parse(text, &err);
    if (node) {
        check_value(node);
        json_node_unref(node);
    } else {
        assert(error_get_pretty(err)[0]);
        error_free(err);
    }
    return 0;
}
