/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON stream splitter of QMP (QEMU's qobject/json-streamer.c job):
 * see include/qobject/json-streamer.h.
 */
#include "qemu/osdep.h"
#include "qobject/json-streamer.h"

/* QEMU's json-parser limits. */
#define JSON_MAX_SIZE (64 * MiB)
#define JSON_MAX_DEPTH 1024

struct JsonStreamer {
    JsonStreamerFunc *emit;
    void *opaque;
    GString *buf;
    int depth;          /* open brackets */
    char quote;         /* inside a string: its opening quote, else 0 */
    bool escape;        /* the previous string character was a backslash */
    bool bare;          /* inside a top-level token such as 12 or true */
};

JsonStreamer *json_streamer_new(JsonStreamerFunc *emit, void *opaque)
{
    JsonStreamer *js = g_new0(JsonStreamer, 1);

    js->emit = emit;
    js->opaque = opaque;
    js->buf = g_string_new(NULL);
    return js;
}

void json_streamer_reset(JsonStreamer *js)
{
    g_string_truncate(js->buf, 0);
    js->depth = 0;
    js->quote = 0;
    js->escape = false;
    js->bare = false;
}

void json_streamer_free(JsonStreamer *js)
{
    if (js) {
        g_string_free(js->buf, TRUE);
        g_free(js);
    }
}

/* Hand the collected text (or @error) on; the callback may reset @js. */
static void json_streamer_emit(JsonStreamer *js, const char *error)
{
    g_autofree char *text = error ? NULL : g_strdup(js->buf->str);

    json_streamer_reset(js);
    js->emit(js->opaque, text, error);
}

static bool json_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void json_streamer_string_char(JsonStreamer *js, char c)
{
    if (js->escape) {
        js->escape = false;
        if (c == '\'') {
            g_string_append_c(js->buf, '\'');
        } else {
            g_string_append_c(js->buf, '\\');
            g_string_append_c(js->buf, c);
        }
    } else if (c == '\\') {
        js->escape = true;
    } else if (c == js->quote) {
        g_string_append_c(js->buf, '"');
        js->quote = 0;
        if (js->depth == 0) {
            json_streamer_emit(js, NULL);
        }
    } else if (c == '"') {
        g_string_append(js->buf, "\\\"");    /* in a 'single-quoted' one */
    } else {
        g_string_append_c(js->buf, c);
    }
}

static void json_streamer_char(JsonStreamer *js, char c)
{
    if (js->quote) {
        json_streamer_string_char(js, c);
        return;
    }
    if (js->bare) {
        if (!json_is_space(c) && !strchr("{}[]\"':,", c)) {
            g_string_append_c(js->buf, c);
            return;
        }
        json_streamer_emit(js, NULL);
    }
    switch (c) {
    case '{':
    case '[':
        if (++js->depth > JSON_MAX_DEPTH) {
            json_streamer_emit(js, "JSON parse error, too many nested "
                               "containers");
            return;
        }
        g_string_append_c(js->buf, c);
        break;
    case '}':
    case ']':
        if (js->depth == 0) {
            json_streamer_emit(js, "JSON parse error, expecting value");
            return;
        }
        g_string_append_c(js->buf, c);
        if (--js->depth == 0) {
            json_streamer_emit(js, NULL);
        }
        break;
    case '"':
    case '\'':
        js->quote = c;
        g_string_append_c(js->buf, '"');
        break;
    default:
        if (js->depth == 0) {
            if (json_is_space(c)) {
                return;
            }
            js->bare = true;
        }
        g_string_append_c(js->buf, c);
        break;
    }
}

void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        json_streamer_char(js, buf[i]);
        if (js->buf->len > JSON_MAX_SIZE) {
            json_streamer_emit(js, "JSON parse error, input too large");
        }
    }
}

