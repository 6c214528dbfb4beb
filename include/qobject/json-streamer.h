/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON stream reader of QMP: a byte stream in, JSON values out, with
 * QEMU 7.2's rules (docs/specs/json.md): the strict lexer and parser of
 * include/qobject/qjson.h, and QEMU's way of cutting the stream into
 * values.  A value ends as soon as its brackets balance (so top-level
 * scalars are values too), or at a closing bracket that was never opened;
 * a lexical error, a parse error or a limit reached ends it with an
 * error, and reading goes on after it.
 */
#ifndef QOBJECT_JSON_STREAMER_H
#define QOBJECT_JSON_STREAMER_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>

/*
 * For each value: @value (borrowed: take a reference to keep it) with
 * @error NULL, or @value NULL and @error, QEMU's message ("JSON parse
 * error, ...", "JSON nesting depth limit exceeded", ...).  The callback
 * may call json_streamer_reset(), not json_streamer_free().
 */
typedef void JsonStreamerFunc(void *opaque, JsonNode *value,
                              const char *error);
typedef struct JsonStreamer JsonStreamer;

JsonStreamer *json_streamer_new(JsonStreamerFunc *emit, void *opaque);
void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len);
/* End of input: what is pending becomes a value or an error. */
void json_streamer_flush(JsonStreamer *js);
/* Drop any partial value (e.g. when the peer disconnects). */
void json_streamer_reset(JsonStreamer *js);
void json_streamer_free(JsonStreamer *js);

#endif
