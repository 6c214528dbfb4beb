/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON parser: the tokens of one value in, a json-glib tree out, with
 * QEMU 7.2's grammar, checks and messages (docs/specs/json.md, "Values"
 * and "Strings").  The first error found is the one reported.
 */
#include "qemu/osdep.h"
#include "qemu/unicode.h"
#include "qobject/json-streamer.h"
#include "qobject/qjson.h"
#include "json-internal.h"

typedef struct JsonParse {
    JsonToken *const *tokens;
    size_t n;
    size_t pos;
    char *error;                /* the first one */
} JsonParse;

static void G_GNUC_PRINTF(2, 3) parse_fail(JsonParse *p, const char *fmt,
                                           ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    if (p->error) {
        return;
    }
    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    p->error = g_strdup_printf("JSON parse error, %s", msg);
}

static JsonToken *parse_peek(JsonParse *p)
{
    return p->pos < p->n ? p->tokens[p->pos] : NULL;
}

static JsonToken *parse_next(JsonParse *p)
{
    return p->pos < p->n ? p->tokens[p->pos++] : NULL;
}

/* ---- Numbers ---- */

JsonNode *qjson_new_uint(uint64_t value)
{
    JsonNode *node = json_node_init_int(json_node_alloc(), (int64_t)value);

    if (value > INT64_MAX) {
        json_node_seal(node);
    }
    return node;
}

static bool qjson_holds_int64(JsonNode *node)
{
    return node && JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == G_TYPE_INT64;
}

bool qjson_is_uint64(JsonNode *node)
{
    return qjson_holds_int64(node) && json_node_is_immutable(node) &&
           json_node_get_int(node) < 0;
}

bool qjson_is_integer(JsonNode *node)
{
    return qjson_holds_int64(node);
}

bool qjson_get_int(JsonNode *node, int64_t *value)
{
    if (!qjson_holds_int64(node) || qjson_is_uint64(node)) {
        return false;
    }
    *value = json_node_get_int(node);
    return true;
}

bool qjson_get_uint(JsonNode *node, uint64_t *value)
{
    if (!qjson_holds_int64(node) ||
        (json_node_get_int(node) < 0 && !qjson_is_uint64(node))) {
        return false;
    }
    *value = (uint64_t)json_node_get_int(node);
    return true;
}

/* int64 if it fits, else uint64 if it fits, else the nearest double. */
static JsonNode *parse_integer(const JsonToken *tok)
{
    char *end;
    long long i;
    unsigned long long u;

    errno = 0;
    i = strtoll(tok->text, &end, 10);
    if (errno == 0 && *end == 0) {
        return json_node_init_int(json_node_alloc(), i);
    }
    if (tok->text[0] != '-') {
        errno = 0;
        u = strtoull(tok->text, &end, 10);
        if (errno == 0 && *end == 0) {
            return qjson_new_uint(u);
        }
    }
    return json_node_init_double(json_node_alloc(),
                                 g_ascii_strtod(tok->text, NULL));
}

/* ---- Strings ---- */

static int hex4(const char *s)
{
    int v = 0;

    for (int i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(s[i]);

        if (d < 0) {
            return -1;      /* also at the token's NUL: never read past */
        }
        v = v * 16 + d;
    }
    return v;
}

/*
 * A \uXXXX escape at @s (the backslash), possibly the first of a UTF-16
 * surrogate pair.  Appends the character and returns the bytes used, or
 * fails with the escape's text.
 */
static size_t parse_unicode_escape(JsonParse *p, const char *s, GString *out)
{
    size_t used = 6;
    int32_t cp = hex4(s + 2);
    char buf[4];
    int len;

    if (cp >= 0xd800 && cp <= 0xdbff && s[6] == '\\' && s[7] == 'u') {
        int low = hex4(s + 8);

        if (low >= 0xdc00 && low <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            used = 12;
        } else {
            cp = -1;
        }
    }
    len = utf8m_encode(buf, cp);
    if (len < 0) {
        /* the text may end early; %.*s stops at the NUL */
        parse_fail(p, "%.*s is not a valid Unicode character", (int)used, s);
        return 0;
    }
    g_string_append_len(out, buf, len);
    return used;
}

static JsonNode *parse_string(JsonParse *p, const JsonToken *tok)
{
    static const char escapes[] = "\"\"''\\\\//b\bf\fn\nr\rt\t";
    g_autoptr(GString) out = g_string_new(NULL);
    const char *s = tok->text;
    char quote = *s++;

    while (*s != quote) {
        const char *e;
        size_t used;
        int32_t cp;
        char buf[4];

        if (*s == '\\') {
            if (s[1] == 'u') {
                used = parse_unicode_escape(p, s, out);
                if (!used) {
                    return NULL;
                }
                s += used;
                continue;
            }
            for (e = escapes; *e && *e != s[1]; e += 2) {
                continue;
            }
            if (!*e) {
                parse_fail(p, "invalid escape sequence in string");
                return NULL;
            }
            g_string_append_c(out, e[1]);
            s += 2;
            continue;
        }
        cp = utf8m_decode(s, 6, &used);
        if (cp < 0) {
            parse_fail(p, "invalid UTF-8 sequence in string");
            return NULL;
        }
        g_string_append_len(out, buf, utf8m_encode(buf, cp));
        s += used;
    }
    return json_node_init_string(json_node_alloc(), out->str);
}

/* ---- Values ---- */

static JsonNode *parse_value(JsonParse *p);

static JsonNode *parse_keyword(JsonParse *p, const JsonToken *tok)
{
    if (!strcmp(tok->text, "true")) {
        return json_node_init_boolean(json_node_alloc(), TRUE);
    }
    if (!strcmp(tok->text, "false")) {
        return json_node_init_boolean(json_node_alloc(), FALSE);
    }
    if (!strcmp(tok->text, "null")) {
        return json_node_init_null(json_node_alloc());
    }
    parse_fail(p, "invalid keyword '%s'", tok->text);
    return NULL;
}

