/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option parsing in QEMU's syntaxes.
 *
 * key=value: "TYPE,key=value,key2=value2"
 *   - an optional first item without '=' is the value of @implied_key
 *     ("-machine pc,...", "-m 512M,...", "-device nvdimm,...");
 *   - ",," inside a value stands for one literal comma;
 *   - a bare later item "flag" means "flag=on" (as in "share");
 *   - an empty string gives no options.
 * JSON: '{"qom-type": "memory-backend-file", "id": "m", "size": 4096}'
 *   - read by the strict JSON front end (include/qobject/qjson.h), with
 *     QEMU's messages ("JSON parse error, duplicate key", ...);
 *   - one flat object; strings are kept as text, true/false become
 *     "on"/"off", integers are printed in decimal; nested objects, arrays,
 *     null and non-integral numbers are errors naming the key;
 *   - a string holding U+0000 is refused, naming the key: no option value
 *     (a file name, an id) can hold one, and QEMU's way (keeping it as the
 *     bytes C0 80) would name a different file than the user wrote.
 *   - each option remembers its JSON type (QemuOpt.kind) so that a typed
 *     property can refuse a value of the wrong type as QEMU's QAPI visitor
 *     does ("slot": "0" is not an integer); key=value options are untyped.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include <json-glib/json-glib.h>

/*
 * Options as an ordered list of key/value strings, the common form of the
 * key=value command line, JSON objects and QMP arguments.
 */
typedef enum QemuOptKind {
    QEMU_OPT_UNTYPED,   /* key=value text: the property parses it */
    QEMU_OPT_STRING,    /* JSON string */
    QEMU_OPT_BOOL,      /* JSON true/false, value "on"/"off" */
    QEMU_OPT_INT,       /* JSON integer that fits int64_t, in decimal */
    QEMU_OPT_UINT,      /* JSON integer from 2^63 to 2^64-1, in decimal:
                         * only unsigned properties take it, as in QEMU */
    QEMU_OPT_INT_LIST,  /* JSON array of integers, value "N,N,..." */
    QEMU_OPT_OTHER,     /* JSON number with a fraction or exponent, other
                         * array, object or null, value its JSON text: no
                         * property takes it, each refuses it in its words */
    QEMU_OPT_QAPI_TEXT, /* text for a member of QEMU's QAPI schema, as the
                         * human monitor's object_add gives it: parsed as
                         * key=value text, but a list member refuses text
                         * and an unknown key is "unexpected", in the
                         * words of QEMU's HMP */
} QemuOptKind;

typedef struct QemuOpt {
    char *key;
    char *value;
    QemuOptKind kind;
} QemuOpt;

typedef struct QemuOpts {
    GPtrArray *list;    /* of QemuOpt* */
} QemuOpts;

QemuOpts *qemu_opts_new(void);
void qemu_opts_free(QemuOpts *opts);
/* Append; later values of the same key win on lookup. */
void qemu_opts_set(QemuOpts *opts, const char *key, const char *value);
const char *qemu_opts_get(const QemuOpts *opts, const char *key);
/* Remove every entry for @key; returns true if there was one. */
bool qemu_opts_del(QemuOpts *opts, const char *key);
/*
 * Refuse a key not in the NULL-terminated @allowed, as QEMU's QemuOpts do
 * ("Invalid parameter 'KEY'").
 */
bool qemu_opts_check_keys(const QemuOpts *opts, const char *const *allowed,
                          Error **errp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(QemuOpts, qemu_opts_free)
/* key=value form; errors name the offending text. */
QemuOpts *keyval_parse(const char *params, const char *implied_key,
                       Error **errp);
/* JSON form. */
QemuOpts *json_opts_parse(const char *json, Error **errp);
/* The same from an object the JSON front end made (QMP arguments). */
QemuOpts *json_opts_from_object(JsonObject *obj, Error **errp);
/*
 * For a QEMU_OPT_OTHER value: -1 unless @json is an array, else the index
 * of its first item that is not an integer (as json_opts_parse() judges).
 */
int json_text_first_non_int(const char *json);
/* JSON if the text starts with '{' (after spaces), else key=value. */
QemuOpts *qemu_opts_parse_any(const char *params, const char *implied_key,
                              Error **errp);
/* Render as "k1=v1,k2=v2" with commas in values doubled (for messages). */
char *qemu_opts_to_string(const QemuOpts *opts);

#endif
