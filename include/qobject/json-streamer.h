/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON stream splitter of QMP: a byte stream in, JSON texts out.
 */
#ifndef QOBJECT_JSON_STREAMER_H
#define QOBJECT_JSON_STREAMER_H

#include "qemu/osdep.h"

/*
 * Splits a byte stream into JSON texts by counting brackets outside
 * strings.  Each complete text is passed to @emit NUL-terminated, with
 * single-quoted strings (a QEMU extension) rewritten as double-quoted
 * ones; a malformed or oversized text is reported with json == NULL and
 * a message in @error, and scanning resumes after it.
 */
typedef void JsonStreamerFunc(void *opaque, const char *json,
                              const char *error);
typedef struct JsonStreamer JsonStreamer;

JsonStreamer *json_streamer_new(JsonStreamerFunc *emit, void *opaque);
void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len);
/* Drop any partial text (e.g. when the peer disconnects). */
void json_streamer_reset(JsonStreamer *js);
void json_streamer_free(JsonStreamer *js);

#endif
