/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The strict JSON front end.  Every JSON text pmemvm reads from outside
 * (QMP, and the JSON forms of -object, -device and the other options)
 * goes through it, with QEMU 7.2's rules and messages (docs/specs/json.md);
 * json-glib's own, laxer parser never sees such input.  Values come out
 * as json-glib trees, so that the rest of pmemvm keeps using JsonNode:
 *
 *  - strings are modified UTF-8 (include/qemu/unicode.h): U+0000 is the
 *    two bytes C0 80, so "a\u0000b" stays three characters and never
 *    cuts a C string;
 *  - an integer that fits int64_t is a G_TYPE_INT64 value; one from 2^63
 *    to 2^64-1 (QEMU keeps those exactly, as uint64) is a G_TYPE_INT64
 *    value holding the same 64 bits in a sealed node (json_node_seal()):
 *    qjson_is_uint64() tells the two apart, and qjson_get_int() and
 *    qjson_get_uint() read either without confusing them; any other
 *    number is a G_TYPE_DOUBLE value;
 *  - object members keep their order; a repeated key is an error.
 *
 * Nothing else in pmemvm seals nodes.
 */
#ifndef QOBJECT_QJSON_H
#define QOBJECT_QJSON_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>
#include "qapi/error.h"

/*
 * The one JSON value in @text (a reference for the caller).  Errors are
 * QEMU's: "JSON parse error, ...", the limits, or "Expecting at most one
 * JSON value" when something follows it; empty input (or blanks only)
 * is "Expecting a JSON value".
 */
JsonNode *qjson_parse(const char *text, Error **errp);

/* A uint64 node (see above) for @value > INT64_MAX, else an int64 one. */
JsonNode *qjson_new_uint(uint64_t value);
/* True for an integer from 2^63 to 2^64-1. */
bool qjson_is_uint64(JsonNode *node);
/* True for a JSON integer of either kind. */
bool qjson_is_integer(JsonNode *node);
/*
 * QEMU's qnum_get_try_int() and qnum_get_try_uint(): false unless @node
 * is an integer that fits (a negative one never fits a uint64_t).
 */
bool qjson_get_int(JsonNode *node, int64_t *value);
bool qjson_get_uint(JsonNode *node, uint64_t *value);

#endif
