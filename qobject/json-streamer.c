/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The JSON stream reader: see include/qobject/json-streamer.h.  Tokens
 * from the lexer are collected until the brackets balance (or a closing
 * one goes below zero), then parsed as one value; the limits of
 * docs/specs/json.md are checked for every token before it is kept.
 */
#include "qemu/osdep.h"
#include "qobject/json-streamer.h"
#include "json-internal.h"

struct JsonStreamer {
    JsonLexer lexer;
    JsonStreamerFunc *emit;
    void *opaque;
    GPtrArray *tokens;          /* of JsonToken *, the value so far */
    size_t token_bytes;         /* their total length */
    int braces;                 /* '{' minus '}' */
    int brackets;               /* '[' minus ']' */
};

static void json_streamer_token(void *opaque, JsonTokenType type,
                                const GString *text);

JsonStreamer *json_streamer_new(JsonStreamerFunc *emit, void *opaque)
{
    JsonStreamer *js = g_new0(JsonStreamer, 1);

    js->emit = emit;
    js->opaque = opaque;
    js->tokens = g_ptr_array_new_with_free_func(g_free);
    json_lexer_init(&js->lexer, json_streamer_token, js);
    return js;
}

/* Forget the value being collected (not the lexer's state). */
static void json_streamer_drop(JsonStreamer *js)
{
    g_ptr_array_set_size(js->tokens, 0);
    js->token_bytes = 0;
    js->braces = 0;
    js->brackets = 0;
}

void json_streamer_reset(JsonStreamer *js)
{
    json_lexer_reset(&js->lexer);
    json_streamer_drop(js);
}

void json_streamer_free(JsonStreamer *js)
{
    if (js) {
        json_lexer_destroy(&js->lexer);
        g_ptr_array_unref(js->tokens);
        g_free(js);
    }
}

static void json_streamer_error(JsonStreamer *js, const char *error)
{
    json_streamer_drop(js);
    js->emit(js->opaque, NULL, error);
}

/* Parse what was collected and hand it on. */
static void json_streamer_parse(JsonStreamer *js)
{
    g_autoptr(GPtrArray) tokens = js->tokens;
    g_autofree char *error = NULL;
    JsonNode *value;

    js->tokens = g_ptr_array_new_with_free_func(g_free);
    json_streamer_drop(js);
    value = json_parse_tokens((JsonToken *const *)tokens->pdata, tokens->len,
                              &error);
    js->emit(js->opaque, value, error);
    if (value) {
        json_node_unref(value);
    }
}

static void json_streamer_token(void *opaque, JsonTokenType type,
                                const GString *text)
{
    JsonStreamer *js = opaque;
    g_autofree char *stray = NULL;
    JsonToken *tok;

    switch (type) {
    case JSON_TOK_ERROR:
        stray = g_strdup_printf("JSON parse error, stray '%s'", text->str);
        json_streamer_error(js, stray);
        return;
    case JSON_TOK_TOO_BIG:
        json_streamer_error(js, "JSON token size limit exceeded");
        return;
    case JSON_TOK_END:
        if (js->tokens->len) {
            json_streamer_parse(js);
        }
        return;
    case JSON_TOK_LCURLY:
        js->braces++;
        break;
    case JSON_TOK_RCURLY:
        js->braces--;
        break;
    case JSON_TOK_LSQUARE:
        js->brackets++;
        break;
    case JSON_TOK_RSQUARE:
        js->brackets--;
        break;
    default:
        break;
    }

    /* QEMU's order of checks; the token that breaks a limit is dropped. */
    if (js->token_bytes + text->len + 1 > JSON_MAX_TOKEN_SIZE) {
        json_streamer_error(js, "JSON token size limit exceeded");
        return;
    }
    if (js->tokens->len + 1 > JSON_MAX_TOKEN_COUNT) {
        json_streamer_error(js, "JSON token count limit exceeded");
        return;
    }
    if (js->braces + js->brackets > JSON_MAX_NESTING) {
        json_streamer_error(js, "JSON nesting depth limit exceeded");
        return;
    }

    tok = g_malloc(sizeof(*tok) + text->len + 1);
    tok->type = type;
    tok->len = text->len;
    memcpy(tok->text, text->str, text->len + 1);
    g_ptr_array_add(js->tokens, tok);
    js->token_bytes += text->len;

    if ((js->braces > 0 || js->brackets > 0) &&
        js->braces >= 0 && js->brackets >= 0) {
        return;                 /* inside a value */
    }
    json_streamer_parse(js);
}

void json_streamer_feed(JsonStreamer *js, const char *buf, size_t len)
{
    json_lexer_feed(&js->lexer, buf, len);
}

void json_streamer_flush(JsonStreamer *js)
{
    json_lexer_flush(&js->lexer);
}