/* "key": value, into @obj. */
static bool parse_member(JsonParse *p, JsonObject *obj)
{
    g_autoptr(JsonNode) key = NULL;
    JsonNode *value;
    JsonToken *tok;

    if (!parse_peek(p)) {
        parse_fail(p, "premature EOI");
        return false;
    }
    key = parse_value(p);
    if (!key || !JSON_NODE_HOLDS_VALUE(key) ||
        json_node_get_value_type(key) != G_TYPE_STRING) {
        parse_fail(p, "key is not a string in object");
        return false;
    }
    tok = parse_next(p);
    if (!tok) {
        parse_fail(p, "premature EOI");
        return false;
    }
    if (tok->type != JSON_TOK_COLON) {
        parse_fail(p, "missing : in object pair");
        return false;
    }
    value = parse_value(p);
    if (!value) {
        parse_fail(p, "Missing value in dict");
        return false;
    }
    if (json_object_has_member(obj, json_node_get_string(key))) {
        json_node_unref(value);
        parse_fail(p, "duplicate key");
        return false;
    }
    json_object_set_member(obj, json_node_get_string(key), value);
    return true;
}

static JsonNode *parse_object(JsonParse *p)
{
    g_autoptr(JsonObject) obj = json_object_new();
    JsonToken *tok;

    parse_next(p);                          /* '{' */
    tok = parse_peek(p);
    if (!tok) {
        parse_fail(p, "premature EOI");
        return NULL;
    }
    if (tok->type == JSON_TOK_RCURLY) {
        parse_next(p);
    } else {
        do {
            if (!parse_member(p, obj)) {
                return NULL;
            }
            tok = parse_next(p);
            if (!tok) {
                parse_fail(p, "premature EOI");
                return NULL;
            }
            if (tok->type != JSON_TOK_RCURLY && tok->type != JSON_TOK_COMMA) {
                parse_fail(p, "expected separator in dict");
                return NULL;
            }
        } while (tok->type == JSON_TOK_COMMA);
    }
    return json_node_init_object(json_node_alloc(), obj);
}

static JsonNode *parse_array(JsonParse *p)
{
    g_autoptr(JsonArray) arr = json_array_new();
    JsonToken *tok;
    JsonNode *elem;

    parse_next(p);                          /* '[' */
    tok = parse_peek(p);
    if (!tok) {
        parse_fail(p, "premature EOI");
        return NULL;
    }
    if (tok->type == JSON_TOK_RSQUARE) {
        parse_next(p);
    } else {
        do {
            elem = parse_value(p);
            if (!elem) {
                parse_fail(p, "expecting value");
                return NULL;
            }
            json_array_add_element(arr, elem);
            tok = parse_next(p);
            if (!tok) {
                parse_fail(p, "premature EOI");
                return NULL;
            }
            if (tok->type != JSON_TOK_RSQUARE &&
                tok->type != JSON_TOK_COMMA) {
                parse_fail(p, "expected separator in list");
                return NULL;
            }
        } while (tok->type == JSON_TOK_COMMA);
    }
    return json_node_init_array(json_node_alloc(), arr);
}

static JsonNode *parse_value(JsonParse *p)
{
    JsonToken *tok = parse_peek(p);

    if (!tok) {
        parse_fail(p, "premature EOI");
        return NULL;
    }
    switch (tok->type) {
    case JSON_TOK_LCURLY:
        return parse_object(p);
    case JSON_TOK_LSQUARE:
        return parse_array(p);
    case JSON_TOK_STRING:
        parse_next(p);
        return parse_string(p, tok);
    case JSON_TOK_INTEGER:
        parse_next(p);
        return parse_integer(tok);
    case JSON_TOK_FLOAT:
        parse_next(p);
        return json_node_init_double(json_node_alloc(),
                                     g_ascii_strtod(tok->text, NULL));
    case JSON_TOK_KEYWORD:
        parse_next(p);
        return parse_keyword(p, tok);
    default:
        parse_fail(p, "expecting value");
        return NULL;
    }
}

JsonNode *json_parse_tokens(JsonToken *const *tokens, size_t n,
                            char **error)
{
    JsonParse p = { .tokens = tokens, .n = n };
    JsonNode *value = parse_value(&p);

    /*
     * The streamer hands over a value as soon as its brackets balance, so
     * a value that parses uses every token.
     */
    assert(!value || p.pos == n);
    *error = p.error;
    return value;
}

/* ---- One value from a text ---- */

typedef struct QjsonOne {
    JsonNode *value;
    char *error;
} QjsonOne;

/* QEMU's rule: the first error stands; a second value is an error. */
static void qjson_one(void *opaque, JsonNode *value, const char *error)
{
    QjsonOne *one = opaque;

    if (one->error) {
        return;
    }
    if (one->value) {
        g_clear_pointer(&one->value, json_node_unref);
        one->error = g_strdup("Expecting at most one JSON value");
        return;
    }
    if (value) {
        one->value = json_node_ref(value);
    } else {
        one->error = g_strdup(error);
    }
}

JsonNode *qjson_parse(const char *text, Error **errp)
{
    QjsonOne one = { NULL };
    JsonStreamer *js = json_streamer_new(qjson_one, &one);

    json_streamer_feed(js, text, strlen(text));
    json_streamer_flush(js);
    json_streamer_free(js);
    if (one.error) {
        error_setg(errp, "%s", one.error);
        g_free(one.error);
        return NULL;
    }
    if (!one.value) {
        error_setg(errp, "Expecting a JSON value");
    }
    return one.value;
}
